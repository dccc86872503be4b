"""Accepted submissions of a period → the consolidated report, as plain data (no Excel).

Rules (the report's notes sheet states them for the reader too):

* **Rows.** One row per measure active in the period (``toolkit.plan.query.active_measures``),
  in plan order, plus every measure whose deadline passed before the period but which is
  still open: some unit's latest earlier status on it was not «виконано»/«втратив
  актуальність» (its form carried the row over as overdue), or a unit reported on it now.
* **Executors of a row.** For a measure due in the period: the units behind its executors
  (``units_of``) that are in ``expected``. For a carried measure: the units whose form
  carried it. A unit that reported on a row without being one of them still counts, and
  is marked as such.
* **Combined status, overdue.** See ``toolkit.report.status``.
* **Indicator.** The value of the period is the sum of the units' values. For an indicator
  measured in "%" a sum means nothing (three districts at 100 % are not at 300 %), so the
  value is the **mean** of the units that gave one (unweighted: the form asks for no
  denominators). Cumulative: for a summed indicator, the sum over every accepted report
  since the plan began (the counted ``earlier`` periods, see ``inputs.counted_periods``)
  plus this period; for a "%" indicator, a level rather than a flow, the mean of the
  latest period that has values — this one if any.
* **Funding.** Each source column of the form (``sum: true``, other than the indicator
  value) is summed per measure; sections and the whole report sum their measures.
* **Provenance.** Every value used — every filled input cell of the period's submissions
  and every indicator value counted into a cumulative figure — is recorded with its cell,
  per row of each submission (``Provenance``); the submission itself (``Source``) gives
  the unit, file sha256, sheet, date received and the column each key was read from.

Sums use ``math.fsum``: exact to the last bit whatever order the units come in."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from toolkit.forms.definition import NUMERIC, FormDefinition
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.standing import Decision, Standing
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.query import active_measures, units_of
from toolkit.plan.registry import Registry
from toolkit.report.coverage import coverage, provenance, warnings
from toolkit.report.inputs import (
    STATUS,
    VALUE,
    Screened,
    last_open,
    number,
    screen,
    text,
)
from toolkit.report.model import (
    Consolidated,
    MeasureRow,
    SectionSummary,
    UnitAnswer,
    ValueRule,
)
from toolkit.report.status import COMBINED, LOST, NO_REPORT, REPORTED, combine, is_overdue
from toolkit.validate.result import AnswerRow

Chosen = tuple[Measure, bool, list[str]]  # measure, carried, expected executors


@dataclass
class _Ctx:
    registry: Registry
    definition: FormDefinition
    screened: Screened
    fund_keys: tuple[str, ...]
    text_keys: tuple[str, ...]
    pos: dict[str, int]  # registry order
    reporters: dict[str, set[str]] = field(default_factory=dict)  # measure → units
    earlier_values: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def merge(
    plan: Plan,
    registry: Registry,
    period: Period,
    accepted: Mapping[str, Submission],
    earlier: Mapping[str, Mapping[str, Submission]],
    expected: list[str],
    late: Mapping[str, datetime],
    definition: FormDefinition,
    *,
    attempts: Mapping[str, Standing] | None = None,
    due: date | None = None,
    decisions: Sequence[Decision] = (),
    pins: Mapping[int, Decision] | None = None,
) -> Consolidated:
    """``accepted``: unit → its submission in force for ``period`` (the rule of
    ``toolkit.ledger.standing``); ``earlier``: period → the same for earlier periods;
    ``expected``: units that had to report; ``late``: unit → when its report came, for
    those that came after the due date; ``attempts``: unit → its standing for the period
    (to say what became of what a missing unit sent); ``decisions``: the coordinator's
    decisions of the period; ``pins``: submission → the pin that put it in force (it
    counts whatever its verdict)."""
    screened = screen(registry, period, accepted, earlier, plan.first_year, pins)
    ctx = _context(registry, definition, screened)
    chosen = _choose(plan, registry, period, ctx, set(expected))
    rows = tuple(_row(m, carried, execs, ctx, period) for m, carried, execs in chosen)
    ids = {m.id for m, _, _ in chosen}
    _unknown_measures(ctx, ids)
    sources, traced = provenance(screened, ids, definition, period)
    return Consolidated(
        plan=plan,
        period=period,
        definition=definition,
        rows=rows,
        sections=_sections(plan, rows, ctx.fund_keys),
        units=coverage(registry, rows, screened.current, expected, late, attempts or {}),
        warnings=warnings(screened.current),
        sources=sources,
        provenance=traced,
        funds=_totals((r.funds for r in rows), ctx.fund_keys),
        fund_keys=ctx.fund_keys,
        text_keys=ctx.text_keys,
        issues=tuple(screened.issues + ctx.issues),
        due=due,
        decisions=tuple(decisions),
    )


def fund_columns(definition: FormDefinition) -> tuple[str, ...]:
    return tuple(
        c.key for c in definition.input_columns if c.sum and c.type in NUMERIC and c.key != VALUE
    )


def text_columns(definition: FormDefinition) -> tuple[str, ...]:
    return tuple(c.key for c in definition.input_columns if c.type == "text")


def _context(registry: Registry, definition: FormDefinition, screened: Screened) -> _Ctx:
    ctx = _Ctx(
        registry,
        definition,
        screened,
        fund_columns(definition),
        text_columns(definition),
        {u: i for i, u in enumerate(registry.units)},
    )
    for unit, by_measure in screened.rows.items():
        for mid in by_measure:
            ctx.reporters.setdefault(mid, set()).add(unit)
    for label, subs in screened.earlier:
        for sub in subs.values():
            for row in sub.answers.rows if sub.answers else ():
                value = number(row.get(VALUE))
                if value is not None:
                    ctx.earlier_values.setdefault(row.measure_id, []).append((label, value))
    return ctx


def _choose(
    plan: Plan, registry: Registry, period: Period, ctx: _Ctx, expected: set[str]
) -> list[Chosen]:
    active = {m.id for m in active_measures(plan, period)}
    still_open = last_open(ctx.screened.earlier)
    out: list[Chosen] = []
    for m in plan.measures():
        units = units_of(m, registry)
        if m.id in active:
            out.append((m, False, [u for u in units if u in expected]))
        elif m.deadline.ended_before(period):
            carried_to = [u for u in units if u in still_open.get(m.id, ())]
            if carried_to or m.id in ctx.reporters:
                out.append((m, True, carried_to))
    return out


def _row(m: Measure, carried: bool, executors: list[str], ctx: _Ctx, period: Period) -> MeasureRow:
    who = set(executors) | ctx.reporters.get(m.id, set())
    expected = set(executors)
    answers = tuple(
        _answer(m.id, u, ctx, u in expected) for u in sorted(who, key=ctx.pos.__getitem__)
    )
    combined = combine(a.status for a in answers)
    rule: ValueRule = "mean" if (m.indicator.unit or "").strip() == "%" else "sum"
    values = [a.value for a in answers if a.value is not None]
    return MeasureRow(
        measure=m,
        carried=carried,
        answers=answers,
        combined=combined,
        partial=any(a.expected and a.status not in REPORTED for a in answers),
        overdue=is_overdue(m.deadline.overdue_after(period), combined),
        lost=sum(1 for a in answers if a.status == LOST),
        texts=_merged_texts(answers, ctx.text_keys),
        statuses="; ".join(f"{a.short}: {a.status or NO_REPORT}" for a in answers),
        value=_aggregate(values, rule),
        value_rule=rule,
        cumulative=_cumulative(values, ctx.earlier_values.get(m.id, []), rule),
        funds=_totals((a.funds for a in answers), ctx.fund_keys, keep_empty=False),
    )


def _answer(mid: str, unit: str, ctx: _Ctx, expected: bool) -> UnitAnswer:
    short = ctx.registry.units[unit].short
    row = ctx.screened.rows[unit].get(mid) if unit in ctx.screened.rows else None
    if row is None:
        return UnitAnswer(unit, short, expected=expected)
    values = row.values
    status = values.get(STATUS)
    funds = {}
    for key in ctx.fund_keys:
        amount = _number(row, key, unit, ctx)
        if amount is not None:
            funds[key] = amount
    texts = {}
    for key in ctx.text_keys:
        cell = values.get(key)
        if cell is not None and (said := text(cell.value)):
            texts[key] = said
    return UnitAnswer(
        unit,
        short,
        (text(status.value) or None) if status else None,
        _number(row, VALUE, unit, ctx),
        funds,
        texts,
        ctx.screened.current[unit].id,
        expected,
    )


def _number(row: AnswerRow, key: str, unit: str, ctx: _Ctx) -> float | None:
    cell = row.values.get(key)
    if cell is None:
        return None
    value = cell.value
    if type(value) is float and math.isfinite(value):  # what the reader gives: fast path
        return value
    if value is None or value == "":
        return None
    value = number(value)
    if value is None:
        title = ctx.definition.column(key).header
        answers = ctx.screened.current[unit].answers
        where = Location(
            unit=unit,
            sheet=answers.sheet if answers else None,
            cell=cell.cell,
            measure=row.measure_id,
        )
        ctx.issues.append(
            issue("W_REPORT_VALUE_IGNORED", where, column=title, value=str(cell.value)[:80])
        )
    return value


def _merged_texts(answers: tuple[UnitAnswer, ...], keys: tuple[str, ...]) -> dict[str, str]:
    """Each text column as one narrative, every part headed by the unit's short name."""
    return {k: "; ".join(f"{a.short}: {a.texts[k]}" for a in answers if k in a.texts) for k in keys}


def _aggregate(values: list[float], rule: ValueRule) -> float | None:
    if not values:
        return None
    total = math.fsum(values)
    return total / len(values) if rule == "mean" else total


def _cumulative(
    current: list[float], earlier: list[tuple[str, float]], rule: ValueRule
) -> float | None:
    if rule == "sum":
        every = [v for _, v in earlier] + current
        return math.fsum(every) if every else None
    if current:
        return _aggregate(current, "mean")
    if not earlier:
        return None
    latest = max(label for label, _ in earlier)  # labels of one kind sort by time
    return _aggregate([v for label, v in earlier if label == latest], "mean")


def _totals(
    parts: Iterable[Mapping[str, float]], keys: tuple[str, ...], *, keep_empty: bool = True
) -> dict[str, float]:
    """Per key the sum of the parts; a key nobody gave is 0 in a total (``keep_empty``)
    and absent from a measure's own funding, so the report leaves that cell blank."""
    found: dict[str, list[float]] = {k: [] for k in keys}
    for funds in parts:
        for k, v in funds.items():
            found[k].append(v)
    return {k: math.fsum(vs) for k, vs in found.items() if vs or keep_empty}


def _sections(
    plan: Plan, rows: tuple[MeasureRow, ...], fund_keys: tuple[str, ...]
) -> tuple[SectionSummary, ...]:
    out = []
    for section in plan.sections:
        mine = [r for r in rows if r.measure.section == section.id]
        if not mine:
            continue
        by_status = {s: sum(1 for r in mine if r.combined == s) for s in COMBINED}
        out.append(
            SectionSummary(
                section=section,
                measures=len(mine),
                by_status=by_status,
                overdue=sum(1 for r in mine if r.overdue),
                partial=sum(1 for r in mine if r.partial),
                funds=_totals((r.funds for r in mine), fund_keys),
            )
        )
    return tuple(out)


def _unknown_measures(ctx: _Ctx, chosen: set[str]) -> None:
    for unit, by_measure in ctx.screened.rows.items():
        sub = ctx.screened.current[unit]
        for mid, row in by_measure.items():
            if mid in chosen:
                continue
            cell = row.values.get(STATUS)
            where = Location(
                file=sub.filename or None, unit=unit, measure=mid, cell=cell.cell if cell else None
            )
            ctx.issues.append(issue("W_REPORT_UNKNOWN_MEASURE", where, submission=sub.id))
