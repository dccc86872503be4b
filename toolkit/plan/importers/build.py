"""Draft rows + what the document says about itself → a Plan, with the review list.

Deadlines are parsed, executors resolved against the registry, targets read from the
indicators, and the overrides file applied, each correction listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.issues import Issue, Location, has_errors, issue
from toolkit.messages import Message
from toolkit.plan.continuity import continuity
from toolkit.plan.deadlines import DeadlineError, parse_deadline
from toolkit.plan.importers.meta import PlanMeta
from toolkit.plan.importers.review import (
    SectionReading,
    draft_outline,
    reading_summary,
    split_executors,
)
from toolkit.plan.importers.rows import Draft, Item, SectionDraft, item_id
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

# Errors that mean the table was not read whole.
PARTIAL = frozenset(
    {
        "E_ROW_UNREAD",
        "E_NUMBERING_GAP",
        "E_NUMBERING_REPEAT",
        "E_NUMBERING_ORDER",
        "E_SECTION_EMPTY",
        "E_PLAN_EMPTY",
        "E_PLAN_COUNT",
    }
)


@dataclass
class ImportResult:
    """The plan (None when it could not be built), every finding, repairs included, and
    the reading summary (even when no plan could be built)."""

    plan: Plan | None
    issues: list[Issue] = field(default_factory=list)
    summary: list[SectionReading] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not has_errors(self.issues)


def build_plan(
    draft: Draft, meta: PlanMeta, source: str, registry: Registry | None, overrides: Overrides
) -> ImportResult:
    issues = list(draft.repairs)
    summary = reading_summary(draft)
    issues += continuity(draft_outline(draft), source)
    header = _header(meta, overrides, registry, source, issues)
    ids = {item_id(item) for item in draft.items}
    _check_overrides(overrides, ids, issues)
    _check_counts(draft, len(ids), overrides, source, issues)
    if header is None:
        return ImportResult(None, issues, summary)
    first, last = header["first_year"], header["last_year"]
    measures: dict[str, Measure] = {}
    unread = False
    for item in draft.items:
        m = _measure(item, first, last, registry, overrides, source, issues)
        if m is None:
            unread = True
        else:
            measures.setdefault(m.id, m)
    # A plan read only in part is never saved: a measure without a deadline would be
    # reported on in wrong periods, a lost row would never reach anybody's form.
    if unread or any(i.code in PARTIAL for i in issues):
        return ImportResult(None, issues, summary)
    sections = tuple(_section(s, draft, measures) for s in draft.sections)
    return ImportResult(Plan(**header, sections=sections, source=source), issues, summary)


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
        where = Location(file=overrides.file)
        issues.append(
            issue("I_OVERRIDE_APPLIED", where, field=f"plan: {fields}", reason=o["reason"])
        )
    values = _meta_values(meta, o)
    if meta.title_in_capitals and "title" not in o:
        issues.append(issue("W_TITLE_CAPITALS", Location(file=source), title=meta.title))
    missing = [_OVERRIDE_KEYS[k] for k, v in values.items() if not v]
    if not o.get("id") and values["issuer"] and not slug(values["issuer"].split()[0]):
        missing.append("id")
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


# Where each particular goes in overrides.yaml, as the error names it.
_OVERRIDE_KEYS = {
    "title": "title",
    "issuer": "issuer",
    "kind": "decision.kind",
    "number": "decision.number",
    "date": "decision.date",
    "first_year": "span.first",
    "last_year": "span.last",
    "coordinator": "coordinator",
}


def _meta_values(meta: PlanMeta, o: dict[str, Any]) -> dict[str, Any]:
    """The plan's particulars as the source prints them, corrected by ``overrides.yaml``."""
    decision = o.get("decision", {})
    span = o.get("span", {})
    return {
        "title": o.get("title", meta.title),
        "issuer": o.get("issuer", meta.issuer),
        "kind": decision.get("kind", meta.kind),
        "number": decision.get("number", meta.number),
        "date": date.fromisoformat(decision["date"]) if "date" in decision else meta.date,
        "first_year": span.get("first", meta.first_year),
        "last_year": span.get("last", meta.last_year),
        "coordinator": o.get("coordinator") or meta.coordinator_phrase,
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
    mid = item_id(item)
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
    raw_deadline = fix.get("deadline", item.text("deadline"))
    raw_executors = fix.get("executors") or split_executors(item, registry)
    if not raw_executors:
        issues.append(issue("E_NO_EXECUTORS", where))
    try:
        deadline = parse_deadline(raw_deadline, first, last)
    except DeadlineError:
        code = "E_DEADLINE_UNPARSED" if raw_deadline.strip() else "E_NO_DEADLINE"
        issues.append(
            issue(code, where, **({"text": raw_deadline} if raw_deadline.strip() else {}))
        )
        return None
    return Measure(
        id=mid,
        number=item.printed,
        text=clean(fix.get("text", item.text("measure"))),
        deadline=deadline,
        executors=_executors(raw_executors, registry, where, issues),
        indicator=_indicator(fix, item),
        section=item.section,
        task=item.task,
        heading=item.heading,
    )


def _executors(
    raw: str, registry: Registry | None, where: Location, issues: list[Issue]
) -> Executors:
    """The executors' phrase resolved against the registry; what it cannot place is kept
    and reported."""
    if registry is not None:
        refs, unresolved = registry.resolve(raw)
    else:
        refs, unresolved = [], [raw] if raw else []
    for phrase in unresolved:
        issues.append(issue("E_EXECUTOR_UNRESOLVED", where, phrase=phrase))
    return Executors(clean(raw), tuple(refs), tuple(unresolved))


def _indicator(fix: dict[str, Any], item: Item) -> Indicator:
    indicator = parse_indicator(fix.get("indicator", item.text("indicator")))
    if "target" not in fix and "unit" not in fix:
        return indicator
    target = fix.get("target", indicator.target)
    return Indicator(
        indicator.raw,
        target,
        fix.get("unit", indicator.unit),
        note=fix["reason"] if target is None else None,
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
                expected=Message("plan.count.sections", {"count": expect["sections"]}),
                found=len(draft.sections),
            )
        )
