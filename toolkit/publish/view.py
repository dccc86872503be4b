"""The public view of one period, taken field by field from the consolidated report.

A whitelist: the templates and the open data receive only these objects, never the
``Consolidated`` itself, so nothing the report keeps for the coordinator (files, hashes,
submission numbers, unit ids, e-mail addresses, phones, contact persons, warnings) can
reach a public page by a template's slip. Contacts of bodies come only when asked for, and
a contact person never does."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from toolkit.issues import Issue, Location, issue
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.publish.privacy import scrub
from toolkit.report.model import Consolidated, MeasureRow, SectionSummary, UnitCoverage
from toolkit.report.status import COMBINED, DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE

# The standard form's narrative columns. A column a coordinator adds to the form is
# published only when zvit.toml names it ([publish] narratives): it may be an internal note.
NARRATIVES = ("done", "reasons", "proposals")

# what scrub() took out of a text → the warning the coordinator gets
_REMOVED = {"email": "W_PUBLISH_EMAIL_REMOVED", "phone": "W_PUBLISH_PHONE_REMOVED"}


@dataclass(frozen=True)
class Counts:
    """What happened to the measures of a period, by combined status."""

    measures: int
    by_status: Mapping[str, int]  # every status of COMBINED → measures
    overdue: int

    @property
    def done(self) -> int:
        return self.by_status[DONE]

    @property
    def in_progress(self) -> int:
        return self.by_status[IN_PROGRESS]

    @property
    def not_done(self) -> int:
        return self.by_status[NOT_DONE]

    @property
    def lost(self) -> int:
        return self.by_status[LOST]

    @property
    def no_report(self) -> int:
        return self.by_status[NO_REPORT]

    @property
    def share_done(self) -> float | None:
        """Done ÷ measures still relevant (as the report's summary); None when none is."""
        relevant = self.measures - self.lost
        return self.done / relevant if relevant else None


@dataclass(frozen=True)
class Summary:
    counts: Counts
    due: int  # measures due in the period
    carried: int  # measures whose deadline passed earlier, still open
    units_expected: int
    units_reported: int
    units_on_time: int
    units_late: int
    units_missing: int
    funds: float | None  # every source of every measure (the report's total); None: no
    # funding columns on the form


@dataclass(frozen=True)
class SectionView:
    id: str  # the plan's section id (I, II, …): what a measure's number starts with
    number: str  # as printed in the plan
    title: str
    counts: Counts
    funds: float | None


@dataclass(frozen=True)
class ExecutorAnswer:
    name: str  # the body's full name
    status: str | None  # what it said on the measure; None: no report


@dataclass(frozen=True)
class Narrative:
    key: str  # the form column's key
    title: str  # its header in the page's language
    parts: tuple[tuple[str, str], ...]  # (body's full name, its words with personal data out)


@dataclass(frozen=True)
class IndicatorView:
    measure: str
    text: str
    target: float | None
    unit: str | None
    value: float | None  # of the period: sum, or mean for "%" (rule)
    cumulative: float | None  # since the plan began (sum), or the latest level (mean)
    rule: str
    key: str = ""  # the measure's identity across revisions of the plan: never shown

    @property
    def share(self) -> float | None:
        """How far toward the target: the cumulative figure (a sum) or the latest level (a
        mean) over the target."""
        if self.target is None or self.target <= 0 or self.cumulative is None:
            return None
        return self.cumulative / self.target


@dataclass(frozen=True)
class MeasureView:
    number: str  # the plan's own numbering (I.1.1)
    key: str  # the measure's identity across revisions of the plan: never shown
    section: str
    text: str
    deadline: str
    carried: bool
    status: str
    partial: bool
    overdue: bool
    executors: tuple[ExecutorAnswer, ...]
    narratives: tuple[Narrative, ...]
    funds: Mapping[str, float]
    funds_total: float | None
    indicator: IndicatorView


@dataclass(frozen=True)
class BodyView:
    name: str
    short: str
    measures: int
    reported: bool
    late: bool
    emails: tuple[str, ...] = ()  # only with contacts
    phone: str = ""  # only with contacts


@dataclass(frozen=True)
class PeriodView:
    period: Period
    summary: Summary
    sections: tuple[SectionView, ...]
    measures: tuple[MeasureView, ...]
    bodies: tuple[BodyView, ...]
    due: date | None
    fund_keys: tuple[str, ...]
    narrative_keys: tuple[str, ...]
    headers: Mapping[str, str]  # fund and narrative column key → its header on the form
    issues: tuple[Issue, ...]  # what the coordinator must hear about this view

    @property
    def indicators(self) -> tuple[IndicatorView, ...]:
        """Measures with a target or a reported value."""
        return tuple(
            m.indicator
            for m in self.measures
            if m.indicator.target is not None or m.indicator.value is not None
        )

    @property
    def empty(self) -> bool:
        return self.summary.units_reported == 0


def period_view(
    c: Consolidated,
    lang: Lang,
    *,
    contacts: bool = False,
    narratives: Iterable[str] = NARRATIVES,
) -> PeriodView:
    names = {u.unit: u.name for u in c.units}
    keys = tuple(k for k in c.text_keys if k in set(narratives))
    issues: list[Issue] = []
    measures = tuple(_measure(r, c, names, keys, lang, issues) for r in c.rows)
    if not c.reported:
        issues.append(issue("W_PUBLISH_NO_REPORTS", Location(), period=str(c.period)))
    return PeriodView(
        period=c.period,
        summary=_summary(c),
        sections=tuple(_section(s) for s in c.sections),
        measures=measures,
        bodies=tuple(_body(u, contacts) for u in c.units if u.expected),
        due=c.due,
        fund_keys=c.fund_keys,
        narrative_keys=keys,
        headers={k: _header(c, k, lang) for k in (*c.fund_keys, *keys)},
        issues=tuple(issues),
    )


def counts_of(statuses: Iterable[str], overdue: int) -> Counts:
    found = list(statuses)
    return Counts(len(found), {s: found.count(s) for s in COMBINED}, overdue)


def _summary(c: Consolidated) -> Summary:
    expected = c.expected
    reported = [u for u in expected if not u.missing]
    late = [u for u in reported if u.late is not None]
    return Summary(
        counts=counts_of((r.combined for r in c.rows), sum(1 for r in c.rows if r.overdue)),
        due=sum(1 for r in c.rows if not r.carried),
        carried=sum(1 for r in c.rows if r.carried),
        units_expected=len(expected),
        units_reported=len(reported),
        units_on_time=len(reported) - len(late),
        units_late=len(late),
        units_missing=len(expected) - len(reported),
        funds=math.fsum(c.funds.values()) if c.fund_keys else None,
    )


def _header(c: Consolidated, key: str, lang: Lang) -> str:
    column = c.definition.column(key)
    unit = column.unit.text(lang) if column.unit else ""
    return f"{column.header.text(lang)}, {unit}" if unit else column.header.text(lang)


def _section(s: SectionSummary) -> SectionView:
    counts = Counts(s.measures, {k: s.by_status.get(k, 0) for k in COMBINED}, s.overdue)
    return SectionView(
        s.section.id, s.section.number, s.section.title, counts, _total(s.funds.values())
    )


def _measure(
    r: MeasureRow,
    c: Consolidated,
    names: Mapping[str, str],
    keys: tuple[str, ...],
    lang: Lang,
    issues: list[Issue],
) -> MeasureView:
    m = r.measure
    narratives = []
    for key in keys:
        parts = []
        for a in r.answers:
            said = a.texts.get(key)
            if not said:
                continue
            clean = scrub(said, lang)
            title = _header(c, key, lang)
            for kind in clean.found:
                code = _REMOVED[kind]
                where = Location(unit=a.unit, measure=m.id)
                issues.append(issue(code, where, period=str(c.period), column=title))
            parts.append((names.get(a.unit, a.short), clean.text))
        if parts:
            narratives.append(Narrative(key, _header(c, key, lang), tuple(parts)))
    return MeasureView(
        number=m.id,
        key=m.key,
        section=m.section,
        text=m.text,
        deadline=m.deadline.raw,
        carried=r.carried,
        status=r.combined,
        partial=r.partial,
        overdue=r.overdue,
        executors=tuple(ExecutorAnswer(names.get(a.unit, a.short), a.status) for a in r.answers),
        narratives=tuple(narratives),
        funds=dict(r.funds),
        funds_total=_total(r.funds.values()),
        indicator=IndicatorView(
            m.id,
            m.indicator.raw,
            m.indicator.target,
            m.indicator.unit,
            r.value,
            r.cumulative,
            r.value_rule,
            m.key,
        ),
    )


def _body(u: UnitCoverage, contacts: bool) -> BodyView:
    return BodyView(
        name=u.name,
        short=u.short,
        measures=u.measures,
        reported=not u.missing,
        late=u.late is not None,
        emails=u.emails if contacts else (),
        phone=u.phone if contacts else "",
    )


def _total(values: Iterable[float]) -> float | None:
    found = list(values)
    return math.fsum(found) if found else None
