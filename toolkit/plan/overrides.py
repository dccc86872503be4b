"""Hand corrections to an imported plan, kept in a small file beside it.

A person reviews an import against the source document; what the document gets wrong
or leaves out is written here, each with a reason, instead of being edited silently
into plan.yaml. The importer applies the file and lists every correction it applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidFileError
from toolkit.schema import schema_issues
from toolkit.yamlio import load


@dataclass
class Overrides:
    plan: dict[str, Any] = field(default_factory=dict)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)
    expect: dict[str, int] = field(default_factory=dict)
    file: str = ""

    @classmethod
    def load(cls, path: Path | None) -> Overrides:
        if path is None:
            return cls()
        data, lines = load(path)
        data = data or {}
        found = schema_issues(data, "overrides.schema.json", path.name, lines)
        if found:
            raise InvalidFileError(found, "common.file.unusable", file=path)
        return cls(
            plan=dict(data.get("plan", {})),
            measures={k: dict(v) for k, v in data.get("measures", {}).items()},
            expect=dict(data.get("expect", {})),
            file=path.name,
        )
