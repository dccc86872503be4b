"""Reporting periods: a year (``2025``) or a quarter (``2025-Q1``), and runs of them
(``2019..2025``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import total_ordering

from toolkit.errors import UsageError
from toolkit.messages import Lang, Message

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*-?\s*[QqКк]([1-4]))?\s*$")


@total_ordering
@dataclass(frozen=True)
class Period:
    """Ordered by when a period ends, then by when it starts: years and quarters sort
    together (2025-Q3 < 2025 < 2025-Q4), as a workspace holds forms of both."""

    year: int
    quarter: int | None = None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.end, self.start) < (other.end, other.start)

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD.match(text)
        if not m:
            raise UsageError("period.unknown", text=text)
        quarter = int(m.group(2)) if m.group(2) else None
        return cls(int(m.group(1)), quarter)

    @property
    def is_annual(self) -> bool:
        return self.quarter is None

    @property
    def start(self) -> date:
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    def next(self) -> Period:
        if self.quarter is None:
            return Period(self.year + 1)
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    def previous(self) -> Period:
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    def label(self, lang: Lang = "uk") -> str:
        """How a person reads it: «2025 рік», «I квартал 2025 року»."""
        return self.said().text(lang)

    def said(self) -> Message:
        """Its label, to be put into words later (an issue's parameter)."""
        if self.quarter is None:
            return Message("period.label.year", {"year": self.year})
        quarter = Message(f"period.quarter.{self.quarter}")
        return Message("period.label.quarter", {"quarter": quarter, "year": self.year})

    def slug(self) -> str:
        """For file names: ``2025`` or ``2025-Q1``."""
        return str(self)


# "2019..2025", "2019–2025", "2019 — 2025", "2024-Q3..2025-Q2"; a bare hyphen only between
# two years, since a quarter is written with one ("2025-Q1").
_RANGE = re.compile(r"^\s*(.+?)\s*(?:\.\.|[–—]|(?<=\d{4})\s*-\s*(?=\d{4}\s*$))\s*(.+?)\s*$")
MAX_RUN = 60  # periods in one run: fifteen years of quarters is more than any plan spans


def parse_periods(text: str) -> tuple[Period, ...]:
    """A period, or a run ``FROM..TO`` of periods of one kind (years or quarters), oldest
    first with every period between."""
    m = _RANGE.match(text)
    if not m:
        return (Period.parse(text),)
    first, last = Period.parse(m.group(1)), Period.parse(m.group(2))
    if first.is_annual != last.is_annual:
        raise UsageError("period.range.mixed", text=text)
    if last < first:
        raise UsageError("period.range.backwards", text=text)
    run = [first]
    while run[-1] != last:
        if len(run) >= MAX_RUN:
            raise UsageError("period.range.too_long", text=text, most=MAX_RUN)
        run.append(run[-1].next())
    return tuple(run)


_MOMENT = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))"
    r"(?:[ T](\d{1,2}):(\d{2}))?\s*$"
)


def parse_moment(text: str) -> datetime | date:
    """A day or a moment as a coordinator types it: 2026-01-15, 15.01.2026, with or
    without a time (15.01.2026 14:30, local time). A day alone stays a day."""
    m = _MOMENT.match(text)
    try:
        if m is None:
            raise ValueError(text)
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(6, 5, 4)
        day = date(int(y), int(mo), int(d))
        if m.group(7) is None:
            return day
        return datetime.combine(day, time(int(m.group(7)), int(m.group(8)))).astimezone()
    except ValueError as e:
        raise UsageError("period.moment.unknown", text=text) from e
