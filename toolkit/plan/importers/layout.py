"""A document's blocks → the words before the plan table and the rows of the table.

The plan table is the first table whose header names the plan's columns; everything
before it (paragraphs, small layout tables, a cover sheet) is the preamble the
particulars are read from. Tables after it with the same header, or with no header and
as many columns ("Продовження додатка"), continue it and are joined; signature, approval
and note rows at the end of a table are dropped with a notice. Any other table of three
columns or more after the plan is named in a warning, never silently left out."""

from __future__ import annotations

from toolkit.errors import InvalidFileError
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.plan.importers.grid import Reading, Table
from toolkit.plan.importers.rows import Row, is_header_repeat
from toolkit.plan.importers.table import find_header, missing_columns, table_rows
from toolkit.plan.importers.trailer import trim_trailer
from toolkit.text import clean


def lay_out(reading: Reading, source: str) -> tuple[str, list[Row], list[Issue]]:
    preamble: list[str] = []
    rows: list[Row] = []
    notices = list(reading.notices)
    plan: tuple[dict[int, str], int] | None = None  # columns, width
    partial: tuple[Table, int, dict[int, str]] | None = None
    joined: list[str | Message] = []
    for block in reading.blocks:
        if isinstance(block, str):
            if plan is None:
                preamble.append(block)
            continue
        found = find_header(block.rows)
        if plan is None:
            if found and not missing_columns(found[1]):
                at, columns = found
                preamble += [_row_text(r) for r in block.rows[:at]]
                notices += _not_read(block.rows[at], columns, source)
                rows += _rows(block, at + 1, columns, source, notices)
                plan = (columns, _width(block))
            else:
                if found and (partial is None or len(found[1]) > len(partial[2])):
                    partial = (block, *found)
                preamble += [_row_text(r) for r in block.rows]
            continue
        columns, width = plan
        if found and set(found[1].values()) == set(columns.values()):
            rows += _rows(block, found[0] + 1, found[1], source, notices)
            joined.append(block.name)
        elif not found and _continues(block, width, columns):
            rows += _rows(block, 0, columns, source, notices)
            joined.append(block.name)
        elif found or _width(block) >= 3:
            notices.append(issue("W_TABLE_SKIPPED", Location(file=source), table=block.name))
    if plan is None:
        raise _no_table(source, partial)
    if joined:
        notices.append(issue("I_REPAIR_TABLES_JOINED", Location(file=source), tables=joined))
    return "\n\n".join(p for p in preamble if p.strip()), rows, notices


def _rows(
    table: Table, start: int, columns: dict[int, str], source: str, notices: list[Issue]
) -> list[Row]:
    rows, dropped = trim_trailer(table_rows(table, start, columns), source)
    notices += dropped
    return rows


def _not_read(header: list[str], columns: dict[int, str], source: str) -> list[Issue]:
    """Columns of the header zvit does not take (financing, notes …): said, not dropped
    silently. A title merged across several columns is named once."""
    titles = dict.fromkeys(clean(v) for i, v in enumerate(header) if i not in columns and clean(v))
    taken = {clean(header[i]) for i in columns if i < len(header)}
    return [
        issue("I_COLUMN_NOT_READ", Location(file=source), column=title)
        for title in titles
        if title not in taken
    ]


def _continues(table: Table, width: int, columns: dict[int, str]) -> bool:
    """A table without a header continues the plan when it has the plan's columns and
    opens with the plan's kind of rows (the column numbers, a section, a measure or the
    rest of one)."""
    if _width(table) != width:
        return False
    head = table_rows(Table(table.rows[:4], table.carried, table.name), 0, columns)
    return any(r.kind in ("section", "data") or is_header_repeat(r) for r in head)


def _width(table: Table) -> int:
    return max((len(r) for r in table.rows), default=0)


def _row_text(row: list[str]) -> str:
    return " ".join(clean(c) for c in row if clean(c))


def _no_table(source: str, partial: tuple[Table, int, dict[int, str]] | None) -> InvalidFileError:
    if partial is None:
        detail = Message("plan.table.no_header_row")
        found = issue("E_TABLE_NOT_FOUND", Location(file=source), detail=detail)
        return InvalidFileError([found], "common.file.unusable", file=source)
    table, at, columns = partial
    titles = ", ".join(clean(table.rows[at][i]) for i in columns)
    found = issue(
        "E_TABLE_MISSING_COLUMNS",
        Location(file=source, line=at + 1),
        missing=missing_columns(columns),
        found=titles,
    )
    return InvalidFileError([found], "common.file.unusable", file=source)
