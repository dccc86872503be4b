"""Cell formats of the consolidated report, made once per workbook."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from toolkit.paper import DEFAULT_FONT
from toolkit.report.status import DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE, NOT_STARTED

# Status colours: the usual traffic light, grey for what no longer matters, orange for silence.
FILLS = {
    DONE: "#C6EFCE",
    IN_PROGRESS: "#FFEB9C",
    NOT_DONE: "#FFC7CE",
    NOT_STARTED: "#FFC7CE",
    LOST: "#D9D9D9",
    NO_REPORT: "#F8CBAD",
}
_BASE = {**DEFAULT_FONT, "valign": "top"}  # the workbook's default font too: see toolkit.paper


class Styles:
    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self.title = self._add(bold=True, font_size=14)
        self.count = self._add(num_format="0", align="left")
        self.label = self._add(bold=True, text_wrap=True)
        self.header = self._add(
            bold=True,
            text_wrap=True,
            border=1,
            bg_color="#DDEBF7",
            align="center",
            valign="vcenter",
        )
        # quote_prefix: editing a cell in Excel keeps its text as text, never a formula.
        self.text = self._add(text_wrap=True, border=1, quote_prefix=True)
        self.plain = self._add(quote_prefix=True)
        self.wrap = self._add(text_wrap=True, quote_prefix=True)
        # A line to sign on or to write a name on, and the small word under it.
        self.sign_line = self._add(bottom=1, valign="bottom", align="center", quote_prefix=True)
        self.caption = self._add(italic=True, align="center", font_color="#595959")
        self.number = self._add(border=1, num_format="#,##0.###")
        self.money = self._add(border=1, num_format="#,##0.00")
        self.integer = self._add(border=1, num_format="0")
        self.percent = self._add(border=1, num_format="0.0%")
        self.flag = self._add(border=1, bold=True, font_color="#C00000", align="center")
        self.total_label = self._add(bold=True, border=1, bg_color="#F2F2F2")
        self.total_int = self._add(bold=True, border=1, num_format="0", bg_color="#F2F2F2")
        self.total_money = self._add(bold=True, border=1, num_format="#,##0.00", bg_color="#F2F2F2")
        self.total_percent = self._add(bold=True, border=1, num_format="0.0%", bg_color="#F2F2F2")
        self.status = {
            s: self._add(border=1, bg_color=c, text_wrap=True, quote_prefix=True)
            for s, c in FILLS.items()
        }
        self.status_small = {
            s: self._add(border=1, bg_color=c, text_wrap=True, align="center", quote_prefix=True)
            for s, c in FILLS.items()
        }

    def status_for(self, status: str | None, small: bool = False) -> Format:
        table = self.status_small if small else self.status
        return table.get(status or NO_REPORT, self.text)

    def _add(self, **props: Any) -> Format:
        fmt: Format = self._wb.add_format(_BASE | props)
        return fmt
