"""``zvit plan check``: what a schema cannot see — a plan with no measures, gaps and
repeats in the numbering, sections without measures, duplicate ids, empty deadlines or
deadlines that disagree with their words or leave the plan's years, measures nobody
executes, executors missing from the registry, numeric indicators without a target."""

from __future__ import annotations

from collections import Counter

from toolkit.issues import Issue, Location, issue
from toolkit.plan.continuity import continuity, plan_outline
from toolkit.plan.deadlines import DeadlineError, parse_deadline
from toolkit.plan.indicators import looks_numeric
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry


def check_plan(
    plan: Plan, registry: Registry | None, file: str, lines: dict[str, int] | None = None
) -> list[Issue]:
    lines = lines or {}
    found: list[Issue] = continuity(plan_outline(plan, lines), file)
    counts = Counter(m.id for m in plan.measures())
    for mid, n in counts.items():
        if n > 1:
            found.append(issue("E_DUPLICATE_ID", Location(file=file, line=lines.get(mid)), id=mid))
    if registry is not None and plan.coordinator not in registry.units:
        found.append(
            issue("E_UNKNOWN_REF", Location(file=file, path="$.coordinator"), id=plan.coordinator)
        )
    for m in plan.measures():
        where = Location(file=file, line=lines.get(m.id), measure=m.id)
        found += _deadline(plan, m, where)
        found += _executors(m, registry, where)
        if m.indicator.target is None and not m.indicator.note and looks_numeric(m.indicator.raw):
            found.append(issue("W_INDICATOR_TARGET_UNPARSED", where, text=m.indicator.raw))
    return found


def _deadline(plan: Plan, m: Measure, where: Location) -> list[Issue]:
    d = m.deadline
    if not d.raw.strip():
        return [issue("E_NO_DEADLINE", where)]
    try:
        again = parse_deadline(d.raw, plan.first_year, plan.last_year)
    except DeadlineError:
        return [issue("E_DEADLINE_UNPARSED", where, text=d.raw)]
    if again != d:
        return [issue("E_DEADLINE_MISMATCH", where, text=d.raw)]
    if d.start.year < plan.first_year or d.end.year > plan.last_year:
        return [
            issue(
                "E_DEADLINE_OUTSIDE_SPAN",
                where,
                text=d.raw,
                first=plan.first_year,
                last=plan.last_year,
            )
        ]
    return []


def _executors(m: Measure, registry: Registry | None, where: Location) -> list[Issue]:
    ex = m.executors
    if not ex.refs and not ex.unresolved:
        return [issue("E_NO_EXECUTORS", where)]
    found = [issue("E_EXECUTOR_UNRESOLVED", where, phrase=p) for p in ex.unresolved]
    if registry is not None:
        for ref in ex.refs:
            if ref.id not in registry.units and ref.id not in registry.groups:
                found.append(issue("E_UNKNOWN_REF", where, id=ref.id))
    return found
