"""A synthetic plan and registry for the benchmarks: N units, each reporting on ~40
measures (one group names them all), built from the same model as the real plans."""

from __future__ import annotations

from datetime import date

from toolkit.plan.deadlines import parse_deadline
from toolkit.plan.indicators import parse_indicator
from toolkit.plan.model import (
    Decision,
    ExecutorRef,
    Executors,
    Measure,
    Plan,
    Reporting,
    ReportingRule,
    Section,
)
from toolkit.plan.registry import Registry

DEADLINES = ("щокварталу", "2018-2026 роки", "2024-2025 роки", "щороку (до 10 січня)")
INDICATORS = ("створення 115 прийомних сімей", "забезпечення 100 % дітей", "проведення заходів")


def synthetic_plan(measures: int = 40) -> Plan:
    executors = Executors("усі звітні одиниці", (ExecutorRef("all", "усі звітні одиниці"),))
    items = tuple(
        Measure(
            id=f"I.{n}",
            number=f"{n}.",
            text=f"Захід номер {n}: забезпечення розвитку сімейних форм виховання дітей "
            "та надання соціальних послуг сім'ям з дітьми в усіх громадах області",
            deadline=parse_deadline(DEADLINES[n % len(DEADLINES)], 2018, 2026),
            executors=executors,
            indicator=parse_indicator(INDICATORS[n % len(INDICATORS)]),
            section="I",
        )
        for n in range(1, measures + 1)
    )
    return Plan(
        id="bench",
        title="Синтетичний план заходів для вимірювань",
        issuer="Синтетична адміністрація",
        decision=Decision("розпорядження", "1", date(2018, 1, 1)),
        first_year=2018,
        last_year=2026,
        coordinator="u0001",
        reporting=Reporting(None, ReportingRule("")),
        sections=(Section("I", "I.", "Розділ", measures=items),),
    )


def synthetic_registry(units: int = 1000) -> Registry:
    rows = [
        {
            "id": f"u{n:04d}",
            "name": f"Звітна одиниця № {n} (синтетична)",
            "short": f"Одиниця {n}",
            "kind": "other",
            "emails": [f"u{n:04d}@bench.example"],
        }
        for n in range(1, units + 1)
    ]
    group = {"id": "all", "name": "усі звітні одиниці", "members": [r["id"] for r in rows]}
    return Registry.from_dict({"units": rows, "groups": [group]})
