"""Which rows go on which unit's form for a period, and what is pre-filled in them.

A unit's form holds the measures active in the period whose executors name the unit
(directly or through a group). With a history of accepted reports, a measure whose
deadline has passed but which the unit last reported as not done stays on the form,
marked overdue, and the unit's previous answers are carried into the new form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from toolkit.forms.definition import Column, FormDefinition
from toolkit.forms.identity import Identity, make_identity, plan_fingerprint
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.query import assignments, units_of
from toolkit.plan.registry import Registry, Unit
from toolkit.statuses import CLOSED

Answers = Mapping[str, Mapping[str, Any]]  # measure id → column key → value


class History(Protocol):
    """What earlier accepted reports say about a unit (the ledger provides it)."""

    def previous_answers(self, unit_id: str, period: Period) -> tuple[str, Answers] | None:
        """The latest accepted report before ``period``: its period and its answers."""

    def last_status(self, unit_id: str, period: Period) -> Mapping[str, str]:
        """Measure id → the status the unit last reported before ``period``."""


@dataclass(frozen=True)
class RowSpec:
    measure: Measure
    overdue: bool = False
    carried: Mapping[str, Any] = field(default_factory=dict)

    def note(self, carried_from: Period | None, lang: Lang) -> str:
        parts = []
        if self.overdue:
            ended = f"{self.measure.deadline.end:%d.%m.%Y}"
            parts.append(t("forms.note.overdue", lang, date=ended))
        if self.carried and carried_from:
            parts.append(t("forms.note.carried", lang, period=carried_from.label(lang)))
        return "; ".join(parts)


@dataclass(frozen=True)
class FormSpec:
    plan_title: str
    unit: Unit
    period: Period
    definition: FormDefinition
    rows: tuple[RowSpec, ...]
    identity: Identity
    due: date | None = None
    reply_to: str = ""
    carried_from: Period | None = None  # the period the answers carried over come from


def build_specs(
    plan: Plan,
    registry: Registry,
    definition: FormDefinition,
    period: Period,
    *,
    only: list[str] | None = None,
    history: History | None = None,
    due: date | None = None,
    reply_to: str = "",
) -> list[FormSpec]:
    """One spec per unit with at least one measure to report, in registry order."""
    due_lists = assignments(plan, registry, period)
    fp = plan_fingerprint(plan)
    specs = []
    for unit_id, unit in registry.units.items():
        if only and unit_id not in only:
            continue
        rows = _rows(
            plan, registry, definition, unit_id, period, due_lists.get(unit_id, []), history
        )
        if not rows:
            continue
        carried_from = None
        if history is not None:
            prev = history.previous_answers(unit_id, period)
            if prev is not None:
                carried_from = prev[0]
        measures = [r.measure for r in rows]
        specs.append(
            FormSpec(
                plan_title=plan.title,
                unit=unit,
                period=period,
                definition=definition,
                rows=tuple(rows),
                identity=make_identity(plan, unit_id, period, definition, measures, fp),
                due=due,
                reply_to=reply_to,
                carried_from=Period.parse(carried_from) if carried_from else None,
            )
        )
    return specs


def _rows(
    plan: Plan,
    registry: Registry,
    definition: FormDefinition,
    unit_id: str,
    period: Period,
    active: list[Measure],
    history: History | None,
) -> list[RowSpec]:
    if history is None:
        return [RowSpec(m) for m in active]
    status = history.last_status(unit_id, period)
    prev = history.previous_answers(unit_id, period)
    answers: Answers = prev[1] if prev else {}
    wanted = {m.id for m in active}
    carry = {c.key: c for c in definition.input_columns if c.carry_over}
    rows = []
    for m in plan.measures():
        overdue = (
            m.id not in wanted
            and m.id in status
            and status[m.id] not in CLOSED
            and m.deadline.ended_before(period)
            and unit_id in units_of(m, registry)
        )
        if m.id in wanted or overdue:
            carried = {
                k: v
                for k, v in answers.get(m.id, {}).items()
                if k in carry and v not in (None, "") and _fits(carry[k], v)
            }
            rows.append(RowSpec(m, overdue=overdue, carried=carried))
    return rows


def _fits(column: Column, value: Any) -> bool:
    """A value carried into a list column must be on its list (measures merged with
    different statuses carry none: the executor chooses)."""
    return not column.choices or (isinstance(value, str) and column.choice_for(value) is not None)
