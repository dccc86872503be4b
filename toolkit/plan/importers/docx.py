"""Plans in Word: the paragraphs before the largest table are the preamble; the table's
grid is read with vertically merged cells blanked below their first row."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InvalidFileError
from toolkit.issues import Location, issue


def grid_from_docx(path: Path) -> tuple[str, list[list[str]]]:
    import docx

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
        texts = []
        for i, cell in enumerate(cells):
            tc = cell._tc
            # the same cell object as the row above: a vertical merge, read once
            merged = i < len(above) and above[i] is tc
            texts.append("" if merged else cell.text)
        above = [c._tc for c in cells]
        grid.append(texts)
    preamble = "\n\n".join(p.text for p in _paragraphs_before(document, table))
    return preamble, grid


def _paragraphs_before(document: object, table: object) -> list[object]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body  # type: ignore[attr-defined]
    out: list[object] = []
    for child in body.iterchildren():
        if child is table._tbl:  # type: ignore[attr-defined]
            break
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, document))
        elif child.tag.endswith("}tbl"):
            out.extend(p for p in Table(child, document).rows[0].cells[0].paragraphs)
    return out
