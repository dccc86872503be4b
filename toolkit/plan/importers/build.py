"""Draft rows + what the document says about itself → a Plan, with the review list.

Deadlines are parsed, executors resolved against the registry, targets read from the
indicators, and the overrides file applied, each correction listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.issues import Issue, Location, has_errors, issue
from toolkit.plan.deadlines import DeadlineError, parse_deadline
from toolkit.plan.importers.meta import PlanMeta
from toolkit.plan.importers.rows import Draft, Item, SectionDraft
from toolkit.plan.indicators import parse_indicator
from toolkit.plan.model import (
    Decision,
    Executors,
    Indicator,
    Measure,
    Plan,
    Reporting,
    ReportingRule,
    Section,
    Task,
)
from toolkit.plan.overrides import Overrides
from toolkit.plan.registry import Registry
from toolkit.text import clean
from toolkit.translit import slug


@dataclass
class ImportResult:
    """The plan (None when it could not be built) and every finding, repairs included."""

    plan: Plan | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not has_errors(self.issues)


def build_plan(
    draft: Draft, meta: PlanMeta, source: str, registry: Registry | None, overrides: Overrides
) -> ImportResult:
    issues = list(draft.repairs)
    header = _header(meta, overrides, registry, source, issues)
    if header is None:
        return ImportResult(None, issues)
    first, last = header["first_year"], header["last_year"]
    measures: dict[str, Measure] = {}
    for item in draft.items:
        m = _measure(item, first, last, registry, overrides, source, issues)
        if m is not None:
            measures.setdefault(m.id, m)
    _check_overrides(overrides, set(measures), issues)
    _check_counts(draft, len(measures), overrides, source, issues)
    if any(i.code == "E_DEADLINE_UNPARSED" for i in issues):
        return ImportResult(None, issues)
    sections = tuple(_section(s, draft, measures) for s in draft.sections)
    return ImportResult(Plan(**header, sections=sections, source=source), issues)


def _header(
    meta: PlanMeta,
    overrides: Overrides,
    registry: Registry | None,
    source: str,
    issues: list[Issue],
) -> dict[str, Any] | None:
    o = overrides.plan
    if o:
        fields = ", ".join(k for k in o if k != "reason")
        issues.append(
            issue(
                "I_OVERRIDE_APPLIED",
                Location(file=overrides.file),
                field=f"plan: {fields}",
                reason=o["reason"],
            )
        )
    decision = o.get("decision", {})
    span = o.get("span", {})
    when = date.fromisoformat(decision["date"]) if "date" in decision else meta.date
    values: dict[str, Any] = {
        "title": o.get("title", meta.title),
        "issuer": o.get("issuer", meta.issuer),
        "kind": decision.get("kind", meta.kind),
        "number": decision.get("number", meta.number),
        "date": when,
        "first_year": span.get("first", meta.first_year),
        "last_year": span.get("last", meta.last_year),
        "coordinator": o.get("coordinator") or meta.coordinator_phrase,
    }
    missing = [k for k, v in values.items() if not v]
    if missing:
        issues.append(
            issue("E_PLAN_META_MISSING", Location(file=source), fields=", ".join(missing))
        )
        return None
    coordinator = o.get("coordinator") or (
        registry.lookup(meta.coordinator_phrase) if registry else None
    )
    return {
        "id": o.get("id")
        or slug(f"{values['issuer'].split()[0]} {values['first_year']} {values['last_year']}"),
        "title": values["title"],
        "issuer": values["issuer"],
        "decision": Decision(values["kind"], values["number"], values["date"]),
        "first_year": values["first_year"],
        "last_year": values["last_year"],
        "coordinator": coordinator or meta.coordinator_phrase,
        "reporting": Reporting(
            meta.executors_rule,
            meta.coordinator_rule or ReportingRule(""),
            o.get("cadence", "annual"),
        ),
    }


def _measure(
    item: Item,
    first: int,
    last: int,
    registry: Registry | None,
    overrides: Overrides,
    source: str,
    issues: list[Issue],
) -> Measure | None:
    mid = f"{item.task or item.section}.{item.number}"
    where = Location(file=source, line=item.line, measure=mid)
    fix = overrides.measures.get(mid, {})
    for key in fix:
        if key != "reason":
            issues.append(
                issue(
                    "I_OVERRIDE_APPLIED",
                    Location(file=overrides.file, measure=mid),
                    field=key,
                    reason=fix["reason"],
                )
            )
    text = fix.get("text", item.text("measure"))
    raw_deadline = fix.get("deadline", item.text("deadline"))
    try:
        deadline = parse_deadline(raw_deadline, first, last)
    except DeadlineError:
        issues.append(issue("E_DEADLINE_UNPARSED", where, text=raw_deadline))
        return None
    raw_exec = fix.get("executors", item.text("executors"))
    if registry is not None:
        refs, unresolved = registry.resolve(raw_exec)
    else:
        refs, unresolved = [], [raw_exec] if raw_exec else []
    for phrase in unresolved:
        issues.append(issue("E_EXECUTOR_UNRESOLVED", where, phrase=phrase))
    indicator = parse_indicator(fix.get("indicator", item.text("indicator")))
    if "target" in fix or "unit" in fix:
        indicator = Indicator(
            indicator.raw,
            fix.get("target", indicator.target),
            fix.get("unit", indicator.unit),
            note=fix["reason"] if fix.get("target", indicator.target) is None else None,
        )
    return Measure(
        id=mid,
        number=item.printed,
        text=clean(text),
        deadline=deadline,
        executors=Executors(clean(raw_exec), tuple(refs), tuple(unresolved)),
        indicator=indicator,
        section=item.section,
        task=item.task,
        heading=item.heading,
    )


def _section(s: SectionDraft, draft: Draft, measures: dict[str, Measure]) -> Section:
    tasks = tuple(
        Task(
            tid,
            number,
            clean(" ".join(draft.task_titles[tid])),
            tuple(m for m in measures.values() if m.task == tid),
        )
        for tid, number in s.tasks
    )
    direct = tuple(m for m in measures.values() if m.section == s.id and m.task is None)
    return Section(s.id, s.number, s.title, tasks, direct)


def _check_overrides(overrides: Overrides, ids: set[str], issues: list[Issue]) -> None:
    for mid in overrides.measures:
        if mid not in ids:
            issues.append(issue("W_OVERRIDE_UNUSED", Location(file=overrides.file), target=mid))


def _check_counts(
    draft: Draft, found: int, overrides: Overrides, source: str, issues: list[Issue]
) -> None:
    expect = overrides.expect
    if "measures" in expect and expect["measures"] != found:
        issues.append(
            issue("E_PLAN_COUNT", Location(file=source), expected=expect["measures"], found=found)
        )
    if "sections" in expect and expect["sections"] != len(draft.sections):
        issues.append(
            issue(
                "E_PLAN_COUNT",
                Location(file=source),
                expected=f"{expect['sections']} розділів",
                found=len(draft.sections),
            )
        )
