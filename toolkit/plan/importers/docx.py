"""Plans in Word: the paragraphs before the largest table are the preamble; the table's
grid is read with vertically merged cells blanked below their first row."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from toolkit.errors import InvalidFileError
from toolkit.issues import Location, issue


def grid_from_docx(path: Path) -> tuple[str, list[list[str]]]:
    document = docx.Document(str(path))
    if not document.tables:
        raise InvalidFileError(
            f"{path.name}: немає таблиці",
            [issue("E_TABLE_NOT_FOUND", Location(file=path.name), detail="у документі Word")],
        )
    table = max(document.tables, key=lambda t: len(t.rows))
    grid: list[list[str]] = []
    above: list[object] = []
    for row in table.rows:
        cells = row.cells
        # the same cell element as the row above: a vertical merge, read once
        grid.append(
            ["" if i < len(above) and above[i] is c._tc else c.text for i, c in enumerate(cells)]
        )
        above = [c._tc for c in cells]
    preamble = "\n\n".join(p.text for p in _paragraphs_before(document, table))
    return preamble, grid


def _paragraphs_before(document: Document, table: Table) -> list[Paragraph]:
    out: list[Paragraph] = []
    for child in document.element.body.iterchildren():
        if child is table._tbl:
            break
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, document))
        elif child.tag.endswith("}tbl"):
            out.extend(Table(child, document).rows[0].cells[0].paragraphs)
    return out
