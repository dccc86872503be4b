"""The written workbook, read back with openpyxl: every number in it equals the sum of the
inputs computed here; it is byte-stable, written atomically and never overwrites."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.test_report_data import (
    FUNDS,
    MADE_ON,
    Dataset,
    expected_combined,
    expected_cumulative,
    expected_fund,
    expected_units,
    expected_value,
    random_dataset,
    statuses_of,
)
from toolkit.report.model import Consolidated
from toolkit.report.writer import render_report, write_report

FUND_TITLES = {
    "fund_state": "Державний бюджет, тис. грн",
    "fund_oblast": "Обласний бюджет, тис. грн",
    "fund_local": "Місцевий бюджет, тис. грн",
    "fund_other": "Інші джерела, тис. грн",
}


def table(ws: Worksheet, header_row: int = 1) -> list[dict[str, Any]]:
    """The rows under a header row, as dicts keyed by the header texts."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    heads = [str(h) if h is not None else "" for h in rows[0]]
    return [dict(zip(heads, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def near(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Consolidated, Path]:
    ds = random_dataset(42, coverage=0.75)
    c = ds.merge()
    path = write_report(c, tmp_path_factory.mktemp("report") / "звіт.xlsx", made_on=MADE_ON)
    return ds, c, path


def test_measures_sheet_numbers_equal_the_input_sums(written: Any) -> None:
    ds, c, path = written
    rows = table(load_workbook(path)["Заходи"])
    assert [r["№ заходу"] for r in rows] == [r.measure.id for r in c.rows]
    for r in rows:
        mid = r["№ заходу"]
        assert near(r["Значення за період"], expected_value(ds, mid)), mid
        assert near(r["Наростаючим підсумком"], expected_cumulative(ds, mid)), mid
        funds = {k: expected_fund(ds, mid, k) for k in FUNDS}
        for key, title in FUND_TITLES.items():
            assert near(r[title], funds[key]), (mid, key)
        given = [v for v in funds.values() if v is not None]
        assert near(r["Усього коштів, тис. грн"], math.fsum(given) if given else None)
        said = statuses_of(ds, mid)
        assert r["Зведений стан"] == expected_combined(list(said.values()))
        assert (r["Звітували"] or 0) == sum(1 for s in said.values() if s is not None)
        target = ds.plan.measure(mid).indicator.target
        assert r["Цільове значення"] == target


def test_summary_sheet_counts_and_funds_equal_the_inputs(written: Any) -> None:
    ds, c, path = written
    ws = load_workbook(path)["Підсумки за розділами"]
    # Two tables one under the other (each fits a printed page): statuses, then funds.
    statuses = table(ws)[: len(c.sections) + 1]
    funds = table(ws, header_row=len(c.sections) + 4)[: len(c.sections) + 1]
    assert [r["Розділ"] for r in funds] == [r["Розділ"] for r in statuses]
    rows = [a | b for a, b in zip(statuses, funds, strict=True)]
    by_section: dict[str, list[str]] = {}
    for r in c.rows:
        by_section.setdefault(r.measure.section, []).append(r.measure.id)
    total = rows[-1]
    assert total["Розділ"] == "Усього"
    for r in rows[:-1]:
        sec = next(s for s in ds.plan.sections if s.number == r["Розділ"])
        mids = by_section[sec.id]
        combined = [expected_combined(list(statuses_of(ds, m).values())) for m in mids]
        assert r["Заходів"] == len(mids)
        for status in (
            "виконано",
            "виконується",
            "не виконано",
            "втратив актуальність",
            "немає звіту",
        ):
            assert r[status] == combined.count(status), (sec.id, status)
        relevant = len(mids) - combined.count("втратив актуальність")
        share = combined.count("виконано") / relevant if relevant else None
        assert near(r["Частка виконаних"], share)
        for key, title in FUND_TITLES.items():
            parts = [v for m in mids if (v := expected_fund(ds, m, key)) is not None]
            assert near(r[title], math.fsum(parts)), (sec.id, key)
    for key, title in FUND_TITLES.items():
        every = [v for r in c.rows if (v := expected_fund(ds, r.measure.id, key)) is not None]
        assert near(total[title], math.fsum(every))
    assert total["Заходів"] == len(c.rows)


def test_title_sheet_counts_units(written: Any) -> None:
    ds, _, path = written
    ws = load_workbook(path)["Титульний аркуш"]
    facts = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    expected = expected_units(ds)
    assert facts["Звітних одиниць мали подати звіт"] == len(expected)
    assert facts["Подали звіт (прийнято)"] == len(set(ds.accepted) & expected)
    assert facts["Не подали"] == len(expected - set(ds.accepted))
    assert facts["З них із запізненням"] == len(ds.late)
    assert facts["Дата складання"] == "12.01.2026"
    assert "1003" in facts["Рішення"]


def test_matrix_shows_each_units_own_status(written: Any) -> None:
    ds, c, path = written
    ws = load_workbook(path)["Матриця виконавців"]
    rows = table(ws, header_row=3)
    seen = 0
    for r in rows:
        unit = r["Код одиниці"]
        sub = ds.accepted.get(unit)
        given = (
            {row.measure_id: row.get("status") for row in sub.answers.rows}
            if sub and sub.answers
            else {}
        )
        for mid in (row.measure.id for row in c.rows):
            if r.get(mid) is None:
                continue
            seen += 1
            assert r[mid] == (given.get(mid) or "немає звіту"), (unit, mid)
    assert seen == sum(len(row.answers) for row in c.rows)


def test_missing_sheet_lists_contacts(written: Any) -> None:
    ds, _, path = written
    rows = table(load_workbook(path)["Неподані та запізнілі"])
    missing = [r for r in rows if r["Стан"] == "не подано"]
    assert [r["Код одиниці"] for r in missing] == [
        u for u in ds.registry.units if u in expected_units(ds) - set(ds.accepted)
    ]
    for r in missing:
        assert r["Електронна пошта"] == ", ".join(ds.registry.units[r["Код одиниці"]].emails)
    assert {r["Код одиниці"] for r in rows if r["Стан"] == "із запізненням"} == set(ds.late)


def test_provenance_sheet_locates_every_value(written: Any) -> None:
    ds, c, path = written
    rows = table(load_workbook(path)["Походження даних"], header_row=2)
    assert len(rows) == len(c.sources)
    for r in rows:
        label, unit = r["Період"], r["Код одиниці"]
        sub = (ds.accepted if label == "2025" else ds.earlier[label])[unit]
        assert r["Звіт №"] == sub.id and r["SHA-256 файлу"] == sub.sha256
        assert r["Аркуш"] == "Звіт"
        assert sub.answers is not None
        for row in sub.answers.rows:
            if row.measure_id not in r or r[row.measure_id] is None:
                continue
            for key, v in row.values.items():
                if label != "2025" and key != "value":
                    continue
                title = ds.definition.column(key).header.uk
                if v.value not in (None, ""):
                    assert f"{r[title]}{r[row.measure_id]}" == v.cell, (unit, key)


def test_same_inputs_give_the_same_bytes() -> None:
    c = random_dataset(3).merge()
    assert render_report(c, made_on=MADE_ON) == render_report(c, made_on=MADE_ON)
    assert render_report(c, made_on=MADE_ON) != render_report(c, made_on=MADE_ON.replace(day=13))


def test_an_existing_report_is_kept_unless_forced(tmp_path: Path) -> None:
    c = random_dataset(4).merge()
    target = tmp_path / "Зведений звіт 2025.xlsx"
    target.write_bytes(b"signed copy")
    second = write_report(c, target, made_on=MADE_ON)
    third = write_report(c, target, made_on=MADE_ON)
    assert (second.name, third.name) == (
        "Зведений звіт 2025 (2).xlsx",
        "Зведений звіт 2025 (3).xlsx",
    )
    assert target.read_bytes() == b"signed copy"
    assert write_report(c, target, made_on=MADE_ON, force=True) == target
    assert target.read_bytes() == second.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_english_report(tmp_path: Path) -> None:
    c = random_dataset(6).merge()
    path = write_report(c, tmp_path / "report.xlsx", lang="en", made_on=MADE_ON)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Title",
        "Summary by section",
        "Measures",
        "Matrix",
        "Missing and late",
        "Warnings",
        "Provenance",
        "Notes",
    ]
    statuses = {r["Combined status"] for r in table(wb["Measures"])}
    assert statuses <= {"done", "in progress", "not done", "no longer relevant", "no report"}
