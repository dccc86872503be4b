"""The sheet of a report made on an amended plan that says what the amendment changed:
one line per change (added, removed, merged, split, renumbered, moved, reworded, new
executors, deadline, indicator or target; a section renumbered), in the words of
``toolkit.plan.changes``. Only in the report of the period the amendment took effect
with."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from toolkit.messages import Lang, t
from toolkit.plan.changes import DETAILS, Change, change_what, short
from toolkit.report.cells import Sheet
from toolkit.report.labels import heading
from toolkit.report.model import Amendment, Consolidated
from toolkit.report.styles import Styles
from toolkit.text import row_points, wrapped_lines

_COLUMNS = (
    ("revisions.report.col.kind", 18),
    ("revisions.report.col.new", 10),
    ("revisions.report.col.old", 13),
    ("revisions.report.col.measure", 60),
    ("revisions.report.col.change", 60),
)


def changes_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    a = c.amendment
    if a is None or not a.changes:
        return
    s = Sheet(wb.add_worksheet(t("revisions.report.sheet", lang)), lang)
    s.text(0, 0, amendment_text(a, lang), st.title)
    s.row(2, [t(k, lang) for k, _ in _COLUMNS], st.header)
    s.columns([w for _, w in _COLUMNS])
    s.ws.set_row(2, 30)
    s.ws.freeze_panes(3, 0)
    s.page(heading(c, lang), landscape=True, header_rows=(2, 2), label_cols=2)
    for r, change in enumerate(a.changes, start=3):
        cells = _cells(change, lang)
        s.row(r, list(cells), st.text)
        lines = max(wrapped_lines(str(v), w) for v, (_, w) in zip(cells, _COLUMNS, strict=True))
        s.ws.set_row(r, row_points(lines))


def _cells(c: Change, lang: Lang) -> tuple[str, str, str, str, str]:
    kind = t(f"revisions.kind.{c.kind}", lang)
    if c.kind in DETAILS:
        what = change_what(c, lang)
    elif c.kind == "section":
        what = t("revisions.what.section", lang, before=c.before, after=c.after)
    else:
        what = ""
    return kind, c.new, ", ".join(c.old), short(c.text, 400), what


def amendment_text(a: Amendment, lang: Lang) -> str:
    decision = a.decision or t("revisions.report.no_decision", lang)
    return t("revisions.report.title", lang, decision=decision, period=a.effective.label(lang))
