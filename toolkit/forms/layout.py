"""Where things sit in a form workbook, computed from the definition alone — so the
writer that puts them there and the reader that looks for them cannot disagree.

Report sheet, top to bottom: title, plan title, the header block (label | value),
an empty row, two table header rows (column groups, column titles), the measure rows.
Defined names point at the same places; the reader prefers them, because a person's
client moves them along if rows are inserted."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.forms.definition import FormDefinition

TITLE_ROW = 0
PLAN_ROW = 1
HEADER_TOP = 3
# Column A holds only measure numbers: it is repeated on every printed page across, so
# the title and the header block start in B (a cut-off label in A would show beside them).
BLOCK_FIRST_COL = 1
LABEL_COLS = (1, 2)  # header labels span B:C
VALUE_COLS = (3, 6)  # header values span D:G

# defined names (workbook scope)
NAME_FORM_ID = "zvit_form_id"
NAME_CHECKSUM = "zvit_checksum"
NAME_META = "zvit_meta"
NAME_TABLE = "zvit_table"
NAME_IDS = "zvit_ids"
NAME_LIST_PREFIX = "zvit_list_"
NAME_HEADER_PREFIX = "zvit_h_"
NAME_SIGN = "zvit_sign"  # the signature block under the table: where the table ends

# The signature block: label across A:B, a line to sign on in C, the name in D.
SIGN_GAP = 2  # empty rows between the last measure and the block
SIGN_LABEL_COLS = (0, 1)
SIGN_LINE_COL = 2
SIGN_NAME_COL = 3
SIGN_ROWS = 5  # head, its captions, a gap, the executor, its caption
INSTRUCTIONS_WIDTH = 88  # one column as wide as a portrait A4 page at 100 %

META_KEYS = (
    "form_id", "plan_id", "plan_fp", "unit", "period", "form", "version", "definition_fp",
    "rows", "checksum",
)  # fmt: skip
META_TABLE_TOP = 14  # _zvit: rows of (measure id, row number, plan-text hash) start here


@dataclass(frozen=True)
class Layout:
    definition: FormDefinition
    n_rows: int

    @property
    def table_top(self) -> int:
        """The first of the two table header rows."""
        return HEADER_TOP + len(self.definition.header) + 1

    @property
    def first_data_row(self) -> int:
        return self.table_top + 2

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + self.n_rows - 1

    @property
    def last_col(self) -> int:
        return len(self.definition.columns) - 1

    def col(self, key: str) -> int:
        for i, c in enumerate(self.definition.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def header_row(self, key: str) -> int:
        for i, h in enumerate(self.definition.header):
            if h.key == key:
                return HEADER_TOP + i
        raise KeyError(key)

    def data_row(self, index: int) -> int:
        return self.first_data_row + index

    @property
    def sign_row(self) -> int:
        """The first row of the signature block (its label «Керівник»)."""
        return max(self.last_data_row, self.first_data_row) + 1 + SIGN_GAP
