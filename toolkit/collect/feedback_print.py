"""The feedback copy on paper: its remarks sheet, and the executor's sheets it marks,
printed legibly on A4 by the rule of ``toolkit.paper`` (openpyxl's side of it)."""

from __future__ import annotations

from typing import Any

from toolkit import paper
from toolkit.messages import Lang

_DEFAULT_WIDTH = 8.43  # Excel's column width when a sheet sets none


def print_setup(ws: Any, widths: list[float], title: str, lang: Lang, *, landscape: bool) -> None:
    """A4 at a scale that keeps the text legible (``toolkit.paper``): one page wide when
    that is legible, else pages across with column A repeated; title and page numbers in
    the header and footer."""
    placed = paper.fit(widths, landscape=landscape, repeat=1)
    setup = ws.page_setup
    setup.paperSize = paper.PAPER_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.scale = placed.scale
    setup.pageOrder = "overThenDown"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    if not placed.one_page_wide and not ws.print_title_cols:
        ws.print_title_cols = "A:A"
    m = paper.MARGINS
    ws.page_margins.left, ws.page_margins.right = m.left, m.right
    ws.page_margins.top, ws.page_margins.bottom = m.top, m.bottom
    ws.page_margins.header, ws.page_margins.footer = m.header, m.footer
    for part, text in (
        (ws.oddHeader, paper.header_text(title)),
        (ws.oddFooter, paper.footer_text(lang)),
    ):
        _header_parts(part, text)


def _header_parts(part: Any, text: str) -> None:
    """openpyxl keeps a header as left/center/right parts: the same codes, split."""
    for name in ("left", "center", "right"):
        getattr(part, name).text = None
    for code, name in (("&L", "left"), ("&C", "center"), ("&R", "right")):
        if code in text:
            chunk = text.split(code, 1)[1]
            for other in ("&L", "&C", "&R"):
                chunk = chunk.split(other, 1)[0]
            getattr(part, name).text = chunk


def legible(wb: Any, sheets: set[str], lang: Lang) -> None:
    """A marked sheet printed «fit to one page wide» (forms made before zvit printed them
    legibly) shrinks its text far below 8 pt: print it at a legible scale instead."""
    for name in sorted(sheets):
        ws = wb[name]
        setup = ws.page_setup
        squeezed = ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
        if not squeezed:
            continue
        widths = _widths(ws)
        print_setup(ws, widths, name, lang, landscape=setup.orientation != "portrait")


def _widths(ws: Any) -> list[float]:
    """Each column's width; openpyxl keeps a run of equal columns as one entry."""
    default = ws.sheet_format.defaultColWidth or _DEFAULT_WIDTH
    found = [float(default)] * ws.max_column
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for c in range(dim.min, min(dim.max or dim.min, ws.max_column) + 1):
                found[c - 1] = float(dim.width)
    return found
