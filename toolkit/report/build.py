"""``zvit report``: the workspace's ledger → the consolidated report of a period.

Everything but ``_inputs_from_ledger`` takes plain data, so the report can be made (and
tested) from submissions that came from anywhere; that one function is the only place
that knows the ledger's API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit.errors import UsageError
from toolkit.forms.definition import FormDefinition, definition_for
from toolkit.forms.make import due_date
from toolkit.ledger.standing import Decision, Standing

if TYPE_CHECKING:
    from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.query import assignments
from toolkit.plan.registry import Registry
from toolkit.report.export import to_csv, to_json
from toolkit.report.merge import merge
from toolkit.report.model import Consolidated
from toolkit.report.writer import render_report, write_output
from toolkit.text import safe_filename
from toolkit.workspace import Workspace

Format = Literal["xlsx", "csv", "json"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv", "json")


@dataclass(frozen=True)
class ReportInputs:
    """What the report is made of: ``accepted`` unit → its submission in force for the
    period (``toolkit.ledger.standing``: accepted, or pinned despite errors); ``earlier``
    period → the same for earlier periods; ``attempts`` unit → its standing for the
    period; ``decisions``: the coordinator's decisions of these periods."""

    accepted: Mapping[str, Submission]
    earlier: Mapping[str, Mapping[str, Submission]] = field(default_factory=dict)
    attempts: Mapping[str, Standing] = field(default_factory=dict)
    decisions: Sequence[Decision] = ()
    pins: Mapping[int, Decision] = field(default_factory=dict)  # submission → pin in force


@dataclass(frozen=True)
class Built:
    path: Path
    consolidated: Consolidated


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
) -> Built:
    """Make the report of ``period`` from the workspace (plan, registry, ledger) and write
    it; ``inputs`` replaces the ledger (tests, other sources)."""
    if fmt not in FORMATS:
        raise UsageError(f"Невідомий формат «{fmt}»: оберіть один з {', '.join(FORMATS)}.")
    plan, registry = ws.plan(), ws.registry()
    definition = definition_for(period.is_annual, ws.form_path)
    data = inputs if inputs is not None else inputs_from_ledger(ws, plan, period)
    due = due_date(plan, period, ws.executors_due())
    consolidated = consolidate(plan, registry, period, data, definition, due)
    made_on = made_on or date.today()
    lang = lang or ws.lang
    path = output or default_path(ws, period, fmt, lang)
    return Built(
        write(consolidated, path, fmt, lang=lang, made_on=made_on, force=force), consolidated
    )


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


def late_units(accepted: Mapping[str, Submission], due: date | None) -> dict[str, datetime]:
    """Unit → when it sent the report in force, for reports sent after the due date (a
    moment with a time zone is judged by the calendar of the coordinator's computer)."""
    if due is None:
        return {}
    return {u: s.submitted_at for u, s in accepted.items() if local(s.submitted_at).date() > due}


def local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment


def write(
    c: Consolidated, path: Path, fmt: Format, *, lang: Lang, made_on: date, force: bool
) -> Path:
    if fmt == "xlsx":
        data = render_report(c, lang=lang, made_on=made_on)
    elif fmt == "csv":
        data = to_csv(c)
    else:
        data = to_json(c, made_on)
    return write_output(data, path, force=force)


def default_path(ws: Workspace, period: Period, fmt: Format, lang: Lang) -> Path:
    stem = "Consolidated report" if lang == "en" else "Зведений звіт"
    return ws.folder("reports") / f"{safe_filename(f'{stem} {period.slug()}')}.{fmt}"


def inputs_from_ledger(
    ws: Workspace, plan: Plan, period: Period, ledger: Ledger | None = None
) -> ReportInputs:
    """The ledger's view, by the one rule (``toolkit.ledger.standing``): the reports in
    force for the period and for every earlier period of the plan, each unit's standing,
    and the coordinator's decisions that put a report in force.

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
    return ReportInputs(accepted, earlier, standings, decisions, pins)


def _earlier_labels(plan: Plan, period: Period) -> list[str]:
    """Every year and quarter of the plan before ``period``: a plan may have been reported
    on by either (merge decides which count)."""
    out = []
    for year in range(plan.first_year, period.year + 1):
        for p in (Period(year), *(Period(year, q) for q in range(1, 5))):
            if p.end < period.start:
                out.append(str(p))
    return out
