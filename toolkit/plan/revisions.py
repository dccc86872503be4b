"""Revisions of a plan: the plan as first taken in, then each amendment with the period it
takes effect from and the decision that made it. Nothing is rewritten: a period is always
reported on against the revision in force for it.

A measure keeps one identity through revisions — its ``key`` — while its printed number
(``id``) may change. A measure merged from others, or split off from one, names their keys
in ``follows``; its *lineage* is its own key and every key it follows, through all the
revisions up to the one in question. Answers given on one revision are put on the
measures of another in two ways:

* **direct** (a report of the period itself, on a form of another revision): only the
  measure with the same key, one to one, and not when it was split or merged (an answer
  on the whole is not an answer on a part), so nothing is counted twice or misplaced;
* **lineage** (earlier periods: carry-over, cumulative indicators, overdue measures):
  every measure whose lineage holds the key, so a merged measure takes over the history
  of all its parts and each part of a split the history of the whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from toolkit.periods import Period
from toolkit.plan.fingerprint import plan_fingerprint
from toolkit.plan.model import Measure, Plan

IdMap = Mapping[str, tuple[str, ...]]  # measure id in one revision → ids in another


@dataclass(frozen=True)
class Revision:
    """``number`` 0 is the plan as first taken in (plan.yaml); ``file`` is relative to
    the workspace; ``taken``: the day it was added (ISO), empty for the first."""

    number: int
    effective: Period
    decision: str
    plan: Plan
    file: str
    taken: str = ""

    @cached_property
    def by_key(self) -> dict[str, Measure]:
        return {m.key: m for m in self.plan.measures()}

    @cached_property
    def by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.plan.measures()}


@dataclass(frozen=True)
class Revisions:
    """Every revision of a workspace's plan, oldest first (never empty)."""

    items: tuple[Revision, ...]
    _fps: dict[str, Revision] = field(default_factory=dict, repr=False, compare=False)
    _maps: dict[tuple[int, int, bool], IdMap] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def single(cls, plan: Plan, file: str = "plan.yaml") -> Revisions:
        """A plan never amended."""
        return cls((Revision(0, Period(plan.first_year), "", plan, file),))

    @property
    def amended(self) -> bool:
        return len(self.items) > 1

    @property
    def latest(self) -> Revision:
        return self.items[-1]

    def in_force(self, period: Period) -> Revision:
        """The revision that applies to ``period``: the latest that took effect by its
        start (the first one for any period before it)."""
        found = self.items[0]
        for rev in self.items[1:]:
            if rev.effective.start <= period.start:
                found = rev
        return found

    def changed_in(self, period: Period) -> Revision | None:
        """The revision in force for ``period`` when it differs from the one in force for
        the period before (an amendment took effect during or at the start of it)."""
        now = self.in_force(period)
        return now if now.number and self.in_force(period.previous()) is not now else None

    def by_fingerprint(self, fp: str) -> Revision | None:
        """The revision a form names by its plan fingerprint, if it is one of these."""
        if not self._fps:
            for rev in self.items:
                self._fps.setdefault(plan_fingerprint(rev.plan), rev)
        return self._fps.get(fp)

    def lineage(self, upto: Revision) -> dict[str, frozenset[str]]:
        """Key → its own key and every key it follows, through revisions up to ``upto``."""
        parents: dict[str, set[str]] = {}
        for rev in self.items[: upto.number + 1]:
            for m in rev.plan.measures():
                parents.setdefault(m.key, set()).update(m.follows)
        out: dict[str, frozenset[str]] = {}
        for key in parents:
            seen, todo = {key}, [key]
            while todo:
                for parent in parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            out[key] = frozenset(seen)
        return out

    def id_map(self, source: Revision, target: Revision, *, lineage: bool) -> IdMap:
        """Measure id in ``source`` → the ids in ``target`` its answers belong to (see the
        module doc). The identity when both are the same revision."""
        cache_key = (source.number, target.number, lineage)
        if cache_key not in self._maps:
            self._maps[cache_key] = self._id_map(source, target, lineage)
        return self._maps[cache_key]

    def _id_map(self, source: Revision, target: Revision, lineage: bool) -> IdMap:
        if source is target:
            return {mid: (mid,) for mid in source.by_id}
        if not lineage:
            # a measure split or merged is not the same measure any more, on either side
            shared = {k for t in target.plan.measures() if t.follows for k in (t.key, *t.follows)}
            return {
                m.id: (target.by_key[m.key].id,)
                if m.key in target.by_key and m.key not in shared
                else ()
                for m in source.plan.measures()
            }
        later = source if source.number > target.number else target
        anc = self.lineage(later)
        out: dict[str, tuple[str, ...]] = {}
        for m in source.plan.measures():
            mine = anc.get(m.key, frozenset({m.key}))
            out[m.id] = tuple(
                t.id for t in target.plan.measures() if m.key in anc.get(t.key, ()) or t.key in mine
            )
        return out


def rekey(
    answers: Mapping[str, Mapping[str, Any]], ids: IdMap
) -> dict[str, list[tuple[str, Mapping[str, Any]]]]:
    """Answers by measure id of one revision → by id of another: each with the ids they
    came from (a merged measure receives several; an id with no place is left out)."""
    out: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for mid, values in answers.items():
        for target in ids.get(mid, ()):
            out.setdefault(target, []).append((mid, values))
    return out


def combined(parts: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """The answers of several earlier measures as one: a value they all share is kept;
    differing texts are joined, each after the number it was given for (a merged
    measure's history reads «II.3: …; II.4: …»); any other difference leaves it empty."""
    parts = list(parts)
    if len(parts) == 1:
        return dict(parts[0][1])
    keys = dict.fromkeys(k for _, values in parts for k in values)
    out: dict[str, Any] = {}
    for key in keys:
        given = [(mid, v[key]) for mid, v in parts if v.get(key) not in (None, "")]
        values = {repr(value) for _, value in given}
        if len(values) == 1:
            out[key] = given[0][1]
        elif given and all(isinstance(value, str) for _, value in given):
            out[key] = "; ".join(f"{mid}: {value}" for mid, value in given)
    return out
