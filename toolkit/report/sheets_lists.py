"""Lists about the submissions: missing and late units, accepted warnings, provenance."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from toolkit.issues import Issue, Location, catalog
from toolkit.ledger.status_text import pin_text, state_text
from toolkit.messages import Lang, t
from toolkit.report.cells import Sheet
from toolkit.report.labels import heading, moment
from toolkit.report.model import AcceptedWarning, Consolidated, Provenance, UnitCoverage
from toolkit.report.styles import Styles
from toolkit.text import row_points, wrapped_lines


def _table(
    s: Sheet, heads: Sequence[tuple[str, float]], st: Styles, title: str, label_cols: int
) -> None:
    s.row(0, [h for h, _ in heads], st.header)
    s.columns([w for _, w in heads])
    s.ws.set_row(0, max(row_points(wrapped_lines(h, w)) for h, w in heads))
    s.ws.freeze_panes(1, label_cols)
    s.page(title, landscape=True, header_rows=(0, 0), label_cols=label_cols)


def _heights(s: Sheet, r: int, values: Sequence[object]) -> None:
    """The row as tall as its longest wrapped text (clients do not grow it themselves)."""
    lines = max(
        (wrapped_lines(str(v), w) for v, w in zip(values, s.widths, strict=False) if v),
        default=1,
    )
    s.ws.set_row(r, row_points(lines))


def missing_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """Who did not report and who reported late, with what is needed to chase them; the
    unit's short name repeated on every printed page."""
    s = Sheet(wb.add_worksheet(t("report.sheet.missing", lang)), lang)
    keys = (
        "report.col.state",
        "report.col.unit",
        "report.col.name",
        "report.col.measures",
        "report.col.submitted",
        "report.col.received",
        "report.col.note",
        "report.col.person",
        "report.col.phone",
        "report.col.emails",
        "report.col.unit_id",
    )
    widths = (14, 24, 40, 9, 17, 17, 30, 26, 18, 32, 16)
    heads = [(t(k, lang), w) for k, w in zip(keys, widths, strict=True)]
    _table(s, heads, st, heading(c, lang), label_cols=2)
    listed = [(u, "missing") for u in c.missing] + [(u, "late") for u in c.late]
    if not listed:
        s.text(1, 0, t("report.missing.none", lang), st.plain)
        return
    for r, (u, state) in enumerate(listed, start=1):
        values = _unit_cells(u, state, lang)
        s.row(r, values, st.text)
        s.number(r, 3, u.measures, st.integer)
        _heights(s, r, values)


def _unit_cells(u: UnitCoverage, state: str, lang: Lang) -> list[object]:
    note = state_text(u.standing, lang) if u.standing is not None else ""
    return [
        t(f"report.state.{state}", lang),
        u.short,
        u.name,
        u.measures,
        moment(u.late or u.submitted_at),
        moment(u.received_at),
        note,
        u.person,
        u.phone,
        ", ".join(u.emails),
        u.unit,
    ]


def warnings_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    s = Sheet(wb.add_worksheet(t("report.sheet.warnings", lang)), lang)
    keys = (
        "report.col.unit",
        "report.col.unit_id",
        "report.col.submission",
        "report.col.code",
        "report.col.severity",
        "report.col.measure_id",
        "report.col.sheet",
        "report.col.cell",
        "report.col.message",
    )
    widths = (22, 14, 7, 24, 13, 9, 8, 8, 56)
    heads = [(t(k, lang), w) for k, w in zip(keys, widths, strict=True)]
    _table(s, heads, st, heading(c, lang), label_cols=1)
    if not c.warnings:
        s.text(1, 0, t("report.warnings.none", lang), st.plain)
        return
    shorts = {u.unit: u.short for u in c.units}
    for r, w in enumerate(c.warnings, start=1):
        severity = (
            t(f"issue.severity.{w.severity}", lang)
            if w.severity in ("warning", "info")
            else w.severity
        )
        values = [
            shorts.get(w.unit, w.unit),
            w.unit,
            w.submission,
            w.code,
            severity,
            w.measure,
            w.sheet,
            w.cell,
            _message(w, lang),
        ]
        s.row(r, values, st.text)
        _heights(s, r, values)


def _message(w: AcceptedWarning, lang: Lang) -> str:
    """The message the unit was given; in English, rendered again from the catalog."""
    if lang != "en" or w.code not in catalog():
        return w.message
    where = Location(sheet=w.sheet or None, cell=w.cell or None, measure=w.measure or None)
    return Issue(w.code, where, w.params).message("en")


def provenance_sheet(wb: Workbook, c: Consolidated, st: Styles, lang: Lang) -> None:
    """One line per submission used: its file, then the sheet column each answer was read
    from, then the sheet row of each measure. The cell of a value = its column × its row,
    e.g. «Державний бюджет» K and measure II.2.1 at row 17 → K17 of that file."""
    s = Sheet(wb.add_worksheet(t("report.sheet.provenance", lang)), lang)
    keys = [col.key for col in c.definition.input_columns]
    mids = [r.measure.id for r in c.rows]
    heads = [(t(k, lang), w) for k, w in _FILE_COLUMNS]
    heads += [(c.definition.column(k).header.text(lang), 10) for k in keys]
    heads += [(m, 8) for m in mids]
    s.text(0, 0, t("report.provenance.file", lang), st.label)
    s.text(0, len(_FILE_COLUMNS), t("report.provenance.columns", lang), st.label)
    s.text(0, len(_FILE_COLUMNS) + len(keys), t("report.provenance.rows", lang), st.label)
    s.row(1, [h for h, _ in heads], st.header)
    s.columns([w for _, w in heads])
    s.ws.set_row(1, 45)
    # Every printed page of the wide table names the submission and its unit.
    s.page(heading(c, lang), landscape=True, header_rows=(0, 1), label_cols=4)
    shorts = {u.unit: u.short for u in c.units}
    rows = _rows_by_submission(c.provenance)
    first = len(_FILE_COLUMNS) + len(keys)
    for r, src in enumerate(c.sources, start=2):
        s.number(r, 0, src.submission)
        s.row(
            r,
            [
                src.period,
                src.unit,
                shorts.get(src.unit, src.unit),
                src.filename,
                src.sha256,
                moment(src.received_at),
                moment(src.submitted_at),
                src.sheet,
                pin_text(src.pin, lang) if src.pin is not None else "",
                *(src.columns.get(k, "") for k in keys),
            ],
            st.plain,
            col=1,
        )
        mine = rows.get((src.submission, src.period), {})
        for j, mid in enumerate(mids):
            found = mine.get(mid, ())
            if len(found) == 1:
                s.number(r, first + j, found[0])
            elif found:  # measures merged by an amendment: each row read
                s.text(r, first + j, "; ".join(map(str, found)), st.plain)
    s.ws.freeze_panes(2, 4)
    if c.sources:
        s.ws.autofilter(1, 0, len(c.sources) + 1, len(heads) - 1)


_FILE_COLUMNS = (
    ("report.col.submission", 9),
    ("report.col.period", 9),
    ("report.col.unit_id", 16),
    ("report.col.unit", 28),
    ("report.col.file", 36),
    ("report.col.sha256", 66),
    ("report.col.received", 17),
    ("report.col.submitted", 17),
    ("report.col.sheet", 10),
    ("report.col.decision", 30),
)


def _rows_by_submission(
    items: tuple[Provenance, ...],
) -> dict[tuple[int, str], dict[str, tuple[int, ...]]]:
    out: dict[tuple[int, str], dict[str, tuple[int, ...]]] = {}
    for p in items:
        mine = out.setdefault((p.submission, p.period), {})
        mine[p.measure_id] = (*mine.get(p.measure_id, ()), p.row)
    return out
