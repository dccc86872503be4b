"""Locked plan cells compared with the plan, cell by cell: an edited, emptied or newly
filled plan cell is reported at its own cell, and an untouched row gives nothing."""

from __future__ import annotations

from pathlib import Path

from tests.collect_support import SHEET, answers, fill, issue_forms, measure_ids, new_workspace
from toolkit.cellref import a1
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context

UNIT = "loda-osvita"


def test_plan_cells_edited_emptied_or_filled_are_each_reported(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, (UNIT,))[UNIT]
    ids = measure_ids(form.path.read_bytes())
    plan = ws.plan()
    lay = L.Layout(load_definition("annual"), len(ids))
    with_target = next(i for i, m in enumerate(ids) if plan.measure(m).indicator.target)
    without = next(i for i, m in enumerate(ids) if plan.measure(m).indicator.target is None)

    def ref(i: int, key: str) -> str:
        return a1(lay.data_row(i), lay.col(key))

    clean = answers(ws, form)
    ctx = Context(plan, ws.registry())
    untouched = validate_bytes(fill(form, clean), "clean.xlsx", ctx)
    assert untouched.accepted and not untouched.issues, untouched.issues

    edits = {
        (SHEET, ref(with_target, "target")): None,  # emptied
        (SHEET, ref(without, "target")): 5,  # an empty target cell filled in
        (SHEET, ref(without, "deadline")): "інший строк",  # edited
        (SHEET, ref(with_target, "note")): "примітка",  # not a plan column: no issue
    }
    result = validate_bytes(fill(form, clean | edits), "edited.xlsx", ctx)
    changed = sorted(i.where.cell or "" for i in result.issues if i.code == "E_PLAN_TEXT_CHANGED")
    expected = [ref(with_target, "target"), ref(without, "target"), ref(without, "deadline")]
    assert changed == sorted(expected)
    assert {i.code for i in result.issues} == {"E_PLAN_TEXT_CHANGED"}
