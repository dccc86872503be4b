"""Last period's answers carried into the next form, and measures past their deadline
kept on the form until reported done (``--prefill-from`` before there is a ledger)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from tests.forms_support import EXAMPLES, example, form_ids
from toolkit.cli import cli
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.styles import CARRIED_FILL
from toolkit.forms.writer import render_form
from toolkit.periods import Period

FOLDER = EXAMPLES / "luhansk-2018-2026"
UNIT = "loda-osvita"


def _filled_2024(path: Path) -> dict[str, str]:
    """The unit's 2024 form, filled: every measure "виконується" except two."""
    plan, registry = example("luhansk-2018-2026")
    definition = load_definition("annual")
    [spec] = build_specs(plan, registry, definition, Period(2024), only=[UNIT])
    wb = openpyxl.load_workbook(io.BytesIO(render_form(spec)))
    ws = wb["Звіт"]
    lay = L.Layout(definition, len(spec.rows))
    status: dict[str, str] = {}
    for i, row in enumerate(spec.rows):
        mid = row.measure.id
        status[mid] = {"V.1.15": "виконано"}.get(mid, "виконується")
        r = lay.data_row(i) + 1
        ws.cell(r, lay.col("status") + 1, status[mid])
        ws.cell(r, lay.col("done") + 1, f"У 2024 році за заходом {mid} зроблено крок.")
        ws.cell(r, lay.col("fund_state") + 1, 10.0)
    wb.save(path)
    return status


def test_prefill_carries_answers_and_keeps_overdue_measures(tmp_path: Path) -> None:
    status = _filled_2024(tmp_path / "2024.xlsx")
    out = tmp_path / "forms"
    result = CliRunner().invoke(
        cli,
        [
            "templates",
            "--period",
            "2025",
            "--unit",
            UNIT,
            "-o",
            str(out),
            "--plan",
            str(FOLDER / "plan.yaml"),
            "--units",
            str(FOLDER / "units.yaml"),
            "--prefill-from",
            str(tmp_path / "2024.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    [path] = out.glob("*.xlsx")
    plan, _ = example("luhansk-2018-2026")
    ids = form_ids(path.read_bytes())
    active = {m.id for m in plan.measures() if m.deadline.active_in(Period(2025))}
    overdue = [i for i in ids if i not in active]
    # ended in 2024, reported "виконується": stays; ended and "виконано": gone
    assert overdue and all(plan.measure(i).deadline.end.year <= 2024 for i in overdue)
    assert all(status[i] == "виконується" for i in overdue)
    assert "V.1.15" not in ids
    ws = openpyxl.load_workbook(path)["Звіт"]
    lay = L.Layout(load_definition("annual"), len(ids))
    for i, mid in enumerate(ids):
        r = lay.data_row(i) + 1
        note = ws.cell(r, lay.col("note") + 1).value or ""
        done = ws.cell(r, lay.col("done") + 1)
        if mid in status:
            assert ws.cell(r, lay.col("status") + 1).value == status[mid]
            assert done.value == f"У 2024 році за заходом {mid} зроблено крок."
            assert done.fill.fgColor.rgb.endswith(CARRIED_FILL.lstrip("#"))
            assert "Перенесено зі звіту за 2024 рік" in note
            # amounts are per period: never carried
            assert ws.cell(r, lay.col("fund_state") + 1).value is None
        else:
            assert done.value is None
        assert ("Термін минув" in note) == (mid in overdue)
