"""The coordinator decides: ``zvit pin``, ``zvit unpin``, ``zvit exclude`` — each a new row
of the ledger with who, when and why, never a change of an old one — and ``zvit history``,
which numbers every submission so that a decision can name it."""

from __future__ import annotations

import getpass
import re
import socket
from dataclasses import dataclass

from toolkit.errors import RequestError
from toolkit.issues import issue
from toolkit.ledger.base import now
from toolkit.ledger.counting import Counting
from toolkit.ledger.standing import Decision, DecisionKind, Standing
from toolkit.ledger.status_text import why_not
from toolkit.ledger.store import Ledger
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.workspace import Workspace

_NUMBER = re.compile(r"^\s*(?:№|#|no\.?)?\s*(\d{1,12})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Decided:
    decision: Decision
    standing: Standing  # the unit and period after it


def submission_number(text: str) -> int:
    """A submission as a person writes it: 17, №17, № 17, #17."""
    m = _NUMBER.match(text)
    if m is None:
        raise RequestError(issue("E_SUBMISSION_UNKNOWN", submission=text))
    return int(m.group(1))


def who() -> str:
    """Whoever runs the command, as user@computer (for the record, not for security)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no user name in the environment
        user = ""
    return f"{user}@{socket.gethostname()}" if user else socket.gethostname()


def pin(ws: Workspace, submission: int, reason: str, lang: Lang = "uk") -> Decided:
    """Put a submission in force, even one with errors, until unpinned."""
    return _decide(ws, "pin", submission, reason, lang)


def exclude(ws: Workspace, submission: int, reason: str, lang: Lang = "uk") -> Decided:
    """Never count a submission (sent by mistake)."""
    return _decide(ws, "exclude", submission, reason, lang)


def unpin(ws: Workspace, unit: str, period: Period, reason: str = "") -> Decided | None:
    """Lift the pin of the unit and period; None when nothing was pinned."""
    with Ledger.open(ws) as ledger:
        counting = Counting.of(ws, ledger)
        if counting.standing(unit, str(period)).pin is None:
            return None
        d = Decision("unpin", unit, str(period), None, reason.strip(), who(), now())
        made = ledger.decide(d)
        return Decided(made, Counting.of(ws, ledger).standing(unit, str(period)))


def _decide(ws: Workspace, kind: DecisionKind, submission: int, reason: str, lang: Lang) -> Decided:
    if not reason.strip():
        raise RequestError(issue("E_REASON_REQUIRED"))
    with Ledger.open(ws) as ledger:
        counting = Counting.of(ws, ledger)
        sub = counting.by_id.get(submission)
        if sub is None:
            raise RequestError(issue("E_SUBMISSION_UNKNOWN", submission=submission))
        unit, period = _place(counting, submission, kind, lang)
        d = Decision(kind, unit, period, submission, reason.strip(), who(), now())
        made = ledger.decide(d)
        return Decided(made, Counting.of(ws, ledger).standing(unit, period))


def _place(counting: Counting, submission: int, kind: DecisionKind, lang: Lang) -> tuple[str, str]:
    """The unit and period the decision is about: the ones the submission's identity
    names; for a file that names none, the ones it was filed under (exclude only)."""
    places = [
        (key, f) for key, filed in counting.filed.items() for f in filed if f.sub.id == submission
    ]
    own = [(key, f) for key, f in places if f.own_period]
    if kind == "pin":
        if not own or not own[0][1].pinnable:
            found = (own or places)[:1]
            why = why_not(found[0][1], found[0][0][1], lang) if found else "—"
            raise RequestError(issue("E_PIN_REFUSED", submission=submission, why=why))
        return own[0][0]
    if own:
        return own[0][0]
    if places:
        return places[0][0]
    sub = counting.by_id[submission]
    return sub.unit, sub.period


def history(ws: Workspace, unit: str, period: Period | None) -> list[Standing]:
    """The unit's standing for the period, or for every period it has anything for."""
    with Ledger.open(ws) as ledger:
        counting = Counting.of(ws, ledger)
        periods = [str(period)] if period is not None else counting.periods_of(unit)
        return [counting.standing(unit, p) for p in periods]
