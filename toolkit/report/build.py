"""``zvit report``: the workspace's ledger → the consolidated report of a period.

Everything but ``inputs_from_ledger`` takes plain data, so the report can be made (and
tested) from submissions that came from anywhere; that one function is the only place
that knows the ledger's API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit import heap
from toolkit.errors import RequestError, UsageError
from toolkit.forms.definition import FormDefinition, definition_for
from toolkit.forms.make import due_date
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.standing import Decision, Standing
from toolkit.ledger.submissions import Submission
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.query import assignments
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revisions
from toolkit.report.document import TEMPLATE, render_document
from toolkit.report.export import to_csv, to_json
from toolkit.report.merge import merge
from toolkit.report.model import Consolidated
from toolkit.report.pdf import to_pdf
from toolkit.report.revised import align, amendment
from toolkit.report.writer import render_report, write_output
from toolkit.text import safe_filename
from toolkit.workspace import CONFIG, ReportSettings, Workspace

if TYPE_CHECKING:
    from toolkit.ledger.store import Ledger

Format = Literal["xlsx", "docx", "pdf", "csv", "json"]
FORMATS: tuple[Format, ...] = ("xlsx", "docx", "pdf", "csv", "json")


@dataclass(frozen=True)
class ReportInputs:
    """What the report is made of: ``accepted`` unit → its submission in force for the
    period (``toolkit.ledger.standing``: accepted, or pinned despite errors); ``earlier``
    period → the same for earlier periods; ``attempts`` unit → its standing for the
    period; ``decisions``: the coordinator's decisions of these periods; ``fingerprints``:
    form id → the plan fingerprint it was issued with (to follow an amended plan)."""

    accepted: Mapping[str, Submission]
    earlier: Mapping[str, Mapping[str, Submission]] = field(default_factory=dict)
    attempts: Mapping[str, Standing] = field(default_factory=dict)
    decisions: Sequence[Decision] = ()
    pins: Mapping[int, Decision] = field(default_factory=dict)  # submission → pin in force
    fingerprints: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    path: Path
    consolidated: Consolidated
    notes: tuple[Issue, ...] = ()  # about the document itself (a signer not set, …)


def build_report(
    ws: Workspace,
    period: Period,
    *,
    fmt: Format = "xlsx",
    output: Path | None = None,
    lang: Lang | None = None,
    made_on: date | None = None,
    force: bool = False,
    inputs: ReportInputs | None = None,
    empty: bool = False,
) -> Built:
    """Make the report of ``period`` from the workspace (plan, registry, ledger) and write
    it; ``inputs`` replaces the ledger (tests, other sources). A period in which no unit's
    report counts is a coded error, unless ``empty`` asks for the empty frame."""
    if fmt not in FORMATS:
        raise UsageError("report.error.format", format=fmt, formats=", ".join(FORMATS))
    data = inputs if inputs is not None else inputs_from_ledger(ws, ws.plan(period), period)
    with heap.settled():  # the answers just read live to the end: no full collection walks them
        consolidated = consolidate_workspace(ws, period, data)
        nothing = nothing_accepted(consolidated, empty)
        made_on = made_on or date.today()
        lang = lang or ws.lang
        path = output or default_path(ws, period, fmt, lang)
        rendered = render(ws, consolidated, fmt, lang=lang, made_on=made_on)
    notes = document_notes(ws.report_settings()) if fmt in ("docx", "pdf") else ()
    return Built(write_output(rendered, path, force=force), consolidated, (*nothing, *notes))


def nothing_accepted(c: Consolidated, empty: bool) -> tuple[Issue, ...]:
    """No unit's report counts: refused (a report of «0 of 7» looks like one), or, when
    the empty frame is asked for, said on it."""
    if c.reported:
        return ()
    period, expected = str(c.period), len(c.expected)
    if not empty:
        raise RequestError(issue("E_REPORT_NOTHING_ACCEPTED", period=period, expected=expected))
    return (issue("W_REPORT_EMPTY", period=period, expected=expected),)


def consolidate_workspace(
    ws: Workspace, period: Period, inputs: ReportInputs | None = None
) -> Consolidated:
    """The consolidated data of ``period`` from the workspace (plan, registry, ledger):
    what ``zvit report`` writes and ``zvit publish`` shows; ``inputs`` replaces the ledger."""
    plan, registry = ws.plan(period), ws.registry()
    definition = definition_for(period.is_annual, ws.form_path)
    data = inputs if inputs is not None else inputs_from_ledger(ws, plan, period)
    due = due_date(plan, period, ws.executors_due())
    return consolidate_revised(ws.revisions(), period, data, registry, definition, due)


def consolidate(
    plan: Plan,
    registry: Registry,
    period: Period,
    data: ReportInputs,
    definition: FormDefinition,
    due: date | None,
) -> Consolidated:
    """Merge with the units expected by the plan and lateness judged against ``due``."""
    expected = list(assignments(plan, registry, period))
    return merge(
        plan,
        registry,
        period,
        data.accepted,
        data.earlier,
        expected,
        late_units(data.accepted, due),
        definition,
        attempts=data.attempts,
        due=due,
        decisions=data.decisions,
        pins=data.pins,
    )


def consolidate_revised(
    revisions: Revisions,
    period: Period,
    data: ReportInputs,
    registry: Registry,
    definition: FormDefinition,
    due: date | None,
) -> Consolidated:
    """``consolidate`` on the revision of the plan in force for the period, with every
    submission's answers on its measures (``toolkit.report.revised``)."""
    accepted, earlier, moved = align(
        data.accepted, data.earlier, revisions, period, data.fingerprints
    )
    aligned = replace(data, accepted=accepted, earlier=earlier)
    plan = revisions.in_force(period).plan
    c = consolidate(plan, registry, period, aligned, definition, due)
    found = amendment(revisions, period)
    if found is None and not moved:
        return c
    return replace(c, amendment=found, issues=(*c.issues, *moved))


def late_units(accepted: Mapping[str, Submission], due: date | None) -> dict[str, datetime]:
    """Unit → when it sent the report in force, for reports sent after the due date (a
    moment with a time zone is judged by the calendar of the coordinator's computer)."""
    if due is None:
        return {}
    return {u: s.submitted_at for u, s in accepted.items() if local(s.submitted_at).date() > due}


def local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def render(ws: Workspace, c: Consolidated, fmt: Format, *, lang: Lang, made_on: date) -> bytes:
    """The report's bytes in ``fmt``: the workbook and the document (with the workspace's
    [report] settings and its copy of the Word template), or the data table."""
    people = ws.report_settings()
    if fmt == "xlsx":
        return render_report(c, lang=lang, made_on=made_on, people=people)
    if fmt in ("docx", "pdf"):
        document = render_document(
            c,
            ws.template(TEMPLATE),
            lang=lang,
            made_on=made_on,
            people=people,
            sender=_coordinator(ws, c),
        )
        return document if fmt == "docx" else to_pdf(document)
    return to_csv(c) if fmt == "csv" else to_json(c, made_on)


def document_notes(people: ReportSettings) -> tuple[Issue, ...]:
    """What the document leaves to be written by hand, said once so it is not a surprise."""
    notes = []
    if not people.addressee:
        notes.append(issue("W_DOCUMENT_NO_ADDRESSEE", Location(file=CONFIG, path="report")))
    if not (people.signer_position and people.signer_name):
        notes.append(issue("W_DOCUMENT_NO_SIGNER", Location(file=CONFIG, path="report")))
    return tuple(notes)


def _coordinator(ws: Workspace, c: Consolidated) -> str:
    """The unit the plan makes the coordinator, by its full name (the report's sender)."""
    unit = ws.registry().units.get(c.plan.coordinator)
    return unit.name if unit else ""


def default_path(ws: Workspace, period: Period, fmt: Format, lang: Lang) -> Path:
    stem = t("report.file", lang, period=period.slug())
    return ws.folder("reports") / f"{safe_filename(stem)}.{fmt}"


def inputs_from_ledger(
    ws: Workspace, plan: Plan, period: Period, ledger: Ledger | None = None
) -> ReportInputs:
    """The ledger's view, by the one rule (``toolkit.ledger.standing``): the reports in
    force for the period and for every earlier period of the plan, each unit's standing,
    the coordinator's decisions that put a report in force, and the plan fingerprint of
    every form issued.

    Imported here so the report library works (and is tested) without the ledger."""
    from toolkit.ledger.store import Ledger

    if ledger is None:
        with Ledger.open(ws) as opened:
            return inputs_from_ledger(ws, plan, period, opened)
    return _read(ws, plan, period, ledger)


def _read(ws: Workspace, plan: Plan, period: Period, ledger: Ledger) -> ReportInputs:
    from toolkit.ledger.counting import Counting

    counting = Counting.of(ws, ledger)
    standings = counting.standings(str(period))
    accepted = counting.with_answers(counting.in_force(str(period)))
    earlier = {}
    for label in _earlier_labels(plan, period):
        found = counting.in_force(label)
        if found:
            earlier[label] = counting.with_answers(found)
    pins = {}
    for label in (str(period), *earlier):
        for st in counting.standings(label).values():
            if st.pin is not None and st.in_force is not None:
                pins[st.in_force.sub.id] = st.pin
    decisions = [d for d in counting.decisions if d.period == str(period)]
    return ReportInputs(accepted, earlier, standings, decisions, pins, ledger.issued_fingerprints())


def _earlier_labels(plan: Plan, period: Period) -> list[str]:
    """Every year and quarter of the plan before ``period``: a plan may have been reported
    on by either (merge decides which count)."""
    out = []
    for year in range(plan.first_year, period.year + 1):
        for p in (Period(year), *(Period(year, q) for q in range(1, 5))):
            if p.end < period.start:
                out.append(str(p))
    return out
