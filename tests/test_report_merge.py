"""merge(): the combined-status rule, sums, carried-over measures, screening, provenance —
every figure checked against sums computed here from the inputs."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from tests.test_report_data import (
    FUNDS,
    Dataset,
    expected_combined,
    expected_cumulative,
    expected_fund,
    expected_units,
    expected_value,
    random_dataset,
    statuses_of,
    submission,
)
from toolkit.periods import Period
from toolkit.plan.query import active_measures, units_of
from toolkit.report.inputs import counted_periods
from toolkit.report.status import combine, is_overdue

D, P, N, S, L = "виконано", "виконується", "не виконано", "не розпочато", "втратив актуальність"


@pytest.mark.parametrize(
    ("statuses", "combined"),
    [
        ([], "немає звіту"),
        ([None, None], "немає звіту"),
        ([D], D),
        ([D, D, None], D),
        ([D, L], D),
        ([L, L], L),
        ([L, None], L),
        ([D, P], P),
        ([P], P),
        ([N, S], N),
        ([S], N),
        ([N, L], N),
        ([D, N], P),
        ([D, S, L], P),
        ([P, N], P),
        (["щось інше"], "немає звіту"),
    ],
)
def test_combined_status_rule(statuses: list[str | None], combined: str) -> None:
    assert combine(statuses) == combined
    assert expected_combined(statuses) == combined  # the test's own restatement agrees


def test_overdue_needs_a_passed_deadline_and_an_open_status() -> None:
    assert is_overdue(True, "виконується")
    assert is_overdue(True, "немає звіту")
    assert not is_overdue(True, D)
    assert not is_overdue(True, L)
    assert not is_overdue(False, N)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_equals_the_sum_of_the_inputs(seed: int) -> None:
    ds = random_dataset(seed)
    c = ds.merge()
    active = {m.id for m in active_measures(ds.plan, ds.period)}
    assert active <= {r.measure.id for r in c.rows}
    for r in c.rows:
        mid = r.measure.id
        assert r.value == _approx(expected_value(ds, mid)), mid
        assert r.cumulative == _approx(expected_cumulative(ds, mid)), mid
        for key in FUNDS:
            assert r.funds.get(key) == _approx(expected_fund(ds, mid, key)), (mid, key)
        said = statuses_of(ds, mid)
        executors = [u for u in units_of(r.measure, ds.registry) if u in ds.expected]
        if mid in active:
            assert [a.unit for a in r.answers if a.expected] == executors
            assert r.partial == any(said.get(u) is None for u in executors)
        assert r.combined == expected_combined(list(said.values()))
        assert r.reported == sum(1 for s in said.values() if s is not None)
        overdue = r.measure.deadline.overdue_after(ds.period) and r.combined not in (D, L)
        assert r.overdue == overdue
    for sec in c.sections:
        mine = [r for r in c.rows if r.measure.section == sec.section.id]
        for key in FUNDS:
            parts = [v for r in mine if (v := expected_fund(ds, r.measure.id, key)) is not None]
            assert sec.funds[key] == pytest.approx(math.fsum(parts))
    for key in FUNDS:
        every = [v for r in c.rows if (v := expected_fund(ds, r.measure.id, key)) is not None]
        assert c.funds[key] == pytest.approx(math.fsum(every))


def _approx(value: float | None) -> object:
    return None if value is None else pytest.approx(value, rel=1e-12)


def test_missing_and_late_units_are_listed_with_contacts() -> None:
    ds = random_dataset(5, coverage=0.6)
    c = ds.merge()
    missing = {u.unit for u in c.missing}
    assert missing == expected_units(ds) - set(ds.accepted)
    assert {u.unit for u in c.late} == set(ds.late)
    for u in c.missing:
        assert u.emails == ds.registry.units[u.unit].emails


def _tiny(
    rows_by_unit: dict[str, dict[str, dict[str, object]]],
    period: str = "2025",
    earlier: dict[str, dict[str, dict[str, dict[str, object]]]] | None = None,
) -> Dataset:
    ds = random_dataset(0, earlier=())
    sid = iter(range(500, 10_000))
    ds.accepted = {u: submission(next(sid), u, period, rows) for u, rows in rows_by_unit.items()}
    ds.earlier = {
        p: {u: submission(next(sid), u, p, rows) for u, rows in subs.items()}
        for p, subs in (earlier or {}).items()
    }
    ds.late = {}
    return ds


def test_a_percent_indicator_is_averaged_not_summed() -> None:
    # II.1.5: "100 %" target, executed by the district administrations
    ds = _tiny(
        {
            "rda-bilovodsk": {"II.1.5": {"status": P, "value": 50.0}},
            "rda-bilokurakyne": {"II.1.5": {"status": D, "value": 100.0}},
        },
        earlier={"2024": {"rda-bilovodsk": {"II.1.5": {"status": P, "value": 20.0}}}},
    )
    row = next(r for r in ds.merge().rows if r.measure.id == "II.1.5")
    assert row.value_rule == "mean"
    assert row.value == 75.0
    assert row.cumulative == 75.0  # a level: the latest period's mean, not 20 + 50 + 100


def test_a_count_indicator_is_summed_over_the_years() -> None:
    ds = _tiny(
        {
            "rda-bilovodsk": {"III.1.1": {"status": P, "value": 3.0}},
            "rda-bilokurakyne": {"III.1.1": {"status": P, "value": 4.0}},
        },
        earlier={
            "2023": {"rda-bilovodsk": {"III.1.1": {"status": P, "value": 2.0}}},
            "2024": {"rda-bilovodsk": {"III.1.1": {"status": P, "value": 5.0}}},
            "2026": {"rda-bilovodsk": {"III.1.1": {"status": P, "value": 99.0}}},
        },
    )
    row = next(r for r in ds.merge().rows if r.measure.id == "III.1.1")
    assert (row.value, row.cumulative, row.value_rule) == (7.0, 14.0, "sum")


def test_a_passed_measure_left_open_earlier_is_carried_as_overdue() -> None:
    # I.1.3 was due in IV quarter 2018; the regional administration said "не виконано".
    ds = _tiny(
        {},
        earlier={"2018": {"loda": {"I.1.3": {"status": N}}, "sos-lov": {"I.1.3": {"status": D}}}},
    )
    row = next(r for r in ds.merge().rows if r.measure.id == "I.1.3")
    assert row.carried and row.overdue
    assert [a.unit for a in row.answers] == ["loda"]  # sos-lov had closed it
    assert row.combined == "немає звіту" and row.partial


def test_narratives_are_merged_with_attribution_in_registry_order() -> None:
    ds = _tiny(
        {
            "rda-starobilsk": {"II.1.5": {"status": P, "done": "друге"}},
            "rda-bilovodsk": {"II.1.5": {"status": P, "done": "перше", "reasons": "брак коштів"}},
        }
    )
    row = next(r for r in ds.merge().rows if r.measure.id == "II.1.5")
    shorts = {u: ds.registry.units[u].short for u in ("rda-bilovodsk", "rda-starobilsk")}
    assert row.texts["done"] == (
        f"{shorts['rda-bilovodsk']}: перше; {shorts['rda-starobilsk']}: друге"
    )
    assert row.texts["reasons"] == f"{shorts['rda-bilovodsk']}: брак коштів"
    parts = row.statuses.split("; ")
    assert parts.index(f"{shorts['rda-bilovodsk']}: {P}") < parts.index(
        f"{shorts['rda-starobilsk']}: {P}"
    )
    assert f"{ds.registry.units['loda-osvita'].short}: немає звіту" in parts


def test_submissions_that_cannot_be_trusted_are_left_out_with_a_code() -> None:
    ds = _tiny({})
    ds.accepted = {
        "rda-bilovodsk": submission(
            1, "rda-bilovodsk", "2025", {"II.1.5": {"value": 5.0}}, verdict="rejected"
        ),
        "rda-starobilsk": submission(2, "rda-starobilsk", "2024", {"II.1.5": {"value": 5.0}}),
        "nobody": submission(3, "nobody", "2025", {"II.1.5": {"value": 5.0}}),
        "rda-kreminna": submission(
            4, "rda-kreminna", "2025", {"II.1.5": {"status": P, "value": "abc"}, "X.9.9": {}}
        ),
    }
    c = ds.merge()
    codes = sorted(i.code for i in c.issues)
    assert codes == [
        "W_REPORT_NOT_ACCEPTED",
        "W_REPORT_UNKNOWN_MEASURE",
        "W_REPORT_UNKNOWN_UNIT",
        "W_REPORT_VALUE_IGNORED",
        "W_REPORT_WRONG_PERIOD",
    ]
    row = next(r for r in c.rows if r.measure.id == "II.1.5")
    assert row.value is None and row.reported == 1
    assert [u.unit for u in c.reported] == ["rda-kreminna"]


def test_every_value_is_traced_to_its_cell_and_file() -> None:
    ds = random_dataset(11)
    c = ds.merge()
    traced = {
        (p.period, p.unit, p.measure_id, key): cell
        for p in c.provenance
        for key, cell in p.cells.items()
    }
    on_report = {r.measure.id for r in c.rows}
    expected = {}
    for label, subs in [(str(ds.period), ds.accepted), *ds.earlier.items()]:
        for unit, sub in subs.items():
            assert sub.answers is not None
            for row in sub.answers.rows:
                if row.measure_id not in on_report:
                    continue
                for key, v in row.values.items():
                    counted = label == str(ds.period) or (
                        key == "value" and isinstance(v.value, float)
                    )
                    if v.value not in (None, "") and counted:
                        expected[(label, unit, row.measure_id, key)] = v.cell
    assert traced == expected
    by_id = {s.submission: s for s in c.sources}
    for p in c.provenance:
        src = by_id[p.submission]
        sub = (ds.accepted if p.period == str(ds.period) else ds.earlier[p.period])[p.unit]
        assert (src.sha256, src.unit, src.received_at) == (sub.sha256, sub.unit, sub.received_at)
        for key, cell in p.cells.items():
            assert cell == f"{src.columns[key]}{p.row}"


def test_counted_periods_prefer_the_annual_report_and_stay_before_the_period() -> None:
    labels = [
        "2017",
        "2019",
        "2019-Q1",
        "2020-Q1",
        "2020-Q2",
        "2024-Q4",
        "2025",
        "2025-Q1",
        "bogus",
    ]
    assert counted_periods(labels, Period(2025), 2018) == ["2019", "2020-Q1", "2020-Q2", "2024-Q4"]
    assert counted_periods(labels, Period(2025, 2), 2018)[-1] == "2025-Q1"


def test_late_is_kept_only_for_units_that_reported() -> None:
    ds = _tiny({"loda": {"I.1.1": {"status": P}}})
    ds.late = {"loda": datetime(2026, 2, 1), "loda-osvita": datetime(2026, 2, 1)}
    c = ds.merge()
    assert [u.unit for u in c.late] == ["loda"]
