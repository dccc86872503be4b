"""One JSON Schema path: a fast yes/no, then — only for data that failed — every error,
each where it fails."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from toolkit.schema import SchemaCheck, leaf_errors, schema_issues

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "amount": {"type": "number", "minimum": 0},
        "who": {
            "oneOf": [
                {"type": "string", "minLength": 3},
                {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string", "pattern": "^[a-z]+$"}},
                },
            ]
        },
    },
    "required": ["amount"],
}


def test_valid_data_has_no_errors() -> None:
    assert SchemaCheck(SCHEMA).errors({"amount": 2, "who": "відділ"}) == []


def test_each_error_is_a_leaf() -> None:
    """A oneOf is reported by the branch that came closest, not as "is not valid under any
    of the given schemas"; the other errors are listed too."""
    errors = SchemaCheck(SCHEMA).errors({"amount": -1, "who": {"id": "X1"}})
    assert sorted((e.validator, list(e.absolute_path)) for e in errors) == [
        ("minimum", ["amount"]),
        ("pattern", ["who", "id"]),
    ]
    summary = list(Draft202012Validator(SCHEMA).iter_errors({"amount": 1, "who": {"id": "X"}}))
    assert [e.validator for e in summary] == ["oneOf"]  # what the leaves replace
    assert [e.validator for e in leaf_errors(summary)] == ["pattern"]


def test_a_value_the_fast_check_cannot_take_goes_to_the_full_one() -> None:
    """jsonschema-rs refuses Python values JSON has no type for; the reference validator
    then decides, so nothing passes unchecked."""
    check = SchemaCheck(SCHEMA)
    assert check.errors({"amount": 1, "extra": date(2025, 1, 1)}) == []
    [err] = check.errors({"amount": date(2025, 1, 1)})
    assert err.validator == "type"


def test_a_shipped_registry_is_valid() -> None:
    data = yaml.safe_load((EXAMPLES / "luhansk-2018-2026" / "units.yaml").read_text("utf-8"))
    assert schema_issues(data, "units.schema.json", "units.yaml") == []


@pytest.mark.parametrize("data", [{"schema": "zvit-units/1"}, "not a mapping", {"units": [1]}])
def test_schema_issues_are_coded(data: Any) -> None:
    found = schema_issues(data, "units.schema.json", "units.yaml")
    assert found and {i.code for i in found} == {"E_SCHEMA"}
    assert all(i.where.file == "units.yaml" and i.where.path for i in found)
