"""Writing cells of the report safely: untrusted text always as text, cleaned and cut to
what a cell can hold; every xlsxwriter return code checked.

Texts in the report come from returned workbooks (units' narratives, file names,
validation messages quoting cell values). They are written with ``write_string`` into a
workbook opened with ``strings_to_formulas``/``_urls``/``_numbers`` off, so
``=HYPERLINK(…)`` stays the characters a person typed. Their formats carry
``quote_prefix`` so that even editing such a cell in Excel does not turn it into a formula."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from toolkit import paper
from toolkit.messages import Lang, t
from toolkit.paper import Fit
from toolkit.text import strip_control

FONT_POINTS = 10  # every text of the report (``styles._BASE``)
CELL_LIMIT = 32_767  # UTF-16 units an Excel cell holds


class ReportWriteError(RuntimeError):
    """xlsxwriter refused a cell: a bug in the report writer, not a problem of the data."""


@functools.lru_cache(maxsize=8192)
def fit(text: str, lang: Lang = "uk") -> str:
    """Control characters removed; over the cell limit, cut with a visible marker.
    (Cached: a report repeats the same ids and names tens of thousands of times.)"""
    text = strip_control(text)
    if len(text) * 2 <= CELL_LIMIT or _utf16_len(text) <= CELL_LIMIT:
        return text
    marker = t("report.truncated", lang)
    budget = CELL_LIMIT - _utf16_len(marker)
    if len(text) == _utf16_len(text):  # no character outside the BMP: one unit each
        return text[:budget] + marker
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return text[:i] + marker
    return text  # unreachable: the text was over the limit


def _utf16_len(text: str) -> int:
    """Excel counts UTF-16 units: a character outside the BMP (an emoji) counts twice."""
    return len(text.encode("utf-16-le")) // 2


class Sheet:
    """A worksheet that only writes text as text and numbers as numbers."""

    def __init__(self, ws: Worksheet, lang: Lang) -> None:
        self.ws = ws
        self.lang = lang
        self.name: str = ws.get_name()
        self.widths: list[float] = []

    def text(self, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        if value is None or value == "":
            self._check(self.ws.write_blank(row, col, None, fmt), row, col)
            return
        self._check(self.ws.write_string(row, col, fit(str(value), self.lang), fmt), row, col)

    def merged(self, row: int, first: int, last: int, value: Any, fmt: Format) -> None:
        """Text across columns ``first``..``last`` of one row (as text, like ``text``)."""
        self._check(self.ws.merge_range(row, first, row, last, "", fmt), row, first)
        self.text(row, first, value, fmt)

    def number(self, row: int, col: int, value: float | None, fmt: Format | None = None) -> None:
        if value is None or not math.isfinite(value):
            self._check(self.ws.write_blank(row, col, None, fmt), row, col)
            return
        self._check(self.ws.write_number(row, col, value, fmt), row, col)

    def value(self, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """A value as reported: numbers as numbers, dates as ISO text, anything else text."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.number(row, col, float(value), fmt)
        elif isinstance(value, datetime | date):
            self.text(row, col, value.isoformat(), fmt)
        else:
            self.text(row, col, value, fmt)

    def row(self, row: int, values: list[Any], fmt: Format | None = None, col: int = 0) -> None:
        for i, v in enumerate(values):
            self.value(row, col + i, v, fmt)

    def columns(self, widths: Sequence[float]) -> None:
        """Set the column widths, kept for ``page`` to plan the printed pages."""
        self.widths = list(widths)
        for i, w in enumerate(widths):
            self.ws.set_column(i, i, w)

    def page(
        self,
        title: str,
        *,
        landscape: bool,
        header_rows: tuple[int, int] | None = None,
        label_cols: int = 0,
        smallest_font: float = FONT_POINTS,
    ) -> Fit:
        """A4 at a scale that keeps every text legible (``toolkit.paper``): one page wide
        when that is legible, else pages across with ``header_rows`` (first, last) and the
        first ``label_cols`` columns repeated on each; ``title`` (the report's) and the
        sheet's name in the header, the page numbers in the footer."""
        return paper.set_up_page(
            self.ws,
            self.widths,
            title=title,
            lang=self.lang,
            landscape=landscape,
            header_rows=header_rows,
            label_cols=label_cols,
            smallest_font=smallest_font,
            sheet_name=True,
        )

    def _check(self, code: int, row: int, col: int) -> None:
        # -2 (string cut) cannot happen: fit() cut it first. Anything else is our bug.
        if code != 0:
            raise ReportWriteError(f"{self.name}: cell ({row}, {col}) refused, code {code}")
