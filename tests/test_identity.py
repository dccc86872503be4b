"""The identity sheet read back as made, or as a client retyped it: its row numbers turned
into numbers still name the same rows, and a hash edited is still caught."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from tests.collect_support import issue_forms, new_workspace
from toolkit.forms import layout as L
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context

UNIT = "loda-osvita"


def _edited(path: Path, edit: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(path)
    for ref, value in edit.items():
        wb["_zvit"][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_identity_rows_retyped_as_numbers_are_the_same_rows(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, (UNIT,))[UNIT]
    ctx = Context(ws.plan(), ws.registry())
    first = L.META_TABLE_TOP + 2  # 1-based: the header row, then the first measure
    as_made = validate_bytes(_edited(form.path, {}), "f.xlsx", ctx)
    wb = openpyxl.load_workbook(form.path)
    number = wb["_zvit"][f"B{first}"].value
    assert isinstance(number, str) and number.isdigit()
    retyped = validate_bytes(_edited(form.path, {f"B{first}": int(number)}), "f.xlsx", ctx)
    assert as_made.identity == retyped.identity and as_made.identity is not None
    assert "E_IDENTITY_TAMPERED" not in {i.code for i in retyped.issues}
    tampered = validate_bytes(_edited(form.path, {f"C{first}": "0" * 12}), "f.xlsx", ctx)
    assert "E_IDENTITY_TAMPERED" in {i.code for i in tampered.issues}


class _Book:
    """A package holding only an identity sheet's grid, as a reader gives it."""

    def __init__(self, grid: list[list[object]]) -> None:
        self._grid = grid

    def has_sheet(self, name: str) -> bool:
        return name == "_zvit"

    def grid(self, name: str) -> list[list[object]]:
        return self._grid


def test_identity_rows_read_as_text_whatever_the_cells_hold() -> None:
    from toolkit.validate.reader import read_meta

    top = [["zvit", "0.1.0", ""], ["form_id", "ZV-1", ""]]
    blank = [["", "", ""]] * (L.META_TABLE_TOP - len(top))
    table = [
        ["measure_id", "row", "row_hash"],
        ["I.1", "13", "ab12"],
        [7.0, 14.0, 123.0],
        ["I.3"],
        ["", "", ""],
    ]
    pairs, rows = read_meta(_Book(top + blank + table))  # type: ignore[arg-type]
    assert pairs["form_id"] == "ZV-1"
    # as made; numbers as a person reads them; a row cut short padded
    assert rows == [["I.1", "13", "ab12"], ["7", "14", "123"], ["I.3", "", ""]]
