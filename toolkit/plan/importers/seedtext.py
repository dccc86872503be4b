"""The two plain-text layouts of plans converted from Word or PDF.

*Tab rows*: one table row a line, cells separated by tabs, section titles in ``<b>…</b>``
(the Luhansk order). *Tab cells*: one cell a line, each starting with a tab, rows
separated by blank lines, a cell continued on lines of its own (the Hlukhiv decision)."""

from __future__ import annotations

import re

from toolkit.errors import InvalidFileError
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.plan.importers.numbers import SECTION
from toolkit.plan.importers.rows import FIELDS, Row

_SIGNATURE = re.compile(
    r"^\s*\**\s*(Начальник|Керуючий справами|Секретар|Міський голова|Заступник|Директор|"
    r"Голова|В\.\s*о\.)",
)
_ROW_NUMBER = re.compile(r"^\d{1,2}\.?$")


def read_text(text: str, source: str) -> tuple[str, list[Row], list[Issue]]:
    """Split a text dump into its preamble and the rows of its table."""
    lines = text.splitlines()
    if sum(line.count("\t") >= 3 for line in lines) > 5:
        return _tab_rows(lines)
    return _tab_cells(lines, source)


def _tab_rows(lines: list[str]) -> tuple[str, list[Row], list[Issue]]:
    start = next(i for i, line in enumerate(lines) if line.count("\t") >= 3)  # one exists
    rows: list[Row] = []
    for n, line in enumerate(lines[start + 1 :], start=start + 2):
        if "\t" not in line:
            if _SIGNATURE.match(line):
                break
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        bold = re.fullmatch(r"\s*<b>(.*)</b>\s*", cells[0], re.S)
        if bold:
            rows.append(Row("section", {"measure": bold.group(1)}, n))
        else:
            rows.append(Row("data", dict(zip(FIELDS, cells, strict=True)), n))
    return "\n".join(lines[:start]), rows, []


def _tab_cells(lines: list[str], source: str) -> tuple[str, list[Row], list[Issue]]:
    start = next((i for i, line in enumerate(lines) if line.startswith("\t")), None)
    if start is None:
        detail = Message("plan.table.no_tab_row")
        found = [issue("E_TABLE_NOT_FOUND", Location(file=source), detail=detail)]
        raise InvalidFileError(found, "common.file.unusable", file=source)
    cells = _cells(lines, start)
    header = _skip_header(cells)
    rows: list[Row] = []
    repairs: list[Issue] = []
    keys = ("number", "measure", "deadline", "executors", "indicator")
    i = header
    while i < len(cells):
        n, value = cells[i]
        if SECTION.match(value) and not _ROW_NUMBER.match(value):
            rows.append(Row("section", {"measure": value}, n))
            i += 1
        elif _ROW_NUMBER.match(value):
            if i + 1 < len(cells) and _ROW_NUMBER.match(cells[i + 1][1]):
                repairs.append(
                    issue("I_REPAIR_PAGE_NUMBER", Location(file=source, line=n), text=value)
                )
                i += 1
                continue
            group = [c[1] for c in cells[i : i + 5]]
            rows.append(Row("data", dict(zip(keys, group, strict=False)), n))
            i += 5
        else:
            rows.append(Row("heading", {"measure": value}, n))
            i += 1
    return "\n".join(lines[:start]), rows, repairs


def _cells(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Cells with the line each starts on; a line without a tab continues its cell,
    unless it is a row number that lost its tab ("2.")."""
    cells: list[tuple[int, str]] = []
    for n, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        if line.startswith("\t") or _ROW_NUMBER.match(line.strip()):
            cells.append((n, line.strip()))
        elif _SIGNATURE.match(line):
            break
        elif cells:
            cells[-1] = (cells[-1][0], f"{cells[-1][1]}\n{line.strip()}")
    return cells


def _skip_header(cells: list[tuple[int, str]]) -> int:
    """The column titles and the row of column numbers "1 2 3 4 5" open the table."""
    for i in range(len(cells) - 1):
        if cells[i][1] == "1" and cells[i + 1][1] == "2":
            j = i
            while j < len(cells) and cells[j][1] == str(j - i + 1):
                j += 1
            return j
    return 0
