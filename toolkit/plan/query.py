"""Which measures are reported on in a period, and by whom.

The one rule used everywhere (plan show, forms, status, report): a measure is on a unit's
form for a period when its deadline is active in the period and the unit is one of its
executors, directly or as a member of a named group."""

from __future__ import annotations

from typing import Any

from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry


def active_measures(plan: Plan, period: Period | None) -> list[Measure]:
    return [m for m in plan.measures() if period is None or m.deadline.active_in(period)]


def units_of(measure: Measure, registry: Registry) -> list[str]:
    """Every reporting unit behind a measure's executors, in registry order."""
    return registry.expand(measure.executors.ids)


def assignments(plan: Plan, registry: Registry, period: Period) -> dict[str, list[Measure]]:
    """Unit id → its active measures, for every unit with at least one."""
    out: dict[str, list[Measure]] = {}
    for m in active_measures(plan, period):
        for unit_id in units_of(m, registry):
            out.setdefault(unit_id, []).append(m)
    return {u: out[u] for u in registry.units if u in out}


def measure_json(m: Measure, registry: Registry | None) -> dict[str, Any]:
    d = m.to_dict()
    d["section"] = m.section
    d["task"] = m.task
    d["executors"] = m.executors.ids
    d["executors_detail"] = m.executors.to_dict()
    if registry is not None:
        d["units"] = units_of(m, registry)
    return d
