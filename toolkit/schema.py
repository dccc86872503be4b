"""JSON Schema checks whose findings are coded issues with a JSON path and a file line."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from toolkit.issues import Issue, Location, issue
from toolkit.resources import schema as load_schema
from toolkit.yamlio import PathKey


def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(schema_name))


@functools.cache
def _is_valid(schema_name: str) -> Callable[[Any], bool]:
    """A compiled check that only says yes or no: a registry of a thousand units is
    checked in milliseconds; the reference validator walks only files with errors."""
    return jsonschema_rs.validator_for(load_schema(schema_name)).is_valid


def schema_issues(
    data: Any, schema_name: str, file: str, lines: dict[PathKey, int] | None = None
) -> list[Issue]:
    try:
        if _is_valid(schema_name)(data):
            return []
    except ValueError:
        pass  # a value the compiled check cannot take: the reference validator decides
    found = []
    for err in _leaf_errors(validator(schema_name).iter_errors(data)):
        path = tuple(err.absolute_path)
        where = Location(file=file, path=json_path(path), line=_line(path, lines or {}))
        found.append(issue("E_SCHEMA", where, detail=describe(err)))
    return sorted(found, key=lambda i: (i.where.line or 0, i.where.path or ""))


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """For oneOf/anyOf, report the branch that came closest instead of the summary."""
    for err in errors:
        if err.context:
            best = min(err.context, key=lambda e: len(list(e.absolute_path)) * -1)
            yield best
        else:
            yield err


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


def describe(err: ValidationError) -> str:
    """The validator's finding in plain Ukrainian."""
    v = err.validator
    val: Any = err.validator_value
    schema: Any = err.schema
    inst = _short(err.instance)
    if v == "required":
        # one error per missing property, named only in the message
        m = re.match(r"^'([^']+)' is a required property", err.message)
        return f"бракує обов'язкового поля «{m.group(1) if m else val}»"
    if v == "additionalProperties":
        instance: Any = err.instance
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return f"невідоме поле «{', '.join(extra)}»"
    if v == "type":
        return f"значення {inst} має бути типу {_TYPES.get(str(val), val)}"
    if v == "enum":
        return f"значення {inst} не з переліку: {', '.join(map(str, val))}"
    if v == "const":
        return f"значення {inst} має бути «{val}»"
    if v == "pattern":
        return f"значення {inst} має невірний вигляд (очікується зразок {val})"
    if v in ("minItems", "minLength"):
        return f"значення {inst} закоротке або порожнє"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"значення {inst} поза межами ({v} {val})"
    return err.message


_TYPES = {
    "string": "текст",
    "integer": "ціле число",
    "number": "число",
    "boolean": "так/ні (true/false)",
    "array": "список",
    "object": "розділ (об'єкт)",
    "null": "порожнє",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
