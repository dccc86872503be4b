"""Which return counts: the one rule. For one unit and one period it takes every submission
filed under them and the coordinator's decisions, and says which submission is in force
and what part every other one plays. ``zvit status``, ``zvit history``, the consolidated
report, ``zvit mail remind``, the feedback copies and a collect run's report all read it
through :mod:`toolkit.ledger.counting`; nothing else decides it.

The rule (the guide and the report's notes sheet say it in words):

* a submission that cannot count by itself — a blank form, zvit's own message, a form of
  another period or plan, a file that is no form, an earlier check of bytes checked
  again — is never in force (``Filed.block`` says why);
* of the others, the newest *accepted* one is in force: newest by when the unit sent it,
  ties by the order they were collected (the ledger's id); a newer one with errors does
  not push it out — it is a correction with errors;
* the coordinator may pin a submission (it is in force, even with errors, until unpinned
  or another is pinned) and exclude one (it never counts: sent by mistake). Decisions are
  applied in the order they were made.

Pure: plain data in, plain data out, no ledger, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from toolkit.ledger.submissions import Submission

DecisionKind = Literal["pin", "unpin", "exclude"]
BlockKind = Literal[
    "own",  # zvit's own message, or another unit's form from the coordinator's address
    "blank",  # a form with no answer entered
    "stale",  # a form of an earlier period sent when a later one was due
    "wrong_period",  # a form of another period than the one collected
    "other_plan",  # a form of another plan
    "format",  # CSV, .xls, .ods and other files that are no .xlsx workbook
    "not_a_form",  # a workbook zvit did not make
    "identity",  # a form whose identity was changed or does not hold together
    "unreadable",  # a file kept in quarantine: damaged, too large, its check failed
    "rechecked",  # an earlier check of the same bytes, checked again since
]
# Blocks a pin may override: the file is a form of this unit and period all the same.
PINNABLE: frozenset[BlockKind] = frozenset({"own", "stale"})
# Blocks that say nothing about the unit's reporting: not "received" for it.
SILENT: frozenset[BlockKind] = frozenset({"own", "rechecked"})

Part = Literal[
    "in_force",  # the submission in force
    "older",  # sent before the one in force
    "correction",  # sent after the one in force, with errors: the earlier one stands
    "after_pin",  # sent after a pinned one: the pin holds
    "rejected",  # with errors, and nothing is in force
    "excluded",  # excluded by the coordinator
    "blocked",  # cannot count by itself (see its block)
]
State = Literal["accepted", "accepted_with_warnings", "pinned", "rejected", "unusable", "missing"]


@dataclass(frozen=True)
class Decision:
    """A decision of the coordinator, as appended to the ledger."""

    kind: DecisionKind
    unit: str
    period: str
    submission: int | None  # None for unpin
    reason: str
    by: str
    at: datetime
    id: int = 0


@dataclass(frozen=True)
class Block:
    """Why a submission cannot be in force by itself. ``code``: the issue code behind
    it, if any; ``found``: the period, plan or format the file turned out to be."""

    kind: BlockKind
    code: str = ""
    found: str = ""


@dataclass(frozen=True)
class Filed:
    """A submission as the rule sees it under one unit and period. ``sub.submitted_at``
    is when the unit sent it (its latest sending); ``own_period``: its identity names
    this unit and period (else it is filed here only to say the unit sent something
    unusable for it)."""

    sub: Submission
    block: Block | None = None
    own_period: bool = True

    @property
    def candidate(self) -> bool:
        return self.own_period and self.block is None

    @property
    def pinnable(self) -> bool:
        return self.own_period and (self.block is None or self.block.kind in PINNABLE)


def newest_first(filed: Iterable[Filed]) -> list[Filed]:
    """By when the unit sent it, then by the order of collection, newest first."""
    return sorted(filed, key=lambda f: (_utc(f.sub.submitted_at), f.sub.id), reverse=True)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Standing:
    """What the rule says of one unit and period. ``filed``: newest first."""

    unit: str
    period: str
    filed: tuple[Filed, ...] = ()
    in_force: Filed | None = None
    pin: Decision | None = None  # the pin that holds; its submission is in force
    excluded: Mapping[int, Decision] = field(default_factory=dict)

    @property
    def candidates(self) -> list[Filed]:
        return [f for f in self.filed if f.candidate and f.sub.id not in self.excluded]

    @property
    def newer(self) -> Filed | None:
        """The newest submission sent after the one in force that could have replaced it
        (a correction with errors, or any one after a pin)."""
        if self.in_force is None:
            return None
        found = [f for f in self.candidates if _later(f, self.in_force)]
        return found[0] if found else None

    @property
    def attempt(self) -> Filed | None:
        """With nothing in force: the newest submission with errors."""
        if self.in_force is not None:
            return None
        return next(iter(self.candidates), None)

    @property
    def unusable(self) -> Filed | None:
        """With nothing in force or attempted: the newest file that came for the unit and
        period but cannot count (blank, another period, CSV…)."""
        if self.in_force is not None or self.attempt is not None:
            return None
        for f in self.filed:
            if f.block is not None and f.block.kind not in SILENT and f.sub.id not in self.excluded:
                return f
        return None

    @property
    def state(self) -> State:
        if self.in_force is not None:
            sub = self.in_force.sub
            if sub.accepted:
                return "accepted" if sub.verdict == "accepted" else "accepted_with_warnings"
            return "pinned"
        if self.attempt is not None:
            return "rejected"
        return "unusable" if self.unusable is not None else "missing"

    @property
    def counted(self) -> bool:
        """The unit has a report that counts."""
        return self.in_force is not None

    @property
    def received(self) -> bool:
        return self.state != "missing"

    def part(self, submission: int) -> Part:
        """What part one of the filed submissions plays."""
        f = next(x for x in self.filed if x.sub.id == submission)
        if submission in self.excluded:
            return "excluded"
        if self.in_force is not None and f.sub.id == self.in_force.sub.id:
            return "in_force"
        if not f.candidate:
            return "blocked"
        if self.in_force is None:
            return "rejected"
        if not _later(f, self.in_force):
            return "older"
        return "after_pin" if self.pin is not None else "correction"


def _later(a: Filed, b: Filed) -> bool:
    return (_utc(a.sub.submitted_at), a.sub.id) > (_utc(b.sub.submitted_at), b.sub.id)


def standing(
    unit: str, period: str, filed: Iterable[Filed], decisions: Iterable[Decision]
) -> Standing:
    """THE rule (see the module doc): the standing of ``unit`` for ``period`` from the
    submissions filed under them and the decisions about them, in the order made."""
    ordered = tuple(newest_first(filed))
    by_id = {f.sub.id: f for f in ordered}
    pin, excluded = _fold(d for d in decisions if d.unit == unit and d.period == period)
    pinned = by_id.get(pin.submission) if pin is not None and pin.submission is not None else None
    if pinned is not None and pinned.pinnable:
        return Standing(unit, period, ordered, pinned, pin, excluded)
    in_force = next(
        (f for f in ordered if f.candidate and f.sub.id not in excluded and f.sub.accepted),
        None,
    )
    return Standing(unit, period, ordered, in_force, None, excluded)


def _fold(decisions: Iterable[Decision]) -> tuple[Decision | None, dict[int, Decision]]:
    """The pin that holds and the exclusions, after every decision in turn: a pin
    replaces the one before and takes back an exclusion of its submission; unpin lifts
    the pin; excluding the pinned submission lifts the pin."""
    pin: Decision | None = None
    excluded: dict[int, Decision] = {}
    for d in decisions:
        if d.kind == "pin" and d.submission is not None:
            pin = d
            excluded.pop(d.submission, None)
        elif d.kind == "unpin":
            pin = None
        elif d.kind == "exclude" and d.submission is not None:
            excluded[d.submission] = d
            if pin is not None and pin.submission == d.submission:
                pin = None
    return pin, excluded
