"""Answers read column by column give what reading every cell on its own gives: the same
values, cells, values as typed and issues — for clean columns taken whole, for columns
with cells to repair, and for sheets with formulas (read cell by cell) — and they come
back from the ledger's JSON the same."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.collect_support import SHEET, answers, fill, issue_forms, measure_ids, new_workspace
from toolkit.cellref import a1
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.issues import Issue, Location
from toolkit.jsonio import dumps, loads
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context
from toolkit.validate.identity import read_identity
from toolkit.validate.normalise import all_usual, normalise_cell, usual
from toolkit.validate.reader import open_package, read_table
from toolkit.validate.result import AnswerRow, Answers, Value
from toolkit.validate.structure import check_structure
from toolkit.validate.values import read_answers

UNIT = "loda-osvita"
DEFINITION = load_definition("annual")


def _messy(ws: Any, form: Any, ids: list[str], *, formula: bool) -> dict[tuple[str, str], Any]:
    """A report with something to repair or reject in most columns."""
    lay = L.Layout(DEFINITION, len(ids))

    def ref(i: int, key: str) -> tuple[str, str]:
        return SHEET, a1(lay.data_row(i), lay.col(key))

    cells = answers(ws, form)
    cells |= {
        ref(0, "status"): "Виконано.",  # a harmless variant: a warning
        ref(1, "status"): "зроблено все",  # not in the list: an error
        ref(0, "value"): "12,5",  # a number typed as text
        ref(1, "value"): "100 %",
        ref(2, "value"): datetime(2025, 3, 1, 10, 30),  # a date in a number cell
        ref(0, "done"): "  пробіли довкола  ",
        ref(1, "done"): "   ",  # blank
        ref(2, "done"): "рядок\tз табуляцією",
        ref(0, "fund_state"): "-5",
        ref(1, "fund_state"): "1 234,50 грн",
        ref(2, "reasons"): date(2025, 5, 1),  # a date in a text cell
    }
    if formula:
        cells[ref(3, "fund_other")] = "=1+2"
    return cells


def _read(data: bytes, ctx: Context) -> tuple[Answers, list[Issue], Any, Any]:
    pkg = open_package(data)
    identity, _ = read_identity(pkg, "f.xlsx")
    assert identity is not None
    table = read_table(pkg, DEFINITION)
    assert table is not None
    matched = check_structure(table, DEFINITION, identity.measure_ids, ctx.measures(), "f.xlsx")
    found, issues = read_answers(
        table, matched.rows, DEFINITION, ctx.measures(), "f.xlsx", ctx.sole_measures(identity.unit)
    )
    return found, issues, table, matched


def _key(i: Issue) -> tuple[str, str, str]:
    return i.code, i.where.cell or "", i.where.measure or ""


def _cell_by_cell(table: Any, matched: Any) -> tuple[list[AnswerRow], list[Issue]]:
    """Every input cell normalised on its own: what the answers must equal."""
    keys = [c.key for c in DEFINITION.input_columns]
    rows, issues = [], []
    for mid, row in matched.rows.items():
        values = {}
        for column, cell in zip(DEFINITION.input_columns, row.cells(keys), strict=True):

            def where(ref: str, mid: str = mid) -> Location:
                return Location(file="f.xlsx", sheet=table.sheet, cell=ref, measure=mid)

            value = normalise_cell(column, cell, where, issues)
            stored = value.isoformat() if isinstance(value, date) else value
            values[column.key] = Value(stored, cell.ref, cell.value)
        rows.append(AnswerRow(mid, row.row, values))
    return rows, issues


@pytest.mark.parametrize("formula", [False, True], ids=["columns", "cell-by-cell"])
def test_answers_read_by_column_equal_every_cell_read_alone(tmp_path: Path, formula: bool) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, (UNIT,))[UNIT]
    ids = measure_ids(form.path.read_bytes())
    ctx = Context(ws.plan(), ws.registry())
    found, issues, table, matched = _read(fill(form, _messy(ws, form, ids, formula=formula)), ctx)
    assert found.columns is not None and found.columns.raws  # something was repaired
    expected_rows, expected_issues = _cell_by_cell(table, matched)
    assert found.rows == expected_rows
    # every repair reported as when each cell is read alone (the schema adds its own)
    assert {i.code for i in expected_issues} >= {"W_CHOICE_NORMALISED", "W_NUMBER_AS_TEXT"}
    assert not Counter(map(_key, expected_issues)) - Counter(map(_key, issues))
    # the ledger's JSON gives the same answers back (values as typed are not kept)
    back = Answers.from_json(loads(dumps(found.to_json())))
    assert "keys" in found.to_json()
    assert [[(v.value, v.cell) for v in r.values.values()] for r in back.rows] == [
        [(v.value, v.cell) for v in r.values.values()] for r in expected_rows
    ]
    assert [(r.measure_id, r.row) for r in back.rows] == [
        (r.measure_id, r.row) for r in expected_rows
    ]


def test_a_whole_check_reports_the_same_wherever_a_column_is_repaired(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, (UNIT,))[UNIT]
    ids = measure_ids(form.path.read_bytes())
    ctx = Context(ws.plan(), ws.registry())
    plain = validate_bytes(fill(form, _messy(ws, form, ids, formula=False)), "f.xlsx", ctx)
    flagged = validate_bytes(fill(form, _messy(ws, form, ids, formula=True)), "f.xlsx", ctx)
    extra = {"W_FORMULA_IN_INPUT"}
    assert [(i.code, i.where.cell) for i in plain.issues] == [
        (i.code, i.where.cell) for i in flagged.issues if i.code not in extra
    ]
    assert not plain.accepted  # "зроблено все" is not a status


_POOL: list[Any] = [
    None,
    "виконано",
    "Виконано.",
    "виконується",
    " виконано",
    "текст",
    " текст",
    "текст ",
    "   ",
    "а\tб",
    "\u00a0текст",
    "рядок\nрядок",
    "12,5",
    "100 %",
    1.0,
    -2.5,
    0.0,
    True,
    False,
    date(2025, 1, 2),
    datetime(2025, 1, 2, 3, 4),
    timedelta(days=1),
    "",
    7,
]


def test_a_column_taken_whole_never_holds_a_cell_to_repair() -> None:
    rng = random.Random(5)
    taken = 0
    for _ in range(4000):
        column = rng.choice(DEFINITION.input_columns)
        values = [rng.choice(_POOL) for _ in range(rng.randint(0, 4))]
        if all_usual(column, values):
            taken += 1
            assert all(usual(column, v) for v in values), (column.key, values)
    assert taken > 100
    # and the clean columns of a careful executor are taken whole
    for column in DEFINITION.input_columns:
        clean = {
            "number": [1.0, None, 2.5],
            "choice": ["виконано", None],
            "text": ["Проведено наради.", None],
        }.get(column.type, [None])
        assert all_usual(column, clean), column.key
