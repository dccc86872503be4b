"""What changed from one published period to the next: the summary numbers side by side,
every measure whose combined status is not what it was, and the indicators that moved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.periods import Period
from toolkit.publish.view import PeriodView

# The summary numbers compared, by the key of their label in the message catalog.
COMPARED = (
    "measures",
    "done",
    "in_progress",
    "not_done",
    "no_report",
    "overdue",
    "units_reported",
    "units_on_time",
)


@dataclass(frozen=True)
class CountChange:
    key: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class StatusChange:
    number: str
    text: str
    before: str | None  # None: not on the page of the earlier period
    after: str | None  # None: not on the page of the later period


@dataclass(frozen=True)
class IndicatorChange:
    number: str
    text: str
    unit: str | None
    target: float | None
    before: float | None  # cumulative figure at the end of the earlier period
    after: float | None


@dataclass(frozen=True)
class Changes:
    previous: Period
    period: Period
    counts: tuple[CountChange, ...]
    statuses: tuple[StatusChange, ...]
    indicators: tuple[IndicatorChange, ...]


def changes(before: PeriodView, after: PeriodView, order: Sequence[str]) -> Changes:
    """``order``: the plan's measure keys in the plan's order. Measures are compared by
    key, so a measure renumbered by an amendment is still the same measure."""
    return Changes(
        previous=before.period,
        period=after.period,
        counts=tuple(CountChange(k, _count(before, k), _count(after, k)) for k in COMPARED),
        statuses=_statuses(before, after, order),
        indicators=_indicators(before, after),
    )


def _count(v: PeriodView, key: str) -> int:
    s = v.summary
    if key == "measures":
        return s.counts.measures
    if key == "overdue":
        return s.counts.overdue
    if key.startswith("units_"):
        found: int = getattr(s, key)
        return found
    count: int = getattr(s.counts, key)
    return count


def _statuses(
    before: PeriodView, after: PeriodView, order: Sequence[str]
) -> tuple[StatusChange, ...]:
    was = {m.key: m for m in before.measures}
    now = {m.key: m for m in after.measures}
    keys = list(dict.fromkeys([*order, *now, *was]))  # a measure removed since: still shown
    out = []
    for key in keys:
        b, a = was.get(key), now.get(key)
        shown = a or b
        if shown is None:
            continue
        old, new = (b.status if b else None), (a.status if a else None)
        if old != new:
            out.append(StatusChange(shown.number, shown.text, old, new))
    return tuple(out)


def _indicators(before: PeriodView, after: PeriodView) -> tuple[IndicatorChange, ...]:
    was = {i.key: i for i in before.indicators}
    out = []
    for i in after.indicators:
        old = was.get(i.key)
        prior = old.cumulative if old else None
        if prior != i.cumulative:
            out.append(IndicatorChange(i.measure, i.text, i.unit, i.target, prior, i.cumulative))
    return tuple(out)
