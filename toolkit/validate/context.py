"""What a check needs to know besides the file: the plan and registry, what is being
collected (period, unit), who sent it, which forms were issued, earlier answers.

What the checks look up in a plan and the registry is worked out once, in a
``PlanIndex``; every file of a run is checked with its own ``Context`` (its sender, the
revision its form was made from), all of them holding the run's indexes: one for the
plan, one for each revision of an amended plan a form was made from (``for_sender``,
``for_form``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
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
PreviousLookup = Callable[[str, str], Previous | None]  # (unit, period) → earlier answers


class PlanIndex:
    """A plan and the registry as the checks look them up, each part built on first use;
    and the index of each other revision of the plan, built once too."""

    def __init__(self, plan: Plan, registry: Registry) -> None:
        self.plan, self.registry = plan, registry
        self._revisions: dict[int, PlanIndex] = {}

    def of_revision(self, rev: Revision) -> PlanIndex:
        if rev.number not in self._revisions:
            self._revisions[rev.number] = PlanIndex(rev.plan, self.registry)
        return self._revisions[rev.number]

    @cached_property
    def fingerprint(self) -> str:
        return plan_fingerprint(self.plan)

    @cached_property
    def measures(self) -> dict[str, Measure]:
        """The plan's measures by id."""
        return {m.id: m for m in self.plan.measures()}

    @cached_property
    def sole(self) -> dict[str, frozenset[str]]:
        """Unit → the measures it executes alone."""
        sole: dict[str, set[str]] = {}
        for m in self.plan.measures():
            alone = self.registry.sole_unit(m.executors.ids)
            if alone is not None:
                sole.setdefault(alone, set()).add(m.id)
        return {unit: frozenset(ids) for unit, ids in sole.items()}

    @cached_property
    def units_by_address(self) -> dict[str, str]:
        """A unit's e-mail address (lower case) → the unit (the first to list it)."""
        found: dict[str, str] = {}
        for unit in self.registry.units.values():
            for address in unit.emails:
                found.setdefault(address.lower(), unit.id)
        return found


@dataclass
class Context:
    plan: Plan
    registry: Registry
    period: Period | None = None
    unit: str | None = None
    sender: str | None = None
    issued: IssuedLookup | None = None
    previous: PreviousLookup | None = None
    custom_form: FormDefinition | None = None
    revisions: Revisions | None = None  # of an amended plan: each form is checked by its own
    revision: Revision | None = None  # the one ``plan`` is, when chosen from ``revisions``
    index: PlanIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = PlanIndex(self.plan, self.registry)

    def for_sender(self, sender: str | None) -> Context:
        """This context for a file from ``sender``, holding this one's index: an index
        is built once a run, not once a file."""
        return self._copy(self.index, sender=sender)

    def _copy(self, index: PlanIndex, **changes: Any) -> Context:
        other = replace(self, **changes)
        other.index = index
        return other

    @property
    def plan_fp(self) -> str:
        return self.index.fingerprint

    def definition(self, form: str) -> FormDefinition:
        """The definition a form was made with: the workspace's own, or a shipped one."""
        if self.custom_form is not None and self.custom_form.id == form:
            return self.custom_form
        return load_definition(form if form in ("annual", "quarterly") else "annual")

    def measures(self) -> dict[str, Measure]:
        """The plan's measures by id."""
        return self.index.measures

    def sole_measures(self, unit: str) -> frozenset[str]:
        """The measures this unit executes alone: its value is the measure's whole value."""
        return self.index.sole.get(unit, frozenset())

    def unit_of_sender(self) -> str | None:
        if not self.sender:
            return None
        return self.index.units_by_address.get(self.sender.lower())

    def for_form(self, fp: str, period: str, file: str) -> tuple[Context, list[Issue]]:
        """The context to check a form with: of the revision of the plan the form names by
        its fingerprint, else of the revision in force for its period. A form of another
        revision than the one in force for its period is said to be so."""
        if self.revisions is None or not self.revisions.amended:
            return self, []
        in_force = _in_force(self.revisions, period)
        rev = self.revisions.by_fingerprint(fp) or in_force or self.revisions.latest
        ctx = self._copy(self.index.of_revision(rev), plan=rev.plan, revision=rev)
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
