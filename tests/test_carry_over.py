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


def test_workspace_carries_over_from_the_ledger(tmp_path: Path) -> None:
    """The cycle in a workspace: 2024 forms made, one returned and collected; the 2025
    forms of that unit start from its accepted 2024 answers."""
    ws = tmp_path / "ws"
    run = CliRunner().invoke
    assert run(cli, ["init", str(ws), "--from", str(EXAMPLES / "hlukhiv-2020-2026")]).exit_code == 0
    assert run(cli, ["-w", str(ws), "templates", "--period", "2024"]).exit_code == 0
    [form] = (ws / "forms" / "2024").glob("Терцентр*.xlsx")
    wb = openpyxl.load_workbook(form)
    ws_sheet = wb["Звіт"]
    definition = load_definition("annual")
    ids = form_ids(form.read_bytes())
    lay = L.Layout(definition, len(ids))
    for key, value in (
        ("person", "Іваненко О. П."),
        ("phone", "2-22-22"),
        ("filled_on", "14.01.2025"),
    ):
        ws_sheet.cell(lay.header_row(key) + 1, L.VALUE_COLS[0] + 1, value)
    plan, _ = example("hlukhiv-2020-2026")
    for i, mid in enumerate(ids):
        r = lay.data_row(i) + 1
        ws_sheet.cell(r, lay.col("status") + 1, "виконується")
        ws_sheet.cell(r, lay.col("done") + 1, f"Зроблено у 2024: {mid}")
        if plan.measure(mid).indicator.target is not None:
            ws_sheet.cell(r, lay.col("value") + 1, 1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wb.save(inbox / "будь-яка назва.xlsx")
    result = run(cli, ["-w", str(ws), "collect", str(inbox), "--period", "2024"])
    assert result.exit_code == 0, result.output
    assert run(cli, ["-w", str(ws), "templates", "--period", "2025"]).exit_code == 0
    [new] = (ws / "forms" / "2025").glob("Терцентр*.xlsx")
    sheet = openpyxl.load_workbook(new)["Звіт"]
    new_ids = form_ids(new.read_bytes())
    lay = L.Layout(definition, len(new_ids))
    carried = [
        mid
        for i, mid in enumerate(new_ids)
        if sheet.cell(lay.data_row(i) + 1, lay.col("done") + 1).value == f"Зроблено у 2024: {mid}"
    ]
    assert carried and set(carried) <= set(ids)
    assert set(carried) == set(new_ids) & set(ids)
