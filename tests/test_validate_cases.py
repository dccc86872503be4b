"""The case folders of returned workbooks: each yields exactly its expected codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context

CASES = Path(__file__).parent / "cases" / "returns"
FOLDERS = sorted(p for p in CASES.iterdir() if (p / "case.yaml").is_file())


@pytest.fixture(scope="module")
def plan_and_registry() -> tuple[object, object]:
    return load_plan(CASES / "plan.yaml"), load_registry(CASES / "units.yaml")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_case(folder: Path) -> None:
    case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    plan, registry = load_plan(CASES / "plan.yaml"), load_registry(CASES / "units.yaml")
    ctx = Context(plan, registry, period=Period.parse(case["period"]))
    data = (folder / "returned.xlsx").read_bytes()
    result = validate_bytes(data, "returned.xlsx", ctx)
    found = sorted(i.code for i in result.issues)
    assert found == case["expected"], [i.message() for i in result.issues]
    if not any(c.startswith(("E_FORMAT", "E_NOT_A_FORM")) for c in found):
        assert result.identity is not None and result.identity.unit in (case["unit"], "hmr-osvita")
    every_cell_issue_has_a_cell = all(
        i.where.cell
        for i in result.issues
        if i.code.startswith(("E_NUMBER", "W_NUMBER", "E_CHOICE", "W_CHOICE"))
    )
    assert every_cell_issue_has_a_cell


def test_there_is_a_case_for_each_kind() -> None:
    assert len(FOLDERS) >= 25
