"""What a check needs to know besides the file: the plan and registry, what is being
collected (period, unit), who sent it, which forms were issued, earlier answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.forms.identity import plan_fingerprint
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry

IssuedLookup = Callable[[str, str], set[str] | None]  # (unit, period) → issued form ids


@dataclass
class Context:
    plan: Plan
    registry: Registry
    period: Period | None = None
    unit: str | None = None
    sender: str | None = None
    issued: IssuedLookup | None = None
    previous: Callable[[str, str], tuple[str, Mapping[str, Mapping[str, Any]]] | None] | None = None
    custom_form: FormDefinition | None = None
    _fp: str = field(default="", repr=False)
    _definitions: dict[str, FormDefinition] = field(default_factory=dict, repr=False)
    _measures: dict[str, Measure] = field(default_factory=dict, repr=False)
    _sole: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _senders: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def plan_fp(self) -> str:
        if not self._fp:
            self._fp = plan_fingerprint(self.plan)
        return self._fp

    def definition(self, form: str) -> FormDefinition:
        """The definition a form was made with: the workspace's own, or a shipped one."""
        if self.custom_form is not None and self.custom_form.id == form:
            return self.custom_form
        if form not in self._definitions:
            self._definitions[form] = load_definition(
                form if form in ("annual", "quarterly") else "annual"
            )
        return self._definitions[form]

    def measures(self) -> dict[str, Measure]:
        """The plan's measures by id."""
        if not self._measures:
            # filled in place: copies of a context (one per file) share this cache
            self._measures.update({m.id: m for m in self.plan.measures()})
        return self._measures

    def sole_measures(self, unit: str) -> frozenset[str]:
        """The measures this unit executes alone: its value is the measure's whole value."""
        if not self._sole:
            sole: dict[str, set[str]] = {}
            for m in self.plan.measures():
                alone = self.registry.sole_unit(m.executors.ids)
                if alone is not None:
                    sole.setdefault(alone, set()).add(m.id)
            # filled in place: copies of a context (one per file) share this cache
            self._sole.update({u: frozenset(ids) for u, ids in sole.items()})
            self._sole[""] = frozenset()  # computed, even when nobody executes alone
        return self._sole.get(unit, frozenset())

    def unit_of_sender(self) -> str | None:
        if not self.sender:
            return None
        if not self._senders:
            for unit in self.registry.units.values():
                for address in unit.emails:
                    self._senders.setdefault(address.lower(), unit.id)
            self._senders[""] = ""  # built (copies of the context share this dict)
        return self._senders.get(self.sender.lower()) or None
