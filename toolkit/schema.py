"""JSON Schema checks whose findings are coded issues with a JSON path and a file line."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, relevance

from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.resources import schema as load_schema
from toolkit.yamlio import PathKey


class SchemaCheck:
    """A JSON Schema compiled twice: a check that only says yes or no (jsonschema-rs: a
    registry of a thousand units, or a form's answers, in well under a millisecond) and the
    reference validator (jsonschema), which walks only data that failed, for every error
    with its path."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._is_valid: Callable[[Any], bool] = jsonschema_rs.validator_for(schema).is_valid
        self._full = Draft202012Validator(schema)

    def errors(self, data: Any) -> list[ValidationError]:
        """Every leaf error (see ``leaf_errors``); none for valid data."""
        try:
            if self._is_valid(data):
                return []
        except ValueError:
            pass  # a value the compiled check cannot take: the reference validator decides
        return list(leaf_errors(self._full.iter_errors(data)))


def leaf_errors(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Each error where it fails: for anyOf/oneOf, the branch that came closest (jsonschema's
    own relevance: the deepest path first) instead of the summary, however nested."""
    for err in errors:
        while err.context:
            err = min(err.context, key=relevance)
        yield err


@functools.cache
def _check(schema_name: str) -> SchemaCheck:
    return SchemaCheck(load_schema(schema_name))


def schema_issues(
    data: Any, schema_name: str, file: str, lines: dict[PathKey, int] | None = None
) -> list[Issue]:
    found = []
    for err in _check(schema_name).errors(data):
        path = tuple(err.absolute_path)
        where = Location(file=file, path=json_path(path), line=_line(path, lines or {}))
        found.append(issue("E_SCHEMA", where, detail=describe(err)))
    return sorted(found, key=lambda i: (i.where.line or 0, i.where.path or ""))


def json_path(path: tuple[Any, ...]) -> str:
    out = "$"
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _line(path: tuple[Any, ...], lines: dict[PathKey, int]) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def describe(err: ValidationError) -> Message | str:
    """The validator's finding in plain words (the validator's own, in English, for a rule
    none of these name)."""
    v = err.validator
    val: Any = err.validator_value
    schema: Any = err.schema
    inst = _short(err.instance)
    if v == "required":
        # one error per missing property, named only in the message
        m = re.match(r"^'([^']+)' is a required property", err.message)
        return Message("common.schema.required", {"field": m.group(1) if m else val})
    if v == "additionalProperties":
        instance: Any = err.instance
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return Message("common.schema.unknown", {"field": ", ".join(extra)})
    if v == "type":
        kind = Message(f"common.schema.type.{val}") if str(val) in _TYPES else str(val)
        return Message("common.schema.type", {"value": inst, "kind": kind})
    if v in _SIMPLE:
        shown = ", ".join(map(str, val)) if v == "enum" else val
        return Message(_SIMPLE[v], {"value": inst, "expected": shown})
    if v in ("minItems", "minLength"):
        return Message("common.schema.short", {"value": inst})
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return Message("common.schema.range", {"value": inst, "rule": f"{v} {val}"})
    return err.message


_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
_SIMPLE = {
    "enum": "common.schema.enum",
    "const": "common.schema.const",
    "pattern": "common.schema.pattern",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
