"""Loading and saving plan.yaml and units.yaml: every file is checked against its schema,
and the registry against itself, before anything uses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidFileError, UsageError
from toolkit.issues import Issue, Location, issue
from toolkit.messages import DEFAULT_LANG, Lang, t
from toolkit.plan.checked import cache_key, recall, remember
from toolkit.plan.model import Plan
from toolkit.plan.registry import CONSENT, Registry
from toolkit.schema import schema_issues
from toolkit.text import norm
from toolkit.yamlio import PathKey, load, save


def load_checked(path: Path, schema_name: str) -> tuple[Any, dict[PathKey, int]]:
    if not path.is_file():
        raise UsageError("common.file.missing", path=path)
    data, lines = load(path)
    found = schema_issues(data, schema_name, path.name, lines)
    if found:
        raise InvalidFileError(found, "common.file.schema", file=path.name, schema=schema_name)
    return data, lines


def _remembered(
    path: Path, schema_name: str, cache: Path | None, check: Callable[[Path], Any]
) -> Any:
    """``check(path)``'s data, from ``cache`` when this very file passed it before."""
    if cache is None:
        return check(path)
    try:
        key = cache_key(path.read_bytes(), schema_name)
    except OSError:
        return check(path)  # let the check say what is wrong with the file
    data = recall(cache, path.stem, key)
    if data is None:
        data = check(path)
        remember(cache, path.stem, key, data)
    return data


def load_plan(path: Path, cache: Path | None = None) -> Plan:
    """``cache``: a folder where the checked data is kept (a workspace's)."""
    return Plan.from_dict(_remembered(path, "plan.schema.json", cache, _checked_plan))


def _checked_plan(path: Path) -> Any:
    return load_checked(path, "plan.schema.json")[0]


def plan_lines(path: Path) -> dict[str, int]:
    """Measure id → the line of plan.yaml where it is defined, for messages."""
    data, lines = load(path)
    out: dict[str, int] = {}
    for si, s in enumerate(data.get("sections", [])):
        for ti, task in enumerate(s.get("tasks", [])):
            for mi, m in enumerate(task.get("measures", [])):
                out[m["id"]] = lines.get(("sections", si, "tasks", ti, "measures", mi), 0)
        for mi, m in enumerate(s.get("measures", [])):
            out[m["id"]] = lines.get(("sections", si, "measures", mi), 0)
    return out


def save_plan(plan: Plan, path: Path, lang: Lang = DEFAULT_LANG) -> None:
    save(path, plan.to_dict(), t("plan.file.header", lang))


def load_registry(path: Path, cache: Path | None = None) -> Registry:
    """``cache``: as for ``load_plan``."""
    return Registry.from_dict(_remembered(path, "units.schema.json", cache, _checked_registry))


def _checked_registry(path: Path) -> Any:
    data, lines = load_checked(path, "units.schema.json")
    found = registry_issues(data, path.name, lines)
    if found:
        raise InvalidFileError(found, "common.file.unusable", file=path.name)
    return data


def registry_issues(data: dict[str, Any], file: str, lines: dict[PathKey, int]) -> list[Issue]:
    """Ids used twice, members that do not exist, one name given to two entries."""
    found: list[Issue] = []
    entries = [("units", i, u) for i, u in enumerate(data["units"])]
    entries += [("groups", i, g) for i, g in enumerate(data.get("groups", []))]
    ids: set[str] = set()
    names: dict[str, str] = {}
    for kind, i, entry in entries:
        where = Location(file=file, line=lines.get((kind, i)), path=f"$.{kind}[{i}]")
        if entry["id"] in ids:
            found.append(issue("E_DUPLICATE_UNIT", where, id=entry["id"]))
        ids.add(entry["id"])
        for phrase in (entry["name"], *entry.get("aliases", [])):
            key = norm(CONSENT.sub("", phrase))
            other = names.setdefault(key, entry["id"])
            if other != entry["id"]:
                found.append(
                    issue(
                        "E_AMBIGUOUS_ALIAS", where, phrase=phrase, first=other, second=entry["id"]
                    )
                )
    for i, g in enumerate(data.get("groups", [])):
        for member in g["members"]:
            if member not in ids:
                where = Location(file=file, line=lines.get(("groups", i)), path=f"$.groups[{i}]")
                found.append(issue("E_UNKNOWN_REF", where, id=member))
    return found


def save_registry(data: dict[str, Any], path: Path, lang: Lang = DEFAULT_LANG) -> None:
    save(path, data, t("plan.file.units_header", lang))
