"""Synthetic submissions for the report tests: seeded random answers of many units on the
real Luhansk plan, built directly as ``Submission``/``Answers`` objects (no Excel), and
the sums the report must show, computed here independently of ``toolkit.report``."""

from __future__ import annotations

import functools
import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from toolkit.cellref import a1
from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.query import active_measures, assignments, units_of
from toolkit.plan.registry import Registry
from toolkit.report.merge import merge
from toolkit.report.model import Consolidated
from toolkit.validate.result import AnswerRow, Answers, Value

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "luhansk-2018-2026"
STATUSES = ("виконано", "виконується", "не виконано", "не розпочато", "втратив актуальність")
FUNDS = ("fund_state", "fund_oblast", "fund_local", "fund_other")
TEXTS = ("done", "reasons", "proposals")
FIRST_ROW = 12  # where a form's table starts: any row works, provenance must echo it
MADE_ON = date(2026, 1, 12)


@functools.cache
def example() -> tuple[Plan, Registry, FormDefinition]:
    return (
        load_plan(EXAMPLE / "plan.yaml"),
        load_registry(EXAMPLE / "units.yaml"),
        load_definition("annual"),
    )


def cell_of(definition: FormDefinition, key: str, row: int) -> str:
    index = [c.key for c in definition.columns].index(key)
    return a1(row - 1, index)


def submission(
    sid: int,
    unit: str,
    period: str,
    rows: dict[str, dict[str, Any]],
    *,
    verdict: str = "accepted",
    issues: tuple[dict[str, Any], ...] = (),
    received: datetime | None = None,
    filename: str = "",
) -> Submission:
    """A submission whose answers are ``rows`` (measure id → key → value), one sheet row
    each from FIRST_ROW, every value with the cell it would have on the form."""
    definition = example()[2]
    answers = Answers(sheet="Звіт")
    for i, (mid, values) in enumerate(rows.items()):
        r = FIRST_ROW + i
        answers.rows.append(
            AnswerRow(
                mid, r, {k: Value(v, cell_of(definition, k, r), v) for k, v in values.items()}
            )
        )
    when = received or datetime(int(period[:4]) + 1, 1, 3, 9, 30)
    return Submission(
        id=sid,
        unit=unit,
        period=period,
        form_id=f"F-{sid}",
        sha256=hashlib.sha256(f"{sid}:{unit}:{period}".encode()).hexdigest(),
        received_at=when,
        submitted_at=when,
        verdict=verdict,  # type: ignore[arg-type]
        errors=0,
        warnings=len(issues),
        answers=answers,
        issues=issues,
        source=f"Message-ID <{sid}@example>",
        sender="",
        filename=filename or f"{unit}.xlsx",
    )


def random_row(rng: random.Random) -> dict[str, Any]:
    row: dict[str, Any] = {
        "status": rng.choice((*STATUSES, None)) if rng.random() < 0.1 else rng.choice(STATUSES)
    }
    if rng.random() < 0.8:
        row["done"] = f"зроблено {rng.randint(1, 999)} — «текст» {rng.random():.3f}"
    if rng.random() < 0.6:
        row["value"] = round(rng.uniform(0, 100), rng.choice((0, 1, 2)))
    for key in FUNDS:
        if rng.random() < 0.5:
            row[key] = round(rng.uniform(0, 5000), 2)
    if rng.random() < 0.3:
        row["reasons"] = f"причина {rng.randint(1, 99)}"
    if rng.random() < 0.2:
        row["proposals"] = f"пропозиція {rng.randint(1, 99)}"
    return row


@dataclass
class Dataset:
    plan: Plan
    registry: Registry
    definition: FormDefinition
    period: Period
    accepted: dict[str, Submission]
    earlier: dict[str, dict[str, Submission]]
    expected: list[str]
    late: dict[str, datetime] = field(default_factory=dict)

    def merge(self) -> Consolidated:
        return merge(
            self.plan,
            self.registry,
            self.period,
            self.accepted,
            self.earlier,
            self.expected,
            self.late,
            self.definition,
        )


def random_dataset(
    seed: int,
    period: str = "2025",
    earlier: tuple[str, ...] = ("2023", "2024"),
    coverage: float = 0.8,
) -> Dataset:
    plan, registry, definition = example()
    rng = random.Random(seed)
    ids = iter(range(1, 1_000_000))
    before: dict[str, dict[str, Submission]] = {}
    for label in earlier:
        before[label] = _period_subs(plan, registry, label, rng, ids, coverage)
    accepted = _period_subs(plan, registry, period, rng, ids, coverage)
    late = {
        u: s.submitted_at + timedelta(days=10) for u, s in accepted.items() if rng.random() < 0.2
    }
    expected = list(assignments(plan, registry, Period.parse(period)))
    return Dataset(
        plan, registry, definition, Period.parse(period), accepted, before, expected, late
    )


def _period_subs(
    plan: Plan, registry: Registry, period: str, rng: random.Random, ids: Any, coverage: float
) -> dict[str, Submission]:
    out = {}
    for unit, measures in assignments(plan, registry, Period.parse(period)).items():
        if rng.random() < coverage:
            rows = {m.id: random_row(rng) for m in measures}
            out[unit] = submission(next(ids), unit, period, rows)
    return out


# ---- independent expectations -------------------------------------------------------


def unit_values(ds: Dataset, mid: str, key: str, subs: dict[str, Submission]) -> list[float]:
    out = []
    for sub in subs.values():
        assert sub.answers is not None
        for row in sub.answers.rows:
            v = row.values.get(key)
            if row.measure_id == mid and v is not None and isinstance(v.value, float):
                out.append(v.value)
    return out


def expected_value(ds: Dataset, mid: str) -> float | None:
    values = unit_values(ds, mid, "value", ds.accepted)
    if not values:
        return None
    if ds.plan.measure(mid).indicator.unit == "%":
        return math.fsum(values) / len(values)
    return math.fsum(values)


def expected_cumulative(ds: Dataset, mid: str) -> float | None:
    if ds.plan.measure(mid).indicator.unit == "%":
        for subs in [ds.accepted, *(ds.earlier[p] for p in sorted(ds.earlier, reverse=True))]:
            values = unit_values(ds, mid, "value", subs)
            if values:
                return math.fsum(values) / len(values)
        return None
    every = unit_values(ds, mid, "value", ds.accepted)
    for subs in ds.earlier.values():
        every += unit_values(ds, mid, "value", subs)
    return math.fsum(every) if every else None


def expected_fund(ds: Dataset, mid: str, key: str) -> float | None:
    values = unit_values(ds, mid, key, ds.accepted)
    return math.fsum(values) if values else None


def test_dataset_is_seeded() -> None:
    a, b = random_dataset(7), random_dataset(7)
    assert [s.sha256 for s in a.accepted.values()] == [s.sha256 for s in b.accepted.values()]
    assert a.accepted.keys() == b.accepted.keys()
    assert len(a.accepted) > 20


def expected_combined(statuses: list[str | None]) -> str:
    """The combined-status rule, restated here independently of toolkit.report.status."""
    said = [s for s in statuses if s in STATUSES]
    if not said:
        return "немає звіту"
    if set(said) == {"втратив актуальність"}:
        return "втратив актуальність"
    rest = {s for s in said if s != "втратив актуальність"}
    if rest == {"виконано"}:
        return "виконано"
    if rest <= {"не виконано", "не розпочато"}:
        return "не виконано"
    return "виконується"


def statuses_of(ds: Dataset, mid: str) -> dict[str, str | None]:
    """Unit → the status it gave on the measure this period (None: a row, no status)."""
    out: dict[str, str | None] = {}
    for unit, sub in ds.accepted.items():
        assert sub.answers is not None
        for row in sub.answers.rows:
            if row.measure_id == mid:
                out[unit] = row.get("status")
    return out


def expected_units(ds: Dataset) -> set[str]:
    """Units that had to report: those with measures due, and those whose form carried an
    overdue measure (their latest earlier status on a passed measure was still open)."""
    out = set(ds.expected)
    active = {m.id for m in active_measures(ds.plan, ds.period)}
    last: dict[tuple[str, str], Any] = {}
    for label in sorted(ds.earlier):
        for unit, sub in ds.earlier[label].items():
            assert sub.answers is not None
            for row in sub.answers.rows:
                if row.get("status") in STATUSES:
                    last[(unit, row.measure_id)] = row.get("status")
    for (unit, mid), status in last.items():
        m = ds.plan.measure(mid)
        if (
            mid not in active
            and m.deadline.end < ds.period.start
            and status not in ("виконано", "втратив актуальність")
            and unit in units_of(m, ds.registry)
        ):
            out.add(unit)
    return out
