"""Every deadline wording of both seed plans, and what must stay an error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.periods import Period
from toolkit.plan.deadlines import DeadlineError, parse_deadline
from toolkit.plan.model import DueDay

D = date
CASES = [
    # wording, start, end, repeat, extra
    ("щокварталу", D(2018, 1, 1), D(2026, 12, 31), "quarterly", {}),
    ("I квартал 2019 року", D(2019, 1, 1), D(2019, 3, 31), "once", {}),
    ("IV квартал 2018 року", D(2018, 10, 1), D(2018, 12, 31), "once", {}),
    ("до кінця II кварталу 2019 року", D(2018, 1, 1), D(2019, 6, 30), "once", {}),
    ("починаючи з IV кварталу 2018 року", D(2018, 10, 1), D(2026, 12, 31), "continuous", {}),
    ("2019 рік", D(2019, 1, 1), D(2019, 12, 31), "once", {}),
    ("2018-2026 роки", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("2019 - 2024 роки", D(2019, 1, 1), D(2024, 12, 31), "continuous", {}),
    ("2018-2026\nроки", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("до 2020 року", D(2018, 1, 1), D(2019, 12, 31), "once", {}),
    (
        "щороку (до 10січня)",
        D(2018, 1, 1),
        D(2026, 12, 31),
        "annually",
        {"due": DueDay(1, 10, next_year=True)},
    ),
    (
        "2021, 2024, 2026 роки",
        D(2021, 1, 1),
        D(2026, 12, 31),
        "years",
        {"years": (2021, 2024, 2026)},
    ),
    (
        "2021\n\n2024\n\n2026",
        D(2021, 1, 1),
        D(2026, 12, 31),
        "years",
        {"years": (2021, 2024, 2026)},
    ),
    ("Щороку ІІ квартал", D(2018, 1, 1), D(2026, 12, 31), "annually", {"quarter": 2}),
    ("Щороку \n\nІІ квартал", D(2018, 1, 1), D(2026, 12, 31), "annually", {"quarter": 2}),
    ("До 01 серпня 2021", D(2018, 1, 1), D(2021, 8, 1), "once", {"due": None}),
    ("Починаючи з 2021", D(2021, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("До 1 січня 2021", D(2018, 1, 1), D(2020, 12, 31), "once", {"due": None}),
    ("2021-2026 р.р.", D(2021, 1, 1), D(2026, 12, 31), "continuous", {}),
    (
        "З 2021 щороку (до 01.02. наступного за звітним роком)",
        D(2021, 1, 1),
        D(2026, 12, 31),
        "annually",
        {"due": DueDay(2, 1, next_year=True)},
    ),
    ("2021.", D(2021, 1, 1), D(2021, 12, 31), "once", {}),
    ("2020-2026 ", D(2020, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("2020", D(2020, 1, 1), D(2020, 12, 31), "once", {}),
    ("щороку до 1 грудня", D(2018, 1, 1), D(2026, 12, 31), "annually", {"due": DueDay(12, 1)}),
    ("постійно", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("I півріччя 2020 року", D(2020, 1, 1), D(2020, 6, 30), "once", {}),
    ("ІІ півріччя 2020 року", D(2020, 7, 1), D(2020, 12, 31), "once", {}),
    # The wordings of council plans that were not read before, and their families.
    ("2025 рік, далі – щороку", D(2025, 1, 1), D(2026, 12, 31), "annually", {}),
    ("2021 рік, а далі щорічно", D(2021, 1, 1), D(2026, 12, 31), "annually", {}),
    ("2022 рік і надалі щокварталу", D(2022, 1, 1), D(2026, 12, 31), "quarterly", {}),
    ("впродовж 2021 року", D(2021, 1, 1), D(2021, 12, 31), "once", {}),
    ("упродовж 2021 року", D(2021, 1, 1), D(2021, 12, 31), "once", {}),
    ("у 2021 році", D(2021, 1, 1), D(2021, 12, 31), "once", {}),
    ("протягом 2020-2022 років", D(2020, 1, 1), D(2022, 12, 31), "continuous", {}),
    ("у міру потреби", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("в міру необхідності", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("за потреби", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("у разі потреби", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("Протягом дії Плану", D(2018, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("грудень 2021 року", D(2021, 12, 1), D(2021, 12, 31), "once", {}),
    ("у лютому 2024 р.", D(2024, 2, 1), D(2024, 2, 29), "once", {}),
    ("листопад – грудень 2021 року", D(2021, 11, 1), D(2021, 12, 31), "once", {}),
    ("до кінця березня 2022 року", D(2018, 1, 1), D(2022, 3, 31), "once", {}),
    ("до березня 2022 року", D(2018, 1, 1), D(2022, 2, 28), "once", {}),
    ("з вересня 2021 року", D(2021, 9, 1), D(2026, 12, 31), "continuous", {}),
    ("щомісяця", D(2018, 1, 1), D(2026, 12, 31), "monthly", {}),
    ("щомісячно протягом 2021 року", D(2021, 1, 1), D(2021, 12, 31), "monthly", {}),
    ("ІІ-ІІІ квартал 2021 року", D(2021, 4, 1), D(2021, 9, 30), "once", {}),
    ("II–IV квартали 2022 року", D(2022, 4, 1), D(2022, 12, 31), "once", {}),
    ("І – ІІ кв. 2023 р.", D(2023, 1, 1), D(2023, 6, 30), "once", {}),
    ("у ІІІ кварталі 2020 року", D(2020, 7, 1), D(2020, 9, 30), "once", {}),
    ("2 квартал 2021 року", D(2021, 4, 1), D(2021, 6, 30), "once", {}),
    ("IV квартал 2021 – I квартал 2022 року", D(2021, 10, 1), D(2022, 3, 31), "continuous", {}),
    ("2020 - 2026 роки, щороку", D(2020, 1, 1), D(2026, 12, 31), "annually", {}),
    (
        "2021-2026 (щорічно до 15 січня)",
        D(2021, 1, 1),
        D(2026, 12, 31),
        "annually",
        {"due": DueDay(1, 15, next_year=True)},
    ),
    (
        "щороку до 10 січня, 2020-2026 роки",
        D(2020, 1, 1),
        D(2026, 12, 31),
        "annually",
        {"due": DueDay(1, 10, next_year=True)},
    ),
    # a school year runs from 1 September to 30 June; "далі – постійно" runs to the end
    ("2020-2021 навчальний рік", D(2020, 9, 1), D(2021, 6, 30), "continuous", {}),
    ("у 2022/2023 н.р.", D(2022, 9, 1), D(2023, 6, 30), "continuous", {}),
    ("протягом 2021-2022 навчального року", D(2021, 9, 1), D(2022, 6, 30), "continuous", {}),
    ("2020 рік, далі – постійно", D(2020, 1, 1), D(2026, 12, 31), "continuous", {}),
    # «до DATE» includes DATE; the first day of a quarter stands for the quarter before.
    ("до 31.12.2024", D(2018, 1, 1), D(2024, 12, 31), "once", {}),
    ("до 31.12.2024 року", D(2018, 1, 1), D(2024, 12, 31), "once", {}),
    ("до 15 травня 2022 р.", D(2018, 1, 1), D(2022, 5, 15), "once", {}),
    ("до 01.07.2021", D(2018, 1, 1), D(2021, 6, 30), "once", {}),
    ("31.12.2024", D(2018, 1, 1), D(2024, 12, 31), "once", {}),
    ("01.08.2021", D(2018, 1, 1), D(2021, 8, 1), "once", {}),
    # invisible characters pasted from the web
    ("20\u00ad21-20\u00ad26 ро\u00adки", D(2021, 1, 1), D(2026, 12, 31), "continuous", {}),
    ("І\u00a0квартал\u00a02019\u00a0року", D(2019, 1, 1), D(2019, 3, 31), "once", {}),
]


@pytest.mark.parametrize(("text", "start", "end", "repeat", "extra"), CASES)
def test_wording(text: str, start: date, end: date, repeat: str, extra: dict[str, object]) -> None:
    d = parse_deadline(text, 2018, 2026)
    assert (d.start, d.end, d.repeat) == (start, end, repeat)
    for key, value in extra.items():
        assert getattr(d, key) == value
    assert "\n" not in d.raw


@pytest.mark.parametrize(
    "text",
    [
        "колись",
        "2019 рік і далі",
        "до 32 січня 2020",
        "2026-2019",
        "V квартал 2019",
        "",
        "до 31.02.2024",
        "31.13.2024",
        "IV-II квартал 2021",
        "грудень-листопад 2021",
        "щороку за домовленістю",
        "у міру потреби, але не пізніше",
        "тринадцятий місяць 2021",
        "2020-2022 навчальний рік",
    ],
)
def test_unreadable_wording_is_an_error(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text, 2018, 2026)


def test_activity_by_period() -> None:
    quarter_two = parse_deadline("Щороку ІІ квартал", 2020, 2026)
    assert quarter_two.active_in(Period(2021, 2))
    assert not quarter_two.active_in(Period(2021, 1))
    assert quarter_two.active_in(Period(2021))
    years = parse_deadline("2021, 2024, 2026 роки", 2018, 2026)
    assert [y for y in range(2018, 2027) if years.active_in(Period(y))] == [2021, 2024, 2026]
    before = parse_deadline("До 1 січня 2021", 2020, 2026)
    assert before.active_in(Period(2020)) and not before.active_in(Period(2021))
    q1 = parse_deadline("I квартал 2019 року", 2018, 2026)
    assert q1.active_in(Period(2019, 1)) and not q1.active_in(Period(2019, 2))


# --- properties: the grammar holds for every date, spelling and stray word -------------

_ROMAN_LATIN = ("I", "II", "III", "IV")
_ROMAN_CYRILLIC = ("І", "ІІ", "ІІІ", "ІV")


@given(st.dates(min_value=D(2018, 1, 2), max_value=D(2026, 12, 31)), st.booleans())
def test_until_a_date_includes_it(day: date, words: bool) -> None:
    from toolkit.plan.deadlines import MONTHS

    text = (
        f"до {day.day} {MONTHS[day.month - 1]} {day.year} року" if words else f"до {day:%d.%m.%Y}"
    )
    d = parse_deadline(text, 2018, 2026)
    first_of_quarter = day.day == 1 and day.month in (1, 4, 7, 10)
    assert d.end == (day - timedelta(days=1) if first_of_quarter else day)
    assert d.repeat == "once"


@given(
    st.integers(2018, 2026),
    st.integers(1, 4),
    st.integers(1, 4),
    st.sampled_from([_ROMAN_LATIN, _ROMAN_CYRILLIC]),
    st.sampled_from(["-", "–", " - ", " — "]),
)
def test_quarter_ranges(year: int, a: int, b: int, roman: tuple[str, ...], dash: str) -> None:
    text = f"{roman[a - 1]}{dash}{roman[b - 1]} квартал {year} року"
    if b < a:
        with pytest.raises(DeadlineError):
            parse_deadline(text, 2018, 2026)
        return
    d = parse_deadline(text, 2018, 2026)
    assert (d.start, d.end) == (Period(year, a).start, Period(year, b).end)


@given(st.sampled_from([w for w, *_ in CASES]), st.sampled_from(["\u00ad", "\u200b", "\u00a0"]))
def test_invisible_characters_change_nothing(text: str, mark: str) -> None:
    """A soft hyphen, a zero-width or a no-break space anywhere between words reads alike."""
    plain = parse_deadline(text, 2018, 2026)
    spaced = text.replace(" ", mark if mark == "\u00a0" else f" {mark}")
    again = parse_deadline(spaced, 2018, 2026)
    assert (again.start, again.end, again.repeat, again.due) == (
        plain.start,
        plain.end,
        plain.repeat,
        plain.due,
    )
    assert again.raw == plain.raw


@given(
    st.sampled_from([w for w, *_ in CASES]),
    st.sampled_from(["колись", "за домовленістю", "орієнтовно", "x", "квартал"]),
)
def test_a_stray_word_is_never_ignored(text: str, word: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(f"{text} {word}", 2018, 2026)


@given(st.integers(2018, 2026), st.integers(2018, 2026))
def test_year_ranges(first: int, last: int) -> None:
    text = f"{first}-{last} роки"
    if last < first:
        with pytest.raises(DeadlineError):
            parse_deadline(text, 2018, 2026)
        return
    d = parse_deadline(text, 2018, 2026)
    assert (d.start, d.end) == (D(first, 1, 1), D(last, 12, 31))
