"""The sheet of a report made on an amended plan that says what the amendment changed:
one line per change (added, removed, merged, split, renumbered, moved, reworded, new
executors, deadline, indicator or target), in the words of ``toolkit.plan.changes``.
Only in the report of the period the amendment took effect with."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from toolkit.messages import Lang, t
from toolkit.plan.changes import change_line
from toolkit.report.cells import Sheet
from toolkit.report.model import Amendment, Consolidated
from toolkit.report.styles import Styles

_COLUMNS = (
    ("revisions.report.col.kind", 22),
    ("revisions.report.col.new", 12),
    ("revisions.report.col.old", 14),
    ("revisions.report.col.change", 110),
)


def changes_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    a = c.amendment
    if a is None or not a.changes:
        return
    s = Sheet(wb.add_worksheet(t("revisions.report.sheet", lang)), lang)
    s.text(0, 0, amendment_text(a, lang), st.label)
    s.row(1, [t(k, lang) for k, _ in _COLUMNS], st.header)
    for i, (_, w) in enumerate(_COLUMNS):
        s.ws.set_column(i, i, w)
    s.ws.freeze_panes(2, 0)
    s.page(landscape=True, fit_width=True, header_rows=2)
    for r, change in enumerate(a.changes, start=2):
        line = change_line(change, lang)
        s.row(
            r,
            [t(f"revisions.kind.{change.kind}", lang), change.new, ", ".join(change.old), line],
            st.text,
        )
        s.ws.set_row(r, 15 * (len(line) // 120 + 1))


def amendment_text(a: Amendment, lang: Lang) -> str:
    decision = a.decision or t("revisions.report.no_decision", lang)
    return t("revisions.report.title", lang, decision=decision, period=a.effective.label(lang))
