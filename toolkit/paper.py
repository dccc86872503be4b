"""How a workbook zvit writes goes on paper: A4, text never printed below 8 points, a wide
sheet spread over pages across with its header rows and row-label columns repeated, the
sheet's title and the page numbers in the header and footer.

One rule for every writer (the form, the feedback copy, the consolidated report): a sheet
is printed one page wide only when that keeps its smallest text legible; otherwise it is
printed at the legible scale and spans pages across, left to right before top to bottom,
so the pages of one band of rows lie side by side. The scale is fixed in the file, not
left to "fit to page", so what LibreOffice and Excel print can be predicted and tested.

Column widths are Excel's units (characters of the default font's digits). With the
default font Arial 10 (Liberation Sans where Arial is missing: the same metrics) a unit
prints about 5.65 points wide; a workbook whose default font is Calibri prints wider in a
LibreOffice without Carlito, so the writers make Arial their default font (``DEFAULT_FONT``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Protocol

from toolkit.messages import Lang, t

PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML
MIN_POINTS = 8.0  # the smallest text size a printed page may show
# Read-only: xlsxwriter changes the dicts it is given (a writer passes a copy).
DEFAULT_FONT: Mapping[str, object] = MappingProxyType({"font_name": "Arial", "font_size": 10})
HEADER_POINTS = 10  # header and footer text, scaled with the sheet like any cell
_A4_POINTS = (595.3, 841.9)  # portrait width, height
_POINTS_PER_UNIT = 5.65  # one unit of column width, Arial 10, measured in LibreOffice's PDF
_PADDING_POINTS = 3.0
_SLACK = 0.97  # clients round widths their own way: keep a little room on each page
_HEADER_LIMIT = 255  # Excel refuses a longer header or footer (codes included)


@dataclass(frozen=True)
class Margins:
    """In inches, as SpreadsheetML stores them."""

    left: float = 0.4
    right: float = 0.4
    top: float = 0.7
    bottom: float = 0.7
    header: float = 0.3
    footer: float = 0.3


MARGINS = Margins()


@dataclass(frozen=True)
class Fit:
    """The scale a sheet prints at and how many pages across that makes."""

    scale: int  # percent
    across: int

    @property
    def one_page_wide(self) -> bool:
        return self.across == 1


def column_points(width: float) -> float:
    return _POINTS_PER_UNIT * width + _PADDING_POINTS


def printable_width(landscape: bool, margins: Margins = MARGINS) -> float:
    paper = _A4_POINTS[1] if landscape else _A4_POINTS[0]
    return (paper - 72 * (margins.left + margins.right)) * _SLACK


def legible_scale(smallest_font: float) -> int:
    """The smallest scale (percent) that prints ``smallest_font`` at ``MIN_POINTS`` or more."""
    return min(100, math.ceil(100 * MIN_POINTS / smallest_font))


def fit(
    widths: Sequence[float],
    *,
    landscape: bool,
    smallest_font: float = 10,
    repeat: int = 0,
    margins: Margins = MARGINS,
) -> Fit:
    """The largest scale (up to 100 %) that spreads columns of ``widths`` over as few pages
    across as the legible scale does; the first ``repeat`` columns print on every page."""
    return _fit(tuple(widths), landscape, smallest_font, repeat, margins)


@lru_cache(maxsize=64)  # every form of a run has the same columns: planned once
def _fit(
    widths: tuple[float, ...], landscape: bool, smallest_font: float, repeat: int, margins: Margins
) -> Fit:
    floor = legible_scale(min(smallest_font, HEADER_POINTS))
    fewest = pages_across(widths, floor, landscape, repeat, margins)
    for scale in range(100, floor - 1, -1):
        if pages_across(widths, scale, landscape, repeat, margins) <= fewest:
            return Fit(scale, fewest)
    return Fit(floor, fewest)  # unreachable: the floor itself qualifies


def pages_across(
    widths: Sequence[float], scale: int, landscape: bool, repeat: int, margins: Margins = MARGINS
) -> int:
    """How many pages the columns take side by side at ``scale``, filled left to right."""
    room = printable_width(landscape, margins) * 100 / scale
    points = [column_points(w) for w in widths]
    if sum(points) <= room:
        return 1
    titles = sum(points[:repeat])
    pages, used = 1, 0.0
    for i, p in enumerate(points):
        if i < repeat:
            used += p
            continue
        if used + p > room and used > titles:
            pages, used = pages + 1, titles
        used += p
    return pages


def header_text(title: str, *, sheet_name: bool = False) -> str:
    """A header showing ``title`` on the left (and the sheet's name on the right), sized
    to stay legible, cut to Excel's limit. ``&`` starts a code in a header: a literal one
    is doubled."""
    size = f"&{HEADER_POINTS} "  # the space ends the number: "&102025" would be size 102025
    right = f"&R{size}&A" if sheet_name else ""
    budget = _HEADER_LIMIT - len("&L") - len(size) - len(right)
    text = " ".join(title.split())
    while len(text.replace("&", "&&")) > budget:
        text = text[:-2].rstrip() + "…"
    escaped = text.replace("&", "&&")
    return f"&L{size}{escaped}{right}"


def footer_text(lang: Lang, left: str = "") -> str:
    """«Сторінка N з M» on the right; ``left`` (e.g. the form's id) on the left."""
    size = f"&{HEADER_POINTS} "
    page = t("print.page", lang, page="&P", pages="&N")
    left_part = f"&L{size}{left.replace('&', '&&')}" if left else ""
    return f"{left_part}&R{size}{page}"


class PageSetup(Protocol):
    """What an xlsxwriter worksheet offers for its page (the writers' only workbook kind
    with a page set up here; the feedback copy, made with openpyxl, has its own)."""

    def set_paper(self, paper_type: int) -> None: ...
    def set_landscape(self) -> None: ...
    def set_portrait(self) -> None: ...
    def set_margins(self, left: float, right: float, top: float, bottom: float) -> None: ...
    def set_print_scale(self, scale: int) -> None: ...
    def print_across(self) -> None: ...
    def repeat_rows(self, first_row: int, last_row: int | None = None) -> Any: ...
    def repeat_columns(self, first_col: int, last_col: int | None = None) -> Any: ...
    def set_header(self, header: str = "", options: dict[str, Any] | None = None) -> Any: ...
    def set_footer(self, footer: str = "", options: dict[str, Any] | None = None) -> Any: ...


def set_up_page(
    ws: PageSetup,
    widths: Sequence[float],
    *,
    title: str,
    lang: Lang,
    landscape: bool,
    header_rows: tuple[int, int] | None = None,
    label_cols: int = 0,
    smallest_font: float = 10,
    sheet_name: bool = False,
    footer_left: str = "",
) -> Fit:
    """The rule applied to one sheet: A4 at the scale ``fit`` finds for ``widths``, pages
    across left to right, ``header_rows`` (first, last) on every page and the first
    ``label_cols`` columns too when the sheet spans pages across; ``title`` (and the
    sheet's name) in the header, the page numbers (and ``footer_left``) in the footer."""
    placed = fit(widths, landscape=landscape, smallest_font=smallest_font, repeat=label_cols)
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    m = MARGINS
    ws.set_margins(left=m.left, right=m.right, top=m.top, bottom=m.bottom)
    ws.set_print_scale(placed.scale)
    ws.print_across()
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    if label_cols and not placed.one_page_wide:
        ws.repeat_columns(0, label_cols - 1)
    ws.set_header(header_text(title, sheet_name=sheet_name), {"margin": m.header})
    ws.set_footer(footer_text(lang, left=footer_left), {"margin": m.footer})
    return placed
