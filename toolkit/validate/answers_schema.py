"""A JSON Schema for the answers of a form, generated from the form definition, so the
rules ("required", "one of the list", "not below zero", "reasons when not done") are
stated once and checked by a standard validator."""

from __future__ import annotations

from typing import Any

from toolkit.forms.definition import Column, FormDefinition, HeaderField


def answers_schema(definition: FormDefinition) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Answers of the form '{definition.id}' v{definition.version}",
        "type": "object",
        "required": ["header", "rows"],
        "properties": {
            "header": _header(definition.header),
            "rows": {"type": "array", "items": _row(definition.input_columns)},
        },
    }


def _header(fields: tuple[HeaderField, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f in fields:
        if f.prefill:
            continue
        props[f.key] = (
            {"type": "string", "format": "date"}
            if f.type == "date"
            else {"type": "string", "minLength": 1}
        )
    return {
        "type": "object",
        "properties": props,
        "required": [f.key for f in fields if f.required and not f.prefill],
    }


def _row(columns: tuple[Column, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {"measure_id": {"type": "string"}, "has_target": {"type": "boolean"}}
    conditions = []
    for c in columns:
        props[c.key] = _value(c)
        if c.required_when is not None:
            when = c.required_when
            test: dict[str, Any] = {"properties": {}, "required": []}
            if when.column:
                test["properties"][when.column] = {"enum": list(when.values)}
                test["required"].append(when.column)
            if when.has_target is not None:
                test["properties"]["has_target"] = {"const": when.has_target}
                test["required"].append("has_target")
            conditions.append({"if": test, "then": {"required": [c.key]}})
    schema: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": ["measure_id", *[c.key for c in columns if c.required]],
    }
    if conditions:
        schema["allOf"] = conditions
    return schema


def _value(c: Column) -> dict[str, Any]:
    if c.choices:
        return {"enum": list(c.choices)}
    if c.type in ("number", "integer"):
        spec: dict[str, Any] = {"type": "number" if c.type == "number" else "integer"}
        if c.min is not None:
            spec["minimum"] = c.min
        if c.max is not None:
            spec["maximum"] = c.max
        return spec
    if c.type == "date":
        return {"type": "string", "format": "date"}
    spec = {"type": "string"}
    if c.max_length:
        spec["maxLength"] = c.max_length
    return spec
