"""Ukrainian deadline wordings → structured deadlines.

A deadline is read in steps: a due day ("до 10 січня"), the repetition words
("щороку", "щокварталу"), a start ("починаючи з IV кварталу 2018 року"), an end
("до кінця II кварталу 2019 року", "до 2020 року") and finally the window itself
("I квартал 2019 року", "2018-2026 роки", "2021, 2024, 2026 роки"). Anything left over
that is not understood makes the whole wording unparsed: there is no silent default.

"до X" means *before* X: "до 2020 року" ends on 31.12.2019, "до 1 січня 2021" on
31.12.2020; "до кінця II кварталу" ends on the last day of that quarter. A due day
without a year ("щороку до 10 січня") recurs; in January it falls after the year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.periods import Period
from toolkit.plan.model import Deadline, DueDay, Repeat
from toolkit.text import clean

MONTHS = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)  # fmt: skip
_MONTH = "|".join(MONTHS)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Q = r"(?P<q>[iv]{1,3})\s*(?:-?го\s*)?(?:квартал[уі]?|кв\.?)"
_HALF = r"(?P<h>[i]{1,2})\s*півріччя"
_YEAR = r"(?P<y>(?:19|20)\d\d)"


class DeadlineError(ValueError):
    """The wording could not be read as a deadline."""


@dataclass
class _Parts:
    rest: str
    start: date | None = None
    end: date | None = None
    due: DueDay | None = None
    annual: bool = False
    quarterly: bool = False
    quarter: int | None = None
    years: tuple[int, ...] = ()
    window: tuple[date, date] | None = None


def parse_deadline(raw: str, first_year: int, last_year: int) -> Deadline:
    """Read ``raw`` within a plan that runs from ``first_year`` to ``last_year``."""
    p = _Parts(_normalise(raw))
    if not p.rest:
        raise DeadlineError(raw)
    for step in (_due, _repeat_words, _start, _end, _window):
        step(p)
    if p.rest.strip(" ,.;-()"):
        raise DeadlineError(raw)
    return _assemble(raw, p, date(first_year, 1, 1), date(last_year, 12, 31))


def _normalise(raw: str) -> str:
    s = clean(raw).lower().replace("–", "-").replace("—", "-")
    # Roman numerals are typed in Latin or Cyrillic letters: "ІІ квартал" → "ii квартал".
    s = re.sub(
        r"\b([іiїvх]{1,4})(?=\s*(?:-?го\s*)?(?:квартал|кв\.|півріч))",
        lambda m: m.group(1).replace("і", "i").replace("х", "x"),
        s,
    )
    s = re.sub(r"(\d)\s*(р\.\s*р\.|рр\.?|р\.|роки|року|рік|років)", r"\1", s)
    s = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", s)
    return s.strip(" .")


def _take(p: _Parts, pattern: str) -> re.Match[str] | None:
    m = re.search(pattern, p.rest)
    if m:
        p.rest = (p.rest[: m.start()] + " " + p.rest[m.end() :]).strip()
    return m


def _due(p: _Parts) -> None:
    next_year = bool(_take(p, r"наступного\s+за\s+звітним\s+роком"))
    m = _take(p, rf"\(?\s*до\s*(?P<d>\d{{1,2}})\s*(?P<m>{_MONTH})\s*(?:{_YEAR})?\s*\)?")
    if m:
        _set_due(p, int(m["d"]), MONTHS.index(m["m"]) + 1, m["y"], next_year)
        return
    m = _take(p, rf"\(?\s*до\s*(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.?(?:{_YEAR})?\s*\)?")
    if m:
        _set_due(p, int(m["d"]), int(m["m"]), m["y"], next_year)


def _set_due(p: _Parts, day: int, month: int, year: str | None, next_year: bool) -> None:
    try:
        if year:  # an absolute date: the measure must be done before it; no yearly due day
            p.end = date(int(year), month, day) - timedelta(days=1)
            return
        date(2000, month, day)  # validates day and month (2000 is a leap year)
    except ValueError as e:
        raise DeadlineError(p.rest) from e
    p.due = DueDay(month, day, next_year)


def _repeat_words(p: _Parts) -> None:
    if _take(p, r"\bщоро(?:ку|чно)\b|\bщорічно\b|\bкожного\s+року\b"):
        p.annual = True
    if _take(p, r"\bщокварталу\b|\bщоквартально\b|\bкожного\s+кварталу\b"):
        p.quarterly = True
    if _take(p, r"\bпостійно\b|\bпротягом\s+дії\s+плану\b"):
        p.window = None  # continuous over the whole plan; nothing more to read


def _start(p: _Parts) -> None:
    m = _take(p, rf"\b(?:починаючи\s+з|з|із|від)\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.start = _quarter_window(int(m["y"]), m["q"])[0]


def _end(p: _Parts) -> None:
    m = _take(p, rf"\bдо\s+кінця\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.end = _quarter_window(int(m["y"]), m["q"])[1]
        return
    m = _take(p, rf"\bдо\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.end = _quarter_window(int(m["y"]), m["q"])[0] - timedelta(days=1)


def _window(p: _Parts) -> None:
    m = _take(p, rf"^(?:протягом\s+)?{_Q}\s+{_YEAR}$")
    if m:
        p.window = _quarter_window(int(m["y"]), m["q"])
        return
    m = _take(p, rf"^(?:протягом\s+)?{_HALF}\s+{_YEAR}$")
    if m:
        half = len(m["h"])
        y = int(m["y"])
        p.window = (date(y, 1 + 6 * (half - 1), 1), date(y, 6 * half, 30 + (half - 1)))
        return
    m = _take(p, r"^(?:протягом\s+)?((?:19|20)\d\d)-((?:19|20)\d\d)$")
    if m:
        first, last = int(m[1]), int(m[2])
        if last < first:
            raise DeadlineError(p.rest)
        p.window = (date(first, 1, 1), date(last, 12, 31))
        return
    m = _take(p, rf"^{_Q}$")
    if m:
        if m["q"] not in _ROMAN:
            raise DeadlineError(p.rest)
        p.quarter = _ROMAN[m["q"]]
        return
    years = re.findall(r"(?:19|20)\d\d", p.rest)
    if years and not re.sub(r"(?:19|20)\d\d|[\s,;і]|\bта\b|\bпротягом\b", "", p.rest):
        p.rest = ""
        if len(years) == 1:
            y = int(years[0])
            p.window = (date(y, 1, 1), date(y, 12, 31))
        else:
            p.years = tuple(sorted({int(y) for y in years}))


def _quarter_window(year: int, roman: str | None) -> tuple[date, date]:
    if roman is None:
        return date(year, 1, 1), date(year, 12, 31)
    if roman not in _ROMAN:
        raise DeadlineError(roman)
    q = Period(year, _ROMAN[roman])
    return q.start, q.end


def _assemble(raw: str, p: _Parts, plan_start: date, plan_end: date) -> Deadline:
    start = p.start or (p.window[0] if p.window else plan_start)
    end = p.end or (p.window[1] if p.window else plan_end)
    repeat: Repeat
    if p.quarterly:
        repeat = "quarterly"
    elif p.annual or p.quarter is not None:
        repeat = "annually"
    elif p.years:
        repeat = "years"
        start, end = date(p.years[0], 1, 1), date(p.years[-1], 12, 31)
    elif (p.window and p.window[0].year == p.window[1].year and not p.start and not p.end) or (
        p.end and not p.start and not p.window
    ):
        repeat = "once"
    else:
        repeat = "continuous"
    if end < start:
        raise DeadlineError(raw)
    due = p.due
    if due is not None and repeat == "annually" and due.month == 1 and not due.next_year:
        # "щороку (до 10 січня)": a January deadline of a yearly task is about the year
        # just ended (the yearly report), not the January of the same year.
        due = DueDay(due.month, due.day, next_year=True)
    return Deadline(
        raw=clean(raw),
        start=start,
        end=end,
        repeat=repeat,
        years=p.years,
        quarter=p.quarter,
        due=due,
    )
