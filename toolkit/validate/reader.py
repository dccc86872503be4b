"""A returned workbook → the values of its form, each with its cell.

Cell values come from a ``sheets.SheetReader`` (the XML fast path where it is certain,
python-calamine everywhere else — the same typed values either way: numbers, text,
dates); the identity carriers, defined names and formulas from the package parts. The
table is found through the defined name the form was made with, or by its column titles
when a client lost it; columns are matched by title, so a moved column is still read
correctly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from toolkit.cellref import a1, cell_index, column_of, row_of, split_sheet_ref
from toolkit.forms import layout as L
from toolkit.forms.definition import Column, FormDefinition
from toolkit.messages import LANGS, t
from toolkit.text import cell_text, clean, norm
from toolkit.validate.parts import (
    Members,
    Parts,
    formula_cells,
    percent_styles,
    read_parts,
    styled_cells,
)
from toolkit.validate.sheets import Declined, Grid, SheetReader, open_sheets

_new = tuple.__new__


class Cell(NamedTuple):
    """A cell as read (a named tuple: a form has hundreds)."""

    ref: str
    value: Any
    formula: str | None = None
    percent: bool = False  # shown as a percentage: Excel stores a typed "60 %" as 0.6

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


class _Sheet(NamedTuple):
    """What every row of a table shares: where its columns are and which of its cells
    hold formulas or show percentages."""

    columns: dict[str, int]
    letters: dict[str, str]
    formulas: dict[str, str]
    percents: set[str]


class ReadRow:
    """A table row as read. Its cells are made only when asked for: a form has thousands
    and most checks look at a few."""

    __slots__ = ("_line", "_sheet", "row")

    def __init__(self, row: int, line: list[Any], sheet: _Sheet) -> None:
        self.row = row  # 1-based, as a person sees it
        self._line = line
        self._sheet = sheet

    def cell(self, key: str) -> Cell:
        return self.cells((key,))[0]

    def cells(self, keys: Sequence[str]) -> list[Cell]:
        """The cells of several columns at once (the hot loop of reading answers)."""
        line, n, row = self._line, len(self._line), str(self.row)
        columns, letters, formulas, percents = self._sheet
        plain = not formulas and not percents
        out = []
        for key in keys:
            c = columns[key]
            value = line[c] if c < n else None
            ref = letters[key] + row
            if value == "":
                value = None
            # tuple.__new__ skips the named tuple's own __new__, a Python function
            out.append(
                _new(Cell, (ref, value, None, False))
                if plain
                else Cell(ref, value, formulas.get(ref), ref in percents)
            )
        return out

    def value(self, key: str) -> Any:
        return self.values((key,))[0]

    def values(self, keys: Sequence[str]) -> list[Any]:
        """The values of several columns; blank text is None."""
        line, n, columns = self._line, len(self._line), self._sheet.columns
        out = []
        for key in keys:
            c = columns.get(key)
            value = line[c] if c is not None and c < n else None
            out.append(None if isinstance(value, str) and not value.strip() else value)
        return out


def plain_columns(rows: Sequence[ReadRow], keys: Sequence[str]) -> list[list[Any]] | None:
    """Each column's values down the rows of one table, as ``ReadRow.cells`` gives them
    (an empty cell is None), when no cell of the sheet holds a formula or shows a
    percentage (nearly every form); None otherwise, for ``cells`` to tell which do."""
    if rows and (rows[0]._sheet.formulas or rows[0]._sheet.percents):
        return None
    # map(dict.get, …) runs in C: "" (an empty cell) becomes None, any other value itself
    return [list(map(_EMPTY_IS_NONE.get, column, column)) for column in raw_columns(rows, keys)]


_EMPTY_IS_NONE: dict[Any, Any] = {"": None}


def raw_columns(rows: Sequence[ReadRow], keys: Sequence[str]) -> list[list[Any]]:
    """Each column's values down the rows of one table exactly as the sheet holds them
    ("" for an empty cell, blank text as it is): for comparing whole columns at once."""
    if not rows:
        return [[] for _ in keys]
    lines, columns = [row._line for row in rows], rows[0]._sheet.columns  # rows share it
    wanted = [columns.get(key, -1) for key in keys]
    if len(wanted) > 1 and min(wanted) >= 0 and max(wanted) < min(map(len, lines)):
        # the usual table (a sheet's grid is as wide on every row): rows cut and turned
        # into columns in C
        return [list(column) for column in zip(*map(itemgetter(*wanted), lines), strict=True)]
    return [[line[c] if -1 < c < len(line) else "" for line in lines] for c in wanted]


@dataclass
class Package:
    """An opened workbook: its parts, and the reader of its sheets' cells."""

    zf: Members
    parts: Parts
    sheets: SheetReader

    def grid(self, sheet: str) -> Grid:
        got = self.sheets.grid(sheet)
        if isinstance(got, Declined):  # no reader could: the file's fault
            raise ValueError(got.reason)
        return got

    def sheet_names(self) -> list[str]:
        """The worksheets, in the workbook's order."""
        return list(self.parts.sheet_paths)

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.parts.sheet_paths

    def close(self) -> None:
        self.zf.close()
        self.sheets.close()


def open_package(
    data: bytes, inflated: Mapping[str, bytes] | None = None, names: Iterable[str] | None = None
) -> Package:
    """``inflated``/``names``: what the file gate already read of the package, so the
    parts are not inflated twice."""
    zf = Members(data, inflated, names)
    parts = read_parts(zf)
    return Package(zf, parts, open_sheets(data, zf, parts))


@dataclass
class Table:
    sheet: str
    top: int  # zero-based row of the first of the two header rows
    columns: dict[str, int]  # column key → zero-based column index
    titles: list[str]
    moved: bool  # columns found by title away from where the form put them
    missing: list[str]  # column keys whose title was not found at all
    rows: list[ReadRow]
    header: dict[str, Cell]


def read_meta(
    pkg: Package, definition_sheet: str = "_zvit"
) -> tuple[dict[str, str], list[list[str]]]:
    """The hidden identity sheet: key/value pairs and the table of rows."""
    if not pkg.has_sheet(definition_sheet):
        return {}, []
    grid = pkg.grid(definition_sheet)
    pairs = {str(r[0]): cell_text(r[1]) for r in grid[1 : L.META_TABLE_TOP] if len(r) > 1 and r[0]}
    # padded to three cells: a client may have dropped empty trailing columns
    rows = [
        r[:3]
        if len(r) >= 3 and type(r[0]) is type(r[1]) is type(r[2]) is str  # as made
        else [cell_text(v) for v in [*r[:3], None, None][:3]]
        for r in grid[L.META_TABLE_TOP + 1 :]
        if r and r[0]
    ]
    return pairs, rows


def read_table(pkg: Package, definition: FormDefinition) -> Table | None:
    """The report table, or None when no sheet holds it."""
    found = _locate(pkg, definition)
    if found is None:
        return None
    sheet, top = found
    grid = pkg.grid(sheet)
    titles = [clean(cell_text(v)) for v in (grid[top + 1] if top + 1 < len(grid) else [])]
    columns, missing, moved = _match_columns(definition, grid, top)
    path = pkg.parts.sheet_paths.get(sheet)
    formulas = formula_cells(pkg.zf, path) if path else {}
    percents = styled_cells(pkg.zf, path, percent_styles(pkg.zf)) if path else set()
    letters = {k: a1(0, c)[:-1] for k, c in columns.items()}
    shared = _Sheet(columns, letters, formulas, percents)
    in_table = set(letters.values())
    formula_rows = {row_of(ref) for ref in formulas if column_of(ref) in in_table}
    wanted = sorted(set(columns.values()))
    rows = [
        ReadRow(r + 1, grid[r], shared)
        for r in range(top + 2, _table_end(pkg, sheet, grid, top))
        if r + 1 in formula_rows or _filled(grid[r], wanted)
    ]
    header = _header(pkg, grid, sheet, definition, formulas)
    return Table(sheet, top, columns, titles, moved, missing, rows, header)


def _table_end(pkg: Package, sheet: str, grid: Grid, top: int) -> int:
    """The row the table ends before: the signature block under it, found by its defined
    name (clients move it with inserted rows), else by its label in the first column; the
    sheet's end for a form made without one."""
    target = split_sheet_ref(pkg.parts.names.get(L.NAME_SIGN, ""))
    if target and target[0] == sheet:
        r, _ = cell_index(target[1].split(":")[0])
        if r > top + 1:
            return min(r, len(grid))
    for r in range(top + 2, len(grid)):
        if grid[r] and norm(cell_text(grid[r][0])) in _SIGN_LABELS:
            return r
    return len(grid)


_SIGN_LABELS = frozenset(norm(t("print.sign.head", lang)) for lang in LANGS)


def _filled(line: list[Any], columns: list[int]) -> bool:
    """Does the row hold anything in the table's columns (blank text is nothing)?"""
    for c in columns:
        if c < len(line):
            v = line[c]
            if v is not None and v != "" and not (isinstance(v, str) and not v.strip()):
                return True
    return False


def _locate(pkg: Package, definition: FormDefinition) -> tuple[str, int] | None:
    target = split_sheet_ref(pkg.parts.names.get(L.NAME_TABLE, ""))
    if target and pkg.has_sheet(target[0]):
        top, _ = cell_index(target[1].split(":")[0])
        if _looks_like_header(pkg.grid(target[0]), top, definition):
            return target[0], top
    preferred = [s for s in definition.sheet_names("report") if pkg.has_sheet(s)]
    sheets = preferred + [s for s in pkg.sheet_names() if s not in preferred]
    for sheet in sheets:
        grid = pkg.grid(sheet)
        for r in range(min(len(grid), 60)):
            if _looks_like_header(grid, r, definition):
                return sheet, r
    return None


def _looks_like_header(grid: Grid, top: int, definition: FormDefinition) -> bool:
    if top + 1 >= len(grid):
        return False
    first = _titles(definition.columns[0])
    return any(norm(cell_text(v)) in first for v in grid[top][:3] + grid[top + 1][:3])


def _titles(column: Column) -> tuple[str, ...]:
    """A column's title as a form in each language heads it, normalised."""
    h = column.header
    return (norm(h.uk), norm(h.en)) if h.en else (norm(h.uk),)


def _match_columns(
    definition: FormDefinition, grid: Grid, top: int
) -> tuple[dict[str, int], list[str], bool]:
    """Each column by its title in either header row; where it should be, if titles agree."""
    found: dict[str, int] = {}
    rows = [[norm(cell_text(v)) for v in grid[top]], [norm(cell_text(v)) for v in grid[top + 1]]]
    positions: dict[str, int] = {}
    for row in rows:
        for c, title in enumerate(row):
            positions.setdefault(title, c)
    missing = []
    for c, column in enumerate(definition.columns):
        titles = _titles(column)
        here = any(c < len(row) and row[c] in titles for row in rows)
        elsewhere = [positions[t] for t in titles if t in positions]
        if here:
            found[column.key] = c
        elif elsewhere:
            found[column.key] = elsewhere[0]
        else:
            missing.append(column.key)
            found[column.key] = c
    moved = any(found[col.key] != c for c, col in enumerate(definition.columns))
    return found, missing, moved


def _header(
    pkg: Package, grid: Grid, sheet: str, definition: FormDefinition, formulas: dict[str, str]
) -> dict[str, Cell]:
    out = {}
    for i, field_ in enumerate(definition.header):
        target = split_sheet_ref(pkg.parts.names.get(L.NAME_HEADER_PREFIX + field_.key, ""))
        if target and target[0] == sheet:
            r, c = cell_index(target[1].split(":")[0])
        else:
            r, c = L.HEADER_TOP + i, L.VALUE_COLS[0]
        out[field_.key] = _cell(grid, r, c, formulas)
    return out


def _cell(
    grid: Grid, r: int, c: int, formulas: dict[str, str], percents: set[str] | None = None
) -> Cell:
    value = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
    ref = a1(r, c)
    if value == "":
        value = None
    return Cell(ref, value, formulas.get(ref), ref in (percents or ()))
