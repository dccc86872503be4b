"""The consolidated report as plain data: what ``merge`` computes and the writers render.

Nothing here touches Excel. Numbers are already summed (``math.fsum``, so the total does
not depend on the order units came in), texts are kept exactly as the units typed them
(the writers clean them), and every reported value keeps its provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from toolkit.forms.definition import FormDefinition
from toolkit.issues import Issue
from toolkit.ledger.standing import Decision, Standing
from toolkit.periods import Period
from toolkit.plan.changes import Change
from toolkit.plan.model import Measure, Plan, Section
from toolkit.report.status import DONE, LOST

ValueRule = Literal["sum", "mean"]


@dataclass(frozen=True, slots=True)
class UnitAnswer:
    """One executor's answer on one measure; ``submission`` is None when it did not report."""

    unit: str
    short: str
    status: str | None = None
    value: float | None = None
    funds: Mapping[str, float] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)  # column key → text typed
    submission: int | None = None
    expected: bool = True  # False: reported although the plan does not name it

    @property
    def reported(self) -> bool:
        return self.submission is not None


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    carried: bool  # not due in the period; on the report because it is still open
    answers: tuple[UnitAnswer, ...]  # expected executors and any other reporter
    combined: str
    partial: bool  # «звітували не всі виконавці»
    overdue: bool
    lost: int  # executors that said «втратив актуальність» (counted apart)
    texts: Mapping[str, str]  # column key → narrative merged with attribution
    statuses: str  # «ДОН ОДА: виконано; Старобільська РДА: немає звіту»
    value: float | None  # indicator value of the period (sum or mean, see value_rule)
    value_rule: ValueRule
    cumulative: float | None  # since the plan began (sum), or the latest level (mean)
    funds: Mapping[str, float]  # source key → total of the period

    @property
    def expected(self) -> int:
        return sum(1 for a in self.answers if a.expected)

    @property
    def reported(self) -> int:
        return sum(1 for a in self.answers if a.status is not None)

    @property
    def target(self) -> float | None:
        return self.measure.indicator.target


@dataclass(frozen=True)
class SectionSummary:
    section: Section
    measures: int
    by_status: Mapping[str, int]  # combined status → how many measures
    overdue: int
    partial: int
    funds: Mapping[str, float]

    @property
    def share_done(self) -> float | None:
        """Done ÷ measures still relevant; None when none is."""
        relevant = self.measures - self.by_status.get(LOST, 0)
        return self.by_status.get(DONE, 0) / relevant if relevant else None


@dataclass(frozen=True)
class UnitCoverage:
    unit: str
    name: str
    short: str
    emails: tuple[str, ...]
    person: str
    phone: str
    expected: bool  # named in the list of units expected to report
    measures: int  # rows of the report the unit is an executor of
    submission: int | None  # the accepted submission used, if any
    submitted_at: datetime | None
    received_at: datetime | None
    late: datetime | None  # when it came, if after the due date
    # what the rule says of the unit when its report does not count (received with
    # errors, received but not accepted, missing), or when it was pinned
    standing: Standing | None = None

    @property
    def missing(self) -> bool:
        return self.submission is None


@dataclass(frozen=True, slots=True)
class Source:
    """A submission the report used: the file its values were read from."""

    submission: int
    period: str
    unit: str
    sha256: str
    sheet: str
    received_at: datetime
    submitted_at: datetime
    filename: str
    columns: Mapping[str, str]  # form column key → the sheet column(s) it was read from
    pin: Decision | None = None  # the coordinator's pin that made it count, if any


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the answers of one row of one submission came from, each value with its cell
    (the sheet, file hash and date received are on the row's ``Source``)."""

    period: str
    unit: str
    measure_id: str
    submission: int
    row: int  # 1-based sheet row of the form
    cells: Mapping[str, str]  # form column key → cell, for every value used


@dataclass(frozen=True)
class AcceptedWarning:
    unit: str
    submission: int
    code: str
    severity: str
    measure: str
    sheet: str
    cell: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Amendment:
    """The revision of the plan a report is made on, when the plan was amended;
    ``changes``: what it changed, when it took effect with the report's period."""

    decision: str
    effective: Period
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Consolidated:
    plan: Plan
    period: Period
    definition: FormDefinition
    rows: tuple[MeasureRow, ...]
    sections: tuple[SectionSummary, ...]
    units: tuple[UnitCoverage, ...]  # every expected unit and every reporter, registry order
    warnings: tuple[AcceptedWarning, ...]
    sources: tuple[Source, ...]  # this period's submissions, then earlier ones counted
    provenance: tuple[Provenance, ...]
    funds: Mapping[str, float]  # overall totals by source
    fund_keys: tuple[str, ...]  # the form's funding columns, in form order
    text_keys: tuple[str, ...]  # the form's free-text columns, in form order
    issues: tuple[Issue, ...] = ()  # what merge could not use, and why
    due: date | None = None
    amendment: Amendment | None = None  # None: the plan as first taken in
    decisions: tuple[Decision, ...] = ()  # the coordinator's, that bear on the report

    @property
    def expected(self) -> list[UnitCoverage]:
        return [u for u in self.units if u.expected]

    @property
    def reported(self) -> list[UnitCoverage]:
        return [u for u in self.units if not u.missing]

    @property
    def unexpected(self) -> list[UnitCoverage]:
        """Units that reported although they were not expected to."""
        return [u for u in self.units if not u.expected and not u.missing]

    @property
    def late(self) -> list[UnitCoverage]:
        return [u for u in self.units if u.late is not None]

    @property
    def missing(self) -> list[UnitCoverage]:
        return [u for u in self.expected if u.missing]
