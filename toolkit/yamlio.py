"""YAML files people edit (plans, registries, overrides): read with line numbers so that
every problem can point at its line, written in a stable readable form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import InvalidFileError
from toolkit.fsutil import atomic_write_text
from toolkit.issues import Location, issue

PathKey = tuple[str | int, ...]


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Dates stay text ("2019-01-01"): the schemas describe them as strings."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path: Path) -> tuple[Any, dict[PathKey, int]]:
    """The data and, for every node, the line it starts on (1-based)."""
    text = path.read_text(encoding="utf-8-sig")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = Location(file=path.name, line=mark.line + 1 if mark else None)
        detail = str(getattr(e, "problem", None) or e)
        found = [issue("E_YAML_SYNTAX", where, detail=detail)]
        raise InvalidFileError(found, "common.file.not_yaml", path=path) from e
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            lines[(*path, k)] = key.start_mark.line + 1
            _walk(value, (*path, k), lines)
            lines[(*path, k)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines)


def dumps(data: Any) -> str:
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False
    )


def save(path: Path, data: Any, header: str = "") -> None:
    atomic_write_text(path, header + dumps(data))
