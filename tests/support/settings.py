"""Setting values in a workspace's zvit.toml as a coordinator does in a text editor: the
line of the key in its section (commented out as ``zvit init`` writes it, or not) gets
the value; a key or section not there yet is added. The comments stay."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def set_settings(path: Path, config: Mapping[str, Mapping[str, Any]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for section, values in config.items():
        for key, value in values.items():
            lines = _set(lines, section, key, value)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def literal(value: Any) -> str:
    """Enough TOML for these settings (strings, numbers, booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set(lines: list[str], section: str, key: str, value: Any) -> list[str]:
    line = f"{key} = {literal(value)}"
    try:
        head = lines.index(f"[{section}]")
    except ValueError:
        return [*lines, "", f"[{section}]", line]
    end = next((i for i in range(head + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    pattern = re.compile(rf"^#?\s*{re.escape(key)}\s*=")
    for i in range(head + 1, end):
        if pattern.match(lines[i]):
            return [*lines[:i], line, *lines[i + 1 :]]
    return [*lines[: head + 1], line, *lines[head + 1 :]]
