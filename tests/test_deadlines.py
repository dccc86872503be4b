"""Every deadline wording of both seed plans, and what must stay an error."""

from __future__ import annotations

from datetime import date

import pytest

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
    ("До 01 серпня 2021", D(2018, 1, 1), D(2021, 7, 31), "once", {"due": None}),
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
]


@pytest.mark.parametrize(("text", "start", "end", "repeat", "extra"), CASES)
def test_wording(text: str, start: date, end: date, repeat: str, extra: dict[str, object]) -> None:
    d = parse_deadline(text, 2018, 2026)
    assert (d.start, d.end, d.repeat) == (start, end, repeat)
    for key, value in extra.items():
        assert getattr(d, key) == value
    assert "\n" not in d.raw


@pytest.mark.parametrize(
    "text", ["колись", "2019 рік і далі", "до 32 січня 2020", "2026-2019", "V квартал 2019", ""]
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
