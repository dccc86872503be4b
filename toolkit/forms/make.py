"""``zvit templates``: the forms of a period for every unit (or some), into a folder."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from toolkit.forms.definition import FormDefinition, definition_for
from toolkit.forms.generate import GeneratedForm, Progress, write_forms
from toolkit.forms.spec import FormSpec, History, build_specs
from toolkit.issues import Issue, issue
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import DueDay, Plan
from toolkit.plan.registry import Registry


@dataclass(frozen=True)
class FormRequest:
    period: Period
    out_dir: Path
    units: tuple[str, ...] = ()
    lang: Lang = "uk"
    jobs: int | None = None
    reply_to: str = ""
    form_file: Path | None = None


def outside_plan(plan: Plan, period: Period) -> Issue | None:
    """A warning when ``period`` lies outside the plan's years (most often a typo)."""
    if plan.first_year <= period.year <= plan.last_year:
        return None
    return issue(
        "W_PERIOD_OUTSIDE_PLAN",
        period=period.said(),
        first=plan.first_year,
        last=plan.last_year,
    )


def due_date(plan: Plan, period: Period, fallback: DueDay | None = None) -> date | None:
    """When executors must return the form: the plan's rule (or the workspace setting)
    applied after the period — "до 05 січня" of the next year for an annual report; the
    same day of the month after the quarter for a quarterly one."""
    rule = plan.reporting.executors
    due = rule.due if rule and rule.due else fallback
    if due is None:
        return None
    if period.is_annual:
        year, month = period.year + 1, due.month
    else:
        nxt = period.end + timedelta(days=1)
        year, month = nxt.year, nxt.month
    return date(year, month, min(due.day, monthrange(year, month)[1]))


def plan_specs(
    plan: Plan,
    registry: Registry,
    request: FormRequest,
    history: History | None = None,
    fallback_due: DueDay | None = None,
) -> tuple[FormDefinition, list[FormSpec]]:
    definition = definition_for(request.period.is_annual, request.form_file)
    unknown = [u for u in request.units if u not in registry.units]
    if unknown:
        from toolkit.errors import UsageError

        raise UsageError("common.units_unknown", units=", ".join(unknown))
    specs = build_specs(
        plan,
        registry,
        definition,
        request.period,
        only=list(request.units) or None,
        history=history,
        due=due_date(plan, request.period, fallback_due),
        reply_to=request.reply_to,
    )
    return definition, specs


def make_forms(
    plan: Plan,
    registry: Registry,
    request: FormRequest,
    history: History | None = None,
    fallback_due: DueDay | None = None,
    progress: Progress | None = None,
) -> list[GeneratedForm]:
    _, specs = plan_specs(plan, registry, request, history, fallback_due)
    return write_forms(
        specs, request.out_dir, lang=request.lang, jobs=request.jobs, progress=progress
    )
