"""The ledger read for the rule of :mod:`toolkit.ledger.standing`: every submission with
the facts the rule needs — when the unit sent it (the latest of its sendings), whether it
is zvit's or the coordinator's own, blank, of another period or plan, or no form at all —
filed under the unit and period it is for, with the coordinator's decisions.

A file whose identity is trusted is filed under the unit and period it names. A file that
cannot count is also filed under the unit and period it was *meant* for, so the unit shows
«надійшло, але не прийнято» instead of «не надійшов»: the unit is the one its identity or
its sender's address names; the period is the one it was collected for (``collect
--period``), else the one its identity names, else the latest period a form was issued to
the unit for before it was sent. A form of an earlier period sent after a later period the
unit had a form for had ended (last year's form filled in again) is meant for that later
period, and counts for its own only when the coordinator pins it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from toolkit.errors import ZvitError
from toolkit.ledger.rows import SELECT_BRIEF, submission_from_row
from toolkit.ledger.standing import Block, Filed, Standing, standing
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.workspace import Workspace

FORMAT_CODES = {
    "E_FORMAT_CSV": "CSV",
    "E_FORMAT_XLS": ".xls",
    "E_FORMAT_ODS": ".ods",
    "E_FORMAT_XLSB": ".xlsb",
    "E_FORMAT_HTML": "HTML",
    "E_STRICT_OOXML": "Strict Open XML",
    "E_NOT_SPREADSHEET": "",
}
IDENTITY_CODES = ("E_IDENTITY_CONFLICT", "E_IDENTITY_TAMPERED", "E_UNKNOWN_UNIT")
BLANK_CODE = "E_FORM_BLANK"
Key = tuple[str, str]  # (unit, period)


@dataclass(frozen=True)
class Known:
    """What the workspace adds to the ledger: the coordinator's own addresses and which
    unit each registered address belongs to."""

    own_addresses: frozenset[str] = frozenset()
    senders: Mapping[str, str] = field(default_factory=dict)  # address (lower) → unit
    units: frozenset[str] | None = None  # the registry's units (None: any)

    @classmethod
    def of(cls, ws: Workspace) -> Known:
        from toolkit.mailio.settings import own_addresses

        registry = ws.registry()
        senders = {a.lower(): u.id for u in registry.units.values() for a in u.emails}
        return cls(own_addresses(ws), senders, frozenset(registry.units))


@dataclass(frozen=True)
class _Sending:
    sent: datetime | None
    how: str
    zvit: bool  # a message zvit itself made
    coordinator: str  # the sender, when it is one of the coordinator's own addresses

    def own(self, unit: str, known: Known) -> bool:
        """zvit's own message, or one from the coordinator's address — unless that address
        is registered as the address of the unit the file is for: a coordinator that is
        also an executor sends its own report from its own address."""
        if self.zvit:
            return True
        return bool(self.coordinator) and known.senders.get(self.coordinator) != unit


class Counting:
    """Every submission of a ledger filed for the rule; ``standings`` applies it."""

    def __init__(self, ledger: Ledger, known: Known | None = None) -> None:
        self.ledger = ledger
        self.known = known or Known()
        self.decisions = ledger.decisions()
        self.filed: dict[Key, list[Filed]] = {}
        self.by_id: dict[int, Submission] = {}
        self._load()

    @classmethod
    def of(cls, ws: Workspace, ledger: Ledger) -> Counting:
        return cls(ledger, Known.of(ws))

    # --- the rule applied ---------------------------------------------------------------

    def standing(self, unit: str, period: str) -> Standing:
        return standing(unit, str(period), self.filed.get((unit, str(period)), ()), self.decisions)

    def standings(self, period: str) -> dict[str, Standing]:
        """Unit → its standing for the period: every unit with anything filed for it."""
        units = sorted({u for u, p in self.filed if p == str(period) and u})
        return {u: self.standing(u, period) for u in units}

    def in_force(self, period: str) -> dict[str, Submission]:
        """Unit → the submission in force for the period (verdicts, not answers)."""
        found = {}
        for unit, s in self.standings(period).items():
            if s.in_force is not None:
                found[unit] = s.in_force.sub
        return found

    def with_answers(self, subs: Mapping[str, Submission]) -> dict[str, Submission]:
        """The same submissions with their answers read (the costly part of a row)."""
        full = self.ledger.submissions(s.id for s in subs.values())
        return {
            u: replace(full[s.id], submitted_at=s.submitted_at, sent_how=s.sent_how)
            for u, s in subs.items()
        }

    def periods_of(self, unit: str) -> list[str]:
        return sorted({p for u, p in self.filed if u == unit and p})

    # --- filing -------------------------------------------------------------------------

    def _load(self) -> None:
        ledger = self.ledger
        subs = [submission_from_row(r, False) for r in ledger.query(f"{SELECT_BRIEF}")]
        sendings = self._sendings()
        latest_check: dict[str, int] = {}
        for sub in subs:
            latest_check[sub.sha256] = max(sub.id, latest_check.get(sub.sha256, 0))
        runs = {int(r[0]): r[1] for r in ledger.query("SELECT id, period FROM runs")}
        issued = _issued(ledger.query("SELECT unit, period, created_at FROM issued_forms"))
        run_of = {int(r[0]): r[1] for r in ledger.query("SELECT id, run_id FROM submissions")}
        for sub in subs:
            unit = sub.unit or self._unit_of(sub)
            seen = [(s, s.own(unit, self.known)) for s in sendings.get(sub.sha256, ())]
            sub, own = _sent(sub, seen)
            self.by_id[sub.id] = sub
            rechecked = latest_check[sub.sha256] != sub.id
            run_period = runs.get(run_of.get(sub.id) or 0)
            self._file(sub, own, rechecked, run_period, issued)

    def _sendings(self) -> dict[str, list[_Sending]]:
        zvit_ids = {r[0] for r in self.ledger.query("SELECT message_id FROM mail_messages")}
        own = self.known.own_addresses
        found: dict[str, list[_Sending]] = {}
        rows = self.ledger.query(
            "SELECT sha256, sent_at, sent_how, message_id, sender FROM sources"
        )
        for sha, sent_at, how, message_id, sender in rows:
            zvit = message_id is not None and message_id in zvit_ids
            address = sender.lower() if sender and sender.lower() in own else ""
            moment = datetime.fromisoformat(sent_at) if sent_at else None
            found.setdefault(sha, []).append(_Sending(moment, how or "", zvit, address))
        return found

    def _file(
        self,
        sub: Submission,
        own: bool,
        rechecked: bool,
        run_period: str | None,
        issued: Mapping[str, tuple[tuple[Period, datetime], ...]],
    ) -> None:
        block = _block(sub, own, rechecked)
        if sub.attributed:
            later = None if block is not None else _later_form(sub, issued.get(sub.unit, ()))
            mine = block or (Block("stale", "", str(later)) if later else None)
            self._add((sub.unit, sub.period), Filed(sub, mine, own_period=True))
            if later is not None:
                meant = Filed(sub, Block("stale", "", sub.period), own_period=False)
                self._add((sub.unit, str(later)), meant)
            return
        if own:
            return  # zvit's own message with no form of a unit in it: nothing to say
        unit = self._unit_of(sub)
        period = _meant_period(sub, block, run_period, issued.get(unit, ()))
        if unit and period:
            self._add((unit, period), Filed(sub, block or Block("identity"), own_period=False))

    def _add(self, key: Key, filed: Filed) -> None:
        self.filed.setdefault(key, []).append(filed)

    def _unit_of(self, sub: Submission) -> str:
        units = self.known.units
        if sub.unit and (units is None or sub.unit in units):
            return sub.unit
        return self.known.senders.get(sub.sender.lower(), "") if sub.sender else ""


def _sent(sub: Submission, sendings: Sequence[tuple[_Sending, bool]]) -> tuple[Submission, bool]:
    """The submission dated by its latest sending (a unit's own, if it has any), and
    whether every place it was seen is zvit's or the coordinator's own (``sendings``:
    each with whether it is)."""
    known = [(s, mine) for s, mine in sendings if s.sent is not None]
    own = bool(sendings) and all(mine for _, mine in sendings)
    theirs = [s for s, mine in known if not mine] or [s for s, _ in known]
    if not theirs:
        return sub, own
    last = max(theirs, key=lambda s: s.sent or sub.submitted_at)
    assert last.sent is not None
    return replace(sub, submitted_at=last.sent, sent_how=last.how), own


def _codes(sub: Submission) -> dict[str, dict[str, Any]]:
    return {str(d.get("code")): dict(d.get("params") or {}) for d in sub.issues}


def _block(sub: Submission, own: bool, rechecked: bool) -> Block | None:
    """Why the submission cannot count by itself; None when it can."""
    if rechecked:
        return Block("rechecked")
    if own:
        return Block("own")
    codes = _codes(sub)
    for code, shown in FORMAT_CODES.items():
        if code in codes:
            return Block("format", code, shown)
    if "E_WRONG_PLAN" in codes:
        return Block("other_plan", "E_WRONG_PLAN", str(codes["E_WRONG_PLAN"].get("found", "")))
    if "E_WRONG_PERIOD" in codes:
        return Block("wrong_period", "E_WRONG_PERIOD", sub.period)
    if "E_NOT_A_FORM" in codes:
        return Block("not_a_form", "E_NOT_A_FORM")
    for code in IDENTITY_CODES:
        if code in codes:
            return Block("identity", code)
    if sub.verdict == "quarantined":
        return Block("unreadable", next(iter(codes), ""))
    if BLANK_CODE in codes:
        return Block("blank", BLANK_CODE)
    if not sub.attributed:
        return Block("identity")
    return None


def _issued(rows: Iterable[Any]) -> dict[str, tuple[tuple[Period, datetime], ...]]:
    """Unit → (period, when its form was made), for every form issued."""
    found: dict[str, list[tuple[Period, datetime]]] = {}
    for unit, period, created in rows:
        try:
            found.setdefault(unit, []).append(
                (Period.parse(period), datetime.fromisoformat(created))
            )
        except (ZvitError, ValueError):
            continue
    return {u: tuple(sorted(v)) for u, v in found.items()}


def _later_form(sub: Submission, issued: Iterable[tuple[Period, datetime]]) -> Period | None:
    """The latest later period the unit had a form for and that had ended when this form
    of an earlier period was sent: the period it was meant for. None for most forms."""
    try:
        own = Period.parse(sub.period)
    except ZvitError:
        return None
    sent = sub.submitted_at.astimezone()
    found = [
        p
        for p, made in issued
        if p.start > own.end and made <= sent and p.end < sent.date()
        # a quarter's form, then next year's annual form: both count as "later"
    ]
    return max(found, default=None)


def _meant_period(
    sub: Submission,
    block: Block | None,
    run_period: str | None,
    issued: Iterable[tuple[Period, datetime]],
) -> str:
    """The period a file that cannot count was meant for ('' when it cannot be told)."""
    if block is not None and block.kind == "wrong_period":
        expected = _codes(sub).get("E_WRONG_PERIOD", {}).get("expected")
        if expected:
            return str(expected)
    if run_period:
        return str(run_period)
    if sub.period and (block is None or block.kind != "other_plan"):
        try:
            return str(Period.parse(sub.period))
        except ZvitError:
            pass
    made = [p for p, when in issued if when <= sub.submitted_at.astimezone()]
    return str(max(made)) if made else ""


def counting(ws: Workspace, ledger: Ledger) -> Counting:
    """The workspace's ledger, filed for the rule."""
    return Counting.of(ws, ledger)
