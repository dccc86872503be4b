"""Cell formats of a form: grey locked plan cells, white unlocked input cells, yellow
carried-over answers, red overdue notes."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

PLAN_FILL = "#F2F2F2"
CARRIED_FILL = "#FFF2CC"
HEAD_FILL = "#DDEBF7"
NUMBER_FORMATS = {"number": "#,##0.0##", "integer": "0", "date": "dd.mm.yyyy"}


class Styles:
    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
        box = base | {"border": 1}
        self.title = wb.add_format(base | {"bold": True, "font_size": 13, "text_wrap": False})
        self.subtitle = wb.add_format(base | {"italic": True})
        self.bold = wb.add_format(base | {"bold": True})
        self.wrap = wb.add_format(base)
        self.small = wb.add_format(base | {"font_size": 8, "font_color": "#808080"})
        self.label = wb.add_format(box | {"bold": True, "bg_color": PLAN_FILL})
        self.head = wb.add_format(
            box | {"bold": True, "bg_color": HEAD_FILL, "align": "center", "valign": "vcenter"}
        )
        self.plan = wb.add_format(box | {"bg_color": PLAN_FILL})
        self.overdue = wb.add_format(box | {"bg_color": PLAN_FILL, "font_color": "#C00000"})
        # The signature block: a bold label, a line to sign on, a line to write a name on
        # (unlocked), and the word under each line.
        self.sign_label = wb.add_format(base | {"bold": True, "valign": "bottom"})
        self.sign_line = wb.add_format(base | {"bottom": 1})
        self.sign_input = wb.add_format(base | {"bottom": 1, "locked": False, "valign": "bottom"})
        self.caption = wb.add_format(
            base | {"italic": True, "align": "center", "font_color": "#595959"}
        )
        self._input: dict[str, Format] = {}
        self._carried: dict[str, Format] = {}
        self._box = box

    def input_for(self, kind: str) -> Format:
        if kind not in self._input:
            self._input[kind] = self._make(kind, {"locked": False})
        return self._input[kind]

    def carried_for(self, kind: str) -> Format:
        if kind not in self._carried:
            self._carried[kind] = self._make(
                kind, {"locked": False, "bg_color": CARRIED_FILL, "italic": True}
            )
        return self._carried[kind]

    def _make(self, kind: str, extra: dict[str, Any]) -> Format:
        props = self._box | extra
        if kind in NUMBER_FORMATS:
            props["num_format"] = NUMBER_FORMATS[kind]
        return self._wb.add_format(props)
