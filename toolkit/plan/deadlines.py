"""Ukrainian deadline wordings → structured deadlines.

A deadline is read in steps: "as needed" wordings, a due day ("до 10 січня"), the
repetition words ("щороку", "щокварталу", "щомісяця", "далі – щороку"), a start
("починаючи з IV кварталу 2018 року", "з березня 2021"), an end ("до кінця II кварталу
2019 року", "до 2020 року") and finally the window itself ("I квартал 2019 року",
"ІІ-ІІІ квартал 2021 року", "грудень 2021 року", "впродовж 2021 року", "2018-2026 роки",
"2021, 2024, 2026 роки", "31.12.2024", "2020-2021 навчальний рік"). Parentheses carry no
meaning and are read as spaces. Anything left over that is not understood makes the whole
wording unparsed: there is no silent default.

The conventions (docs/guide.md says the same to coordinators):
- "до DATE" includes DATE: "до 31.12.2024" ends on 31.12.2024, "до 01 серпня 2021" on
  01.08.2021. A date on the first day of a quarter stands for the end of the quarter
  before it: "до 1 січня 2021" ends on 31.12.2020, "до 01.07.2021" on 30.06.2021, so such
  a measure is reported in the period it has to be done in, not one day into the next.
- "до" + a year, quarter or month means *before* it: "до 2020 року" ends on 31.12.2019,
  "до ІІ кварталу 2021" on 31.03.2021; "до кінця II кварталу" ends on its last day.
- A due day without a year ("щороку до 10 січня") recurs; in January it falls after the
  reported year.
- A school year ("2020-2021 навчальний рік") runs from 1 September to 30 June."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.periods import Period
from toolkit.plan.model import Deadline, DueDay, Repeat
from toolkit.text import clean, visible

MONTHS = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)  # fmt: skip
# The month as a period: "грудень 2021 року", "у грудні 2021 року".
_MONTH_NAMES = (
    "січень", "лютий", "березень", "квітень", "травень", "червень",
    "липень", "серпень", "вересень", "жовтень", "листопад", "грудень",
)  # fmt: skip
_MONTH_IN = (
    "січні", "лютому", "березні", "квітні", "травні", "червні",
    "липні", "серпні", "вересні", "жовтні", "листопаді", "грудні",
)  # fmt: skip
_MONTH = "|".join(MONTHS)
_ANY_MONTH = "|".join((*MONTHS, *_MONTH_NAMES, *_MONTH_IN))
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QWORD = r"(?:квартал(?:у|і|и|ів|ах)?|кв\.?)"
_Q = rf"(?P<q>[iv]{{1,3}}|[1-4])\s*(?:-?го\s*)?{_QWORD}"
_HALF = r"(?P<h>i{1,2}|[12])\s*(?:-?го\s*)?півріччя"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
# "протягом 2021 року", "впродовж", "у", "в", "на", "за": all mean "within".
_WITHIN = r"(?:(?:протягом|впродовж|упродовж|у\s+межах|у|в|на|за)\s+)?"
_AS_NEEDED = (
    r"\b(?:у|в|по)\s+міру\s+(?:потреби|необхідності)\b|\bза\s+(?:потреби|необхідності)\b|"
    r"\b(?:у|в)\s+разі\s+(?:потреби|необхідності)\b|\bпри\s+(?:потребі|необхідності)\b|"
    r"\bза\s+потребою\b"
)
_REPEATS: tuple[tuple[str, Repeat], ...] = (
    (r"\bщороку\b|\bщорічно\b|\bкожного\s+року\b|\bкожен\s+рік\b|\bщорічний\b", "annually"),
    (r"\bщокварталу\b|\bщоквартально\b|\bкожного\s+кварталу\b", "quarterly"),
    (r"\bщомісяця\b|\bщомісячно\b|\bкожного\s+місяця\b", "monthly"),
)
_ALWAYS = (
    r"\bпостійно\b|\b(?:протягом|впродовж|упродовж)\s+(?:усього\s+|всього\s+)?"
    r"(?:дії|строку\s+дії|періоду\s+дії|терміну\s+дії)\s+(?:плану|програми)(?:\s+дій)?\b|"
    r"\b(?:протягом|впродовж|упродовж)\s+(?:усього|всього)\s+періоду\b|\bвесь\s+період\b"
)
_ONWARD = r"\b(?:і\s+|та\s+|а\s+)?(?:далі|надалі)\b"


class DeadlineError(ValueError):
    """The wording could not be read as a deadline."""


@dataclass
class _Parts:
    rest: str
    start: date | None = None
    end: date | None = None
    due: DueDay | None = None
    repeat: Repeat | None = None
    onward: bool = False
    quarter: int | None = None
    years: tuple[int, ...] = ()
    window: tuple[date, date] | None = None


def parse_deadline(raw: str, first_year: int, last_year: int) -> Deadline:
    """Read ``raw`` within a plan that runs from ``first_year`` to ``last_year``."""
    p = _Parts(_normalise(raw))
    if not p.rest:
        raise DeadlineError(raw)
    for step in (_as_needed, _due, _repeat_words, _start, _end, _window):
        step(p)
    if p.rest.strip(" ,.;-"):
        raise DeadlineError(raw)
    return _assemble(raw, p, date(first_year, 1, 1), date(last_year, 12, 31))


def _normalise(raw: str) -> str:
    s = clean(visible(raw)).lower().replace("–", "-").replace("—", "-").replace("‑", "-")
    s = re.sub(r"[()]", " ", s)
    # Roman numerals are typed in Latin or Cyrillic letters: "ІІ-ІІІ квартал" → "ii-iii".
    s = re.sub(
        r"\b([іiїvх]{1,4})(?=(?:\s*-\s*[іiїvх]{1,4})?\s*(?:-?го\s*)?(?:квартал|кв\.|півріч))",
        lambda m: m.group(1).replace("і", "i").replace("ї", "i").replace("х", "x"),
        s,
    )
    s = re.sub(r"(\d)\s*(р\.\s*р\.|рр\.?|р\.|роки|року|рік|років|роках|році|р\b)", r"\1", s)
    s = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", s)
    s = re.sub(r"([iv])\s*-\s*([iv])", r"\1-\2", s)
    return clean(s).strip(" .,;")


def _take(p: _Parts, pattern: str) -> re.Match[str] | None:
    m = re.search(pattern, p.rest)
    if m:
        p.rest = clean(p.rest[: m.start()] + " " + p.rest[m.end() :])
    return m


def _as_needed(p: _Parts) -> None:
    """ "у міру потреби": the measure stays open over the whole plan."""
    if _take(p, _AS_NEEDED):
        p.repeat = p.repeat or "continuous"


def _due(p: _Parts) -> None:
    next_year = bool(_take(p, r"наступного\s+за\s+звітним\s+(?:роком|періодом)"))
    m = _take(p, rf"\bдо\s*(?P<d>\d{{1,2}})\s*(?P<m>{_MONTH})\s*(?:{_YEAR})?")
    if m:
        _set_due(p, int(m["d"]), MONTHS.index(m["m"]) + 1, m["y"], next_year)
        return
    m = _take(p, rf"\bдо\s*(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})(?:\.(?:{_YEAR})?)?(?!\d)")
    if m:
        _set_due(p, int(m["d"]), int(m["m"]), m["y"], next_year)


def _set_due(p: _Parts, day: int, month: int, year: str | None, next_year: bool) -> None:
    try:
        if year:  # an absolute date: the measure must be done by it; no yearly due day
            p.end = _by_date(date(int(year), month, day))
            return
        date(2000, month, day)  # validates day and month (2000 is a leap year)
    except ValueError as e:
        raise DeadlineError(p.rest) from e
    p.due = DueDay(month, day, next_year)


def _by_date(day: date) -> date:
    """The last day of a measure due "до ``day``" (see the module's conventions)."""
    if day.day == 1 and day.month in (1, 4, 7, 10):
        return day - timedelta(days=1)
    return day


def _repeat_words(p: _Parts) -> None:
    for pattern, repeat in _REPEATS:
        if _take(p, pattern):
            if _take(p, _ONWARD):
                p.onward = True
            p.repeat = repeat
    if _take(p, _ALWAYS):
        p.repeat = p.repeat or "continuous"
        if _take(p, _ONWARD):  # "2020 рік, далі – постійно"
            p.onward = True


def _start(p: _Parts) -> None:
    m = _take(p, rf"\b(?:починаючи\s+з|починаючи\s+із|з|із|від)\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.start = _quarter_window(int(m["y"]), m["q"])[0]
        return
    m = _take(p, rf"\b(?:починаючи\s+з|з|із|від)\s+(?P<m>{_MONTH})\s+{_YEAR}")
    if m:
        p.start = date(int(m["y"]), MONTHS.index(m["m"]) + 1, 1)


def _end(p: _Parts) -> None:
    m = _take(p, rf"\bдо\s+кінця\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.end = _quarter_window(int(m["y"]), m["q"])[1]
        return
    m = _take(p, rf"\bдо\s+кінця\s+(?P<m>{_MONTH})\s+{_YEAR}")
    if m:
        p.end = _month_window(int(m["y"]), MONTHS.index(m["m"]) + 1)[1]
        return
    m = _take(p, rf"\bдо\s+(?:{_Q}\s+)?{_YEAR}")
    if m:
        p.end = _quarter_window(int(m["y"]), m["q"])[0] - timedelta(days=1)
        return
    m = _take(p, rf"\bдо\s+(?P<m>{_MONTH})\s+{_YEAR}")
    if m:
        p.end = date(int(m["y"]), MONTHS.index(m["m"]) + 1, 1) - timedelta(days=1)


def _window(p: _Parts) -> None:
    p.rest = p.rest.strip(" ,.;-")
    readers = (_quarters, _half, _months, _day, _school_year, _year_range, _quarter_alone, _years)
    for reader in readers:
        if reader(p):
            return


def _quarters(p: _Parts) -> bool:
    """ "I квартал 2019", "ii-iii квартал 2021", "iv квартал 2021 - i квартал 2022"."""
    q = r"([iv]{1,3}|[1-4])"
    m = _take(p, rf"^{_WITHIN}{q}(?:-{q})?\s*(?:-?го\s*)?{_QWORD}\s+{_YEAR}$")
    if m:
        year = int(m["y"])
        first, last = _quarter_window(year, m[1]), _quarter_window(year, m[2] or m[1])
        p.window = _ordered(first[0], last[1], p)
        return True
    m = _take(
        p,
        rf"^{_WITHIN}{q}\s*{_QWORD}\s+((?:19|20)\d\d)\s*-\s*{q}\s*{_QWORD}\s+((?:19|20)\d\d)$",
    )
    if m:
        first, last = _quarter_window(int(m[2]), m[1]), _quarter_window(int(m[4]), m[3])
        p.window = _ordered(first[0], last[1], p)
        return True
    return False


def _half(p: _Parts) -> bool:
    m = _take(p, rf"^{_WITHIN}{_HALF}\s+{_YEAR}$")
    if not m:
        return False
    half = len(m["h"]) if m["h"].startswith("i") else int(m["h"])
    y = int(m["y"])
    p.window = (date(y, 1 + 6 * (half - 1), 1), date(y, 6 * half, 30 + (half - 1)))
    return True


def _months(p: _Parts) -> bool:
    """ "грудень 2021", "у грудні 2021", "листопад-грудень 2021"."""
    m = _take(p, rf"^{_WITHIN}(?P<a>{_ANY_MONTH})(?:\s*-\s*(?P<b>{_ANY_MONTH}))?\s+{_YEAR}$")
    if not m:
        return False
    year = int(m["y"])
    first, last = _month_number(m["a"]), _month_number(m["b"] or m["a"])
    p.window = _ordered(_month_window(year, first)[0], _month_window(year, last)[1], p)
    return True


def _day(p: _Parts) -> bool:
    """A bare date ("31.12.2024", as Excel shows a date typed into the cell): due by it."""
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)", p.rest)
    if not m:
        return False
    try:
        p.end = _by_date(date(int(m[3]), int(m[2]), int(m[1])))
    except ValueError as e:
        raise DeadlineError(p.rest) from e
    p.rest = ""
    return True


def _school_year(p: _Parts) -> bool:
    """ "2020-2021 навчальний рік", "у 2020/2021 н.р.": from 1 September to 30 June (the
    school year ends by 1 July)."""
    m = _take(
        p,
        rf"^{_WITHIN}((?:19|20)\d\d)\s*[-/]\s*((?:19|20)\d\d)\s+"
        r"(?:навчальн(?:ий|ого|ому)\s+(?:рік|року|році)|н\.\s*р\.?)$",
    )
    if not m:
        return False
    first, last = int(m[1]), int(m[2])
    if last != first + 1:
        raise DeadlineError(p.rest)
    p.window = (date(first, 9, 1), date(last, 6, 30))
    return True


def _year_range(p: _Parts) -> bool:
    m = _take(p, rf"^{_WITHIN}((?:19|20)\d\d)-((?:19|20)\d\d)$")
    if not m:
        return False
    first, last = int(m[1]), int(m[2])
    p.window = _ordered(date(first, 1, 1), date(last, 12, 31), p)
    return True


def _quarter_alone(p: _Parts) -> bool:
    """ "щороку ІІ квартал": the quarter of every year."""
    m = _take(p, rf"^{_WITHIN}{_Q}$")
    if not m:
        return False
    p.quarter = _quarter_number(m["q"])
    return True


def _years(p: _Parts) -> bool:
    years = re.findall(r"(?:19|20)\d\d", p.rest)
    leftover = re.sub(r"(?:19|20)\d\d|[\s,;і]|\bта\b|\bй\b|\bпротягом\b|\bвпродовж\b|\bупродовж\b",
                      "", re.sub(rf"^{_WITHIN}", "", p.rest))  # fmt: skip
    if not years or leftover:
        return False
    p.rest = ""
    if len(years) == 1:
        y = int(years[0])
        p.window = (date(y, 1, 1), date(y, 12, 31))
    else:
        p.years = tuple(sorted({int(y) for y in years}))
    return True


def _ordered(first: date, last: date, p: _Parts) -> tuple[date, date]:
    if last < first:
        raise DeadlineError(p.rest)
    return first, last


def _month_number(word: str) -> int:
    for names in (MONTHS, _MONTH_NAMES, _MONTH_IN):
        if word in names:
            return names.index(word) + 1
    raise DeadlineError(word)


def _month_window(year: int, month: int) -> tuple[date, date]:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def _quarter_number(roman: str) -> int:
    if roman.isdigit():
        return int(roman)
    if roman not in _ROMAN:
        raise DeadlineError(roman)
    return _ROMAN[roman]


def _quarter_window(year: int, roman: str | None) -> tuple[date, date]:
    if roman is None:
        return date(year, 1, 1), date(year, 12, 31)
    q = Period(year, _quarter_number(roman))
    return q.start, q.end


def _assemble(raw: str, p: _Parts, plan_start: date, plan_end: date) -> Deadline:
    start = p.start or (p.window[0] if p.window else plan_start)
    end = p.end or (p.window[1] if p.window and not p.onward else plan_end)
    repeat: Repeat
    if p.repeat is not None:
        repeat = p.repeat
    elif p.quarter is not None:
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
        raw=clean(visible(raw)),
        start=start,
        end=end,
        repeat=repeat,
        years=p.years,
        quarter=p.quarter,
        due=due,
    )
