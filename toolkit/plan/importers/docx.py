"""Plans in Word, read as a person sees them on the page.

The body is walked in order: paragraphs become text, tables become grids, a table that
holds tables (a layout table) gives its contents in reading order. A cell merged across
columns (``gridSpan``) stands in its first column; a cell merged down (``vMerge``) is
carried to every row it covers, marked as carried. Word's automatic numbers are put in
front of their paragraphs; tracked changes are read as if accepted (insertions in,
deletions out) and reported; hidden text and deleted rows are left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx

from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.plan.importers.grid import Block, Reading, Table
from toolkit.plan.importers.numbering import Numbering, W, read_numbering
from toolkit.text import visible

_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}delText", f"{W}instrText", f"{W}pPr", f"{W}rPr"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CHANGES = (f"{W}ins", f"{W}del", f"{W}moveTo", f"{W}moveFrom")


def read_docx(path: Path) -> Reading:
    document = docx.Document(str(path))
    part = document.part
    numbering_xml = _numbering(part)
    walker = _Walker(read_numbering(numbering_xml, document.styles.element))
    walker.body(document.element.body)
    notices = _tracked(document.element.body, path.name)
    return Reading(walker.blocks, notices)


def _numbering(part: Any) -> Any:
    try:
        return part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        return None


class _Walker:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.tables = 0

    def body(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == f"{W}p":
                self.blocks.append(self.paragraph(child))
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent")
                self.body(content if content is not None else child)

    def table(self, tbl: Any) -> None:
        if tbl.find(f".//{W}tc//{W}tbl") is not None:
            # A layout table: its cells, and the tables inside them, in reading order.
            for tr in _rows(tbl):
                for tc in tr.iterchildren(f"{W}tc"):
                    self.body(tc)
            return
        self.tables += 1
        grid: list[list[str]] = []
        carried: set[tuple[int, int]] = set()
        above: dict[int, str] = {}  # grid column → the text of a vertical merge's first cell
        for r, tr in enumerate(_rows(tbl)):
            row: list[str] = [""] * _grid_before(tr)
            for tc in _cells(tr):
                col = len(row)
                merge = _vmerge(tc)
                text = self.cell(tc)
                if merge == "continue":
                    text = above.get(col, "")
                    carried.add((r, col))
                else:
                    above[col] = text
                row += [text] + [""] * (_span(tc) - 1)
            grid.append(row)
        number = Message("plan.table.number", {"number": self.tables})
        self.blocks.append(Table(grid, carried, number))

    def cell(self, tc: Any) -> str:
        parts = [self.paragraph(p) for p in tc.iterchildren(f"{W}p")]
        for sdt in tc.iterchildren(f"{W}sdt"):
            parts += [self.paragraph(p) for p in sdt.iter(f"{W}p")]
        return "\n".join(parts).strip("\n")

    def paragraph(self, p: Any) -> str:
        ppr = p.find(f"{W}pPr")
        style = None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            style = ps.get(f"{W}val") if ps is not None else None
        label = self.numbering.label(ppr, style)
        text = visible("".join(_texts(p)))
        return f"{label} {text}" if label and text.strip() else label or text


def _texts(el: Any) -> list[str]:
    out: list[str] = []
    for child in el.iterchildren():
        tag = child.tag
        if tag in _SKIP or tag == _FALLBACK:
            continue
        if tag == f"{W}r" and _hidden(child):
            continue
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            out.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}p":
            out.append("\n")  # a paragraph inside a text box
            out += _texts(child)
        else:
            out += _texts(child)
    return out


def _hidden(run: Any) -> bool:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return False
    vanish = rpr.find(f"{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false")


def _rows(tbl: Any) -> list[Any]:
    """The table's rows, without those deleted as a tracked change."""
    out = []
    for tr in tbl.iterchildren(f"{W}tr"):
        trpr = tr.find(f"{W}trPr")
        if trpr is not None and trpr.find(f"{W}del") is not None:
            continue
        out.append(tr)
    return out


def _cells(tr: Any) -> list[Any]:
    cells = []
    for child in tr.iterchildren():
        if child.tag == f"{W}tc":
            cells.append(child)
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            cells += list(child.iter(f"{W}tc"))
    return cells


def _grid_before(tr: Any) -> int:
    trpr = tr.find(f"{W}trPr")
    el = trpr.find(f"{W}gridBefore") if trpr is not None else None
    return int(el.get(f"{W}val", "0")) if el is not None else 0


def _span(tc: Any) -> int:
    el = tc.find(f"{W}tcPr/{W}gridSpan")
    return max(1, int(el.get(f"{W}val", "1"))) if el is not None else 1


def _vmerge(tc: Any) -> str | None:
    el = tc.find(f"{W}tcPr/{W}vMerge")
    if el is None:
        return None
    return "restart" if el.get(f"{W}val") == "restart" else "continue"


def _tracked(body: Any, source: str) -> list[Issue]:
    """One warning naming the tracked changes read as if accepted."""
    inserted: list[str] = []
    deleted: list[str] = []
    for tag in _CHANGES:
        for el in body.iter(tag):
            words = "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText")).strip()
            if not words:
                continue
            (deleted if tag in (f"{W}del", f"{W}moveFrom") else inserted).append(words)
    if not inserted and not deleted:
        return []
    return [
        issue(
            "W_TRACKED_CHANGES",
            Location(file=source),
            inserted=len(inserted),
            deleted=len(deleted),
            examples="; ".join(f"«{_short(w)}»" for w in (inserted + deleted)[:3]),
        )
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"
