"""Is the table the form that was sent? Rows are matched to measures by the id in their
first column, never by position: rows added, removed, repeated or reordered are
reported, and every locked plan cell is compared with the plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from toolkit.forms.definition import Column, FormDefinition
from toolkit.issues import Issue, Location, issue
from toolkit.plan.model import Measure
from toolkit.text import clean, norm
from toolkit.validate.reader import ReadRow, Table, raw_columns


@dataclass
class Matched:
    rows: dict[str, ReadRow] = field(default_factory=dict)  # measure id → its row
    issues: list[Issue] = field(default_factory=list)


def check_structure(
    table: Table,
    definition: FormDefinition,
    expected: tuple[str, ...],
    measures: Mapping[str, Measure],
    file: str,
) -> Matched:
    out = Matched()
    sheet = table.sheet
    if sheet not in definition.sheet_names("report"):  # a form in any language
        out.issues.append(
            issue(
                "W_SHEET_RENAMED",
                Location(file=file, sheet=sheet),
                found=sheet,
                expected=definition.sheets["report"],
            )
        )
    for key in table.missing:
        column = definition.column(key).header
        out.issues.append(
            issue("E_COLUMN_MISSING", Location(file=file, sheet=sheet), column=column)
        )
    if table.moved and not table.missing:
        out.issues.append(issue("W_COLUMNS_MOVED", Location(file=file, sheet=sheet)))
    _match_rows(table, expected, file, out)
    compared = [c for c in definition.plan_columns if (c.source or "") in _SOURCES]
    known = [(mid, row) for mid, row in out.rows.items() if mid in measures]
    out.issues += _plan_cells(known, measures, compared, sheet, file)
    return out


def _match_rows(table: Table, expected: tuple[str, ...], file: str, out: Matched) -> None:
    sheet = table.sheet
    wanted = set(expected)
    order: list[str] = []
    (ids,) = raw_columns(table.rows, ["measure_id"])
    for row, as_read in zip(table.rows, ids, strict=True):
        mid = clean(str(as_read or ""))
        if mid in out.rows:
            where = _row_where(row, mid, sheet, file)
            out.issues.append(issue("E_ROW_DUPLICATE", where, measure=mid))
        elif mid in wanted or (not expected and mid):
            out.rows[mid] = row
            order.append(mid)
        else:
            where = _row_where(row, mid, sheet, file)
            out.issues.append(issue("E_ROW_ADDED", where, measure=mid or "—"))
    for mid in expected:
        if mid not in out.rows:
            out.issues.append(
                issue("E_ROW_REMOVED", Location(file=file, sheet=sheet, measure=mid), measure=mid)
            )
    present = [m for m in expected if m in out.rows]
    if order != present:
        out.issues.append(issue("W_ROWS_REORDERED", Location(file=file, sheet=sheet)))


def _row_where(row: ReadRow, mid: str, sheet: str, file: str) -> Location:
    return Location(file=file, sheet=sheet, cell=row.cell("measure_id").ref, measure=mid or None)


def _plan_cells(
    rows: list[tuple[str, ReadRow]],
    measures: Mapping[str, Measure],
    columns: list[Column],
    sheet: str,
    file: str,
) -> list[Issue]:
    """``columns``: the plan columns whose source is in ``_SOURCES``. Each is compared
    with the plan whole, as the sheet holds it (the usual form: untouched), and cell by
    cell only where it differs."""
    found = []
    read = raw_columns([row for _, row in rows], [c.key for c in columns])
    planned = (
        dict(
            zip(
                _SOURCES,
                zip(*[_planned(measures[mid]) for mid, _ in rows], strict=True),
                strict=True,
            )
        )
        if rows
        else {}
    )
    for column, got in zip(columns, read, strict=True):
        wanted = planned.get(column.source or "", ())
        if tuple(got) == wanted:
            continue
        for (mid, row), as_read, want in zip(rows, got, wanted, strict=True):
            if as_read == want or _same(row.value(column.key), want):
                continue
            where = Location(file=file, sheet=sheet, cell=row.cell(column.key).ref, measure=mid)
            found.append(issue("E_PLAN_TEXT_CHANGED", where, column=column.header))
    return found


# What a plan column must hold, by its source in the plan, as the sheet holds it ("": an
# empty cell, which must stay empty). Columns of other sources are not compared.
_SOURCES: dict[str, Callable[[Measure], str | float]] = {
    "measure.id": lambda m: m.id,
    "measure.text": lambda m: m.text,
    "measure.deadline": lambda m: m.deadline.raw,
    "measure.indicator": lambda m: m.indicator.raw,
    "measure.unit": lambda m: m.indicator.unit or "",
    "measure.target": lambda m: "" if m.indicator.target is None else m.indicator.target,
}


_PLANNED: dict[int, tuple[Measure, tuple[str | float, ...]]] = {}


def _planned(m: Measure) -> tuple[str | float, ...]:
    """What each of ``_SOURCES`` gives for a measure, made once: a measure is on the forms
    of all its executors. (The measure is held with them, so its id stays its own.)"""
    found = _PLANNED.get(id(m))
    if found is None:
        if len(_PLANNED) > 100_000:  # a process that has read many plans
            _PLANNED.clear()
        found = _PLANNED[id(m)] = (m, tuple(source(m) for source in _SOURCES.values()))
    return found[1]


def _same(got: object, expected: str | float) -> bool:
    """``got``: as ``ReadRow.values`` gives it (None for a blank cell)."""
    if isinstance(expected, float):
        try:
            return got is not None and abs(float(str(got).replace(",", ".")) - expected) < 1e-9
        except ValueError:
            return False
    text = "" if got is None else str(got)
    return text == expected or norm(text) == norm(expected)
