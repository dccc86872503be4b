"""What a check needs to know besides the file: the plan and registry, what is being
collected (period, unit), who sent it, which forms were issued, earlier answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from toolkit.errors import ZvitError
from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.forms.identity import plan_fingerprint
from toolkit.issues import Issue, Location, issue
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revision, Revisions, combined, rekey

IssuedLookup = Callable[[str, str], set[str] | None]  # (unit, period) → issued form ids
Previous = tuple[str, Mapping[str, Mapping[str, Any]]]  # a period and its answers by measure


@dataclass
class Context:
    plan: Plan
    registry: Registry
    period: Period | None = None
    unit: str | None = None
    sender: str | None = None
    issued: IssuedLookup | None = None
    previous: Callable[[str, str], Previous | None] | None = None
    custom_form: FormDefinition | None = None
    revisions: Revisions | None = None  # of an amended plan: each form is checked by its own
    revision: Revision | None = None  # the one ``plan`` is, when chosen from ``revisions``
    _fp: str = field(default="", repr=False)
    _definitions: dict[str, FormDefinition] = field(default_factory=dict, repr=False)
    _measures: dict[str, Measure] = field(default_factory=dict, repr=False)
    _sole: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _senders: dict[str, str] = field(default_factory=dict, repr=False)
    _by_revision: dict[int, Context] = field(default_factory=dict, repr=False)

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

    def for_form(self, fp: str, period: str, file: str) -> tuple[Context, list[Issue]]:
        """The context to check a form with: of the revision of the plan the form names by
        its fingerprint, else of the revision in force for its period. A form of another
        revision than the one in force for its period is said to be so."""
        if self.revisions is None or not self.revisions.amended:
            return self, []
        in_force = _in_force(self.revisions, period)
        rev = self.revisions.by_fingerprint(fp) or in_force or self.revisions.latest
        if rev.number not in self._by_revision:
            self._by_revision[rev.number] = replace(
                self, plan=rev.plan, revision=rev, _fp="", _measures={}, _sole={}
            )
        ctx = self._by_revision[rev.number]
        if ctx.sender != self.sender:  # a copy for one file: the caches stay shared
            ctx = replace(ctx, sender=self.sender)
        if in_force is None or in_force is rev:
            return ctx, []
        where = Location(file=file)
        made, now = str(rev.effective), str(in_force.effective)
        return ctx, [issue("W_PLAN_OTHER_REVISION", where, made=made, in_force=now)]

    def earlier(self, previous: Previous | None) -> Previous | None:
        """A unit's earlier answers (``previous``) on this context's revision: put on the
        measures that continue the ones they were given for."""
        if previous is None or self.revisions is None or self.revision is None:
            return previous
        source = _in_force(self.revisions, previous[0])
        if source is None or source is self.revision:
            return previous
        ids = self.revisions.id_map(source, self.revision, lineage=True)
        moved = rekey(previous[1], ids)
        return previous[0], {mid: combined(parts) for mid, parts in moved.items()}


def _in_force(revisions: Revisions, period: str) -> Revision | None:
    try:
        return revisions.in_force(Period.parse(period))
    except ZvitError:
        return None  # a damaged identity: the default plan, and its own issues
