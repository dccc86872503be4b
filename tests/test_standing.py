"""The one rule of which return counts (toolkit.ledger.standing), property-tested: over
random streams of submissions — accepted, rejected, blank, duplicate, own, wrong period,
CSV, out of order — recorded in a real ledger in any order, ``zvit status``, the
consolidated report and ``zvit mail remind`` agree, and collecting the same inputs in
another order gives the same result. Then the pure rule on its own, and the ledger of
the previous schema migrated."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.collect_support import EMAIL, PERIOD, new_workspace
from toolkit.forms.definition import definition_for
from toolkit.issues import issue
from toolkit.ledger.counting import Counting
from toolkit.ledger.rows import Source
from toolkit.ledger.schema import LATEST, MIGRATIONS
from toolkit.ledger.standing import Block, Decision, Filed, standing
from toolkit.ledger.status import period_status
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.mail.remind import due_a_reminder, reason_of
from toolkit.mailio.settings import own_addresses
from toolkit.report.build import consolidate, inputs_from_ledger
from toolkit.validate.result import AnswerRow, Answers, Identity, Validation, Value
from toolkit.workspace import Workspace

T0 = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
UNITS = ("loda-osvita", "loda-media")
KINDS = ("accepted", "warnings", "rejected", "blank", "own", "wrong_period", "csv", "again")
# re-sending and accepted returns are where the order of collection could leak through
WEIGHTED = ("accepted", "accepted", "again", "again", *KINDS)


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    with tempfile.TemporaryDirectory() as tmp:
        yield new_workspace(Path(tmp) / "ws")


# --- a stream of what units send ------------------------------------------------------

Event = tuple[str, str, int]  # (unit, kind, minutes after T0: when the unit sent it)


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[Event], list[int]]:
    """Events with distinct sending times (a tie is the order of collection: that rule
    has its own test), and an order to collect them in."""
    n = draw(st.integers(min_value=1, max_value=10))
    minutes = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    events = [(draw(st.sampled_from(UNITS)), draw(st.sampled_from(WEIGHTED)), m) for m in minutes]
    order = draw(st.permutations(range(n)))
    return events, list(order)


def _validation(unit: str, kind: str, n: int) -> Validation:
    sha = f"{n:064x}"
    if kind == "csv":
        found = issue("E_FORMAT_CSV")
        return Validation(f"{n}.xlsx", sha, 10, "csv", issues=[found], quarantined=True)
    v = Validation(
        f"{n}.xlsx",
        sha,
        100,
        "xlsx",
        identity=Identity(
            form_id=f"ZV-{unit}", unit=unit, period="2024" if kind == "wrong_period" else "2025"
        ),
    )
    status = None if kind == "blank" else "виконано"
    v.answers = Answers("Звіт", {}, [AnswerRow("I.1", 13, {"status": Value(status, "H13")})])
    codes = {
        "warnings": [issue("W_NUMBER_AS_TEXT", column="x", value="1", number=1.0)],
        "rejected": [issue("E_CHOICE_INVALID", column="x", value="y", choices="z")],
        "blank": [issue("E_FORM_BLANK", rows=1)],
        "wrong_period": [issue("E_WRONG_PERIOD", found="2024", expected="2025")],
    }
    v.issues = codes.get(kind, [])
    return v


def _record(ledger: Ledger, ws: Workspace, events: list[Event], order: list[int]) -> None:
    """Record the events in ``order``; "again" re-sends the unit's first earlier file."""
    own = sorted(own_addresses(ws))[0]
    run = ledger.start_run("collect", "2025", [])
    for i in order:
        unit, kind, minutes = events[i]
        when = T0 + timedelta(minutes=minutes)
        n = i
        if kind == "again":
            earlier = [j for j, e in enumerate(events) if e[0] == unit and e[2] < minutes]
            earlier = [j for j in earlier if events[j][1] != "again"]
            if not earlier:
                continue
            n = min(earlier, key=lambda j: events[j][2])  # an older file sent once more
            kind = events[n][1]
        sender = own if kind == "own" else EMAIL[unit]
        src = Source("mail", f"mbox:/m#{i}", f"{n}.xlsx", f"<m{i}@x>", sender, "Звіт", when)
        ledger.record(_validation(unit, kind, n), src, "", run_id=run)


def _outcome(ws: Workspace, ledger: Ledger) -> dict[str, tuple[str, str | None]]:
    """unit → (state, sha256 of the file in force) by status; checked against the report
    and the reminders on the way."""
    status = period_status(ws, PERIOD, ledger)
    data = inputs_from_ledger(ws, ws.plan(), PERIOD, ledger)
    report = consolidate(
        ws.plan(), ws.registry(), PERIOD, data, definition_for(True, ws.form_path), status.due
    )
    counted = {u.unit for u in status.units if u.accepted}
    assert {u.unit for u in report.reported} == counted | {s.unit for s in status.unexpected}
    assert {u.unit: u.submission for u in report.units if u.submission} == {
        u.unit: u.latest.id for u in status.units if u.accepted and u.latest
    }
    assert not report.issues or all(i.code == "W_REPORT_UNKNOWN_MEASURE" for i in report.issues)
    reminded = {u.unit for u in due_a_reminder(status.units)}
    for u in status.units:
        why = reason_of(u)
        assert (u.unit in reminded) == (why is not None)
        assert (why in (None, "correction")) == u.accepted
        if u.state == "unusable":
            assert u.shown is not None and u.shown.block is not None
            assert u.shown.block.kind not in ("own", "rechecked")
    return {
        u.unit: (u.state, u.latest.sha256 if u.accepted and u.latest else None)
        for u in status.units
        if u.unit in UNITS
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(streams())
def test_status_report_and_reminders_agree_in_any_order(
    ws: Workspace, stream: tuple[list[Event], list[int]]
) -> None:
    events, order = stream
    with (
        tempfile.TemporaryDirectory() as tmp,
        Ledger(Path(tmp) / "a.db") as a,
        Ledger(Path(tmp) / "b.db") as b,
    ):
        _record(a, ws, events, sorted(order))
        _record(b, ws, events, order)
        first, second = _outcome(ws, a), _outcome(ws, b)
    assert first == second
    for unit, (state, sha) in first.items():
        mine = [e for e in events if e[0] == unit]
        sent = {f"{i:064x}": e for i, e in enumerate(events)}
        good = [e for e in mine if e[1] in ("accepted", "warnings")]
        if sha is not None:  # the newest accepted one the unit sent (or re-sent) is in force
            assert sent[sha][1] in ("accepted", "warnings")
        else:
            assert not good
        if state == "missing":
            assert all(e[1] in ("own", "again") for e in mine)


# --- the pure rule -------------------------------------------------------------------


def _sub(n: int, verdict: str = "accepted", minutes: int = 0) -> Submission:
    return Submission(
        id=n,
        unit="u",
        period="2025",
        form_id="F",
        sha256=f"{n:064x}",
        received_at=T0,
        submitted_at=T0 + timedelta(minutes=minutes),
        verdict=verdict,  # type: ignore[arg-type]
        errors=int(verdict == "rejected"),
        warnings=0,
        answers=None,
        issues=(),
        source="",
    )


def _pin(kind: str, n: int | None, i: int) -> Decision:
    return Decision(kind, "u", "2025", n, "причина", "ssd@pc", T0, i)  # type: ignore[arg-type]


def test_a_later_faulty_return_never_erases_an_accepted_one() -> None:
    good, bad = Filed(_sub(1, minutes=1)), Filed(_sub(2, "rejected", minutes=2))
    s = standing("u", "2025", [bad, good], [])
    assert s.in_force == good and s.newer == bad and s.state == "accepted"
    assert s.part(2) == "correction" and s.part(1) == "in_force"


def test_ties_are_broken_by_the_order_of_collection() -> None:
    first, second = Filed(_sub(1)), Filed(_sub(2))
    assert standing("u", "2025", [second, first], []).in_force == second


def test_blocked_ones_never_count_unless_a_pin_may_override() -> None:
    blank = Filed(_sub(1), Block("blank", "E_FORM_BLANK"))
    own = Filed(_sub(2, minutes=5), Block("own"))
    s = standing("u", "2025", [blank, own], [])
    assert s.in_force is None and s.state == "unusable" and s.unusable == blank
    assert standing("u", "2025", [blank, own], [_pin("pin", 2, 1)]).in_force == own
    assert standing("u", "2025", [blank], [_pin("pin", 1, 1)]).in_force is None


def test_decisions_apply_in_the_order_made() -> None:
    a, b = Filed(_sub(1, minutes=1)), Filed(_sub(2, "rejected", minutes=2))
    pinned = standing("u", "2025", [a, b], [_pin("pin", 2, 1)])
    assert pinned.in_force == b and pinned.state == "pinned" and pinned.newer is None
    assert standing("u", "2025", [a, b], [_pin("pin", 2, 1), _pin("unpin", None, 2)]).in_force == a
    excluded = standing("u", "2025", [a, b], [_pin("exclude", 1, 1)])
    assert (
        excluded.in_force is None
        and excluded.state == "rejected"
        and excluded.part(1) == "excluded"
    )
    back = standing("u", "2025", [a, b], [_pin("exclude", 1, 1), _pin("pin", 1, 2)])
    assert back.in_force == a and back.pin is not None


@given(
    st.lists(
        st.tuples(st.sampled_from(["accepted", "rejected"]), st.integers(0, 50)),
        min_size=1,
        max_size=8,
    ),
    st.randoms(),
)
def test_the_rule_does_not_depend_on_the_order_given(
    subs: list[tuple[str, int]], rnd: object
) -> None:
    filed = [Filed(_sub(i + 1, v, m)) for i, (v, m) in enumerate(subs)]
    shuffled = list(filed)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = standing("u", "2025", filed, []), standing("u", "2025", shuffled, [])
    assert a == b
    accepted = [f for f in filed if f.sub.accepted]
    if accepted:
        newest = max(accepted, key=lambda f: (f.sub.submitted_at, f.sub.id))
        assert a.in_force == newest
    else:
        assert a.in_force is None and a.state == "rejected"


# --- a ledger of the previous schema ------------------------------------------------


def test_a_ledger_of_schema_2_is_migrated_and_read_by_the_rule(tmp_path: Path) -> None:
    """A workspace from before: submissions with ``superseded_by`` written ("latest
    wins"), a rejected one newest. Opened now, it is migrated in place and read by the
    rule: the accepted report counts, the old cache is not trusted."""
    path = tmp_path / "zvit.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for version in (1, 2):
        for statement in MIGRATIONS[version]:
            raw.execute(statement)
        raw.execute("INSERT INTO schema_version VALUES (?, '2025-12-01')", (version,))
    for n, (verdict, day) in enumerate([("accepted", 3), ("rejected", 4)], start=1):
        sha = f"{n:064x}"
        raw.execute("INSERT INTO files VALUES (?, 1, 'xlsx', '', '2026-01-05', NULL)", (sha,))
        raw.execute(
            "INSERT INTO sources (sha256, source_key, kind, location, message_id, sender, "
            "mail_date, seen_at) VALUES (?, ?, 'mail', 'mbox', ?, 'a@x', ?, '2026-01-05')",
            (sha, f"msgid:<m{n}>", f"<m{n}>", f"2026-01-0{day}T09:00:00+00:00"),
        )
        raw.execute(
            "INSERT INTO submissions (sha256, source_id, unit, period, form_id, attributed, "
            "received_at, submitted_at, order_key, received_key, verdict, errors, warnings, "
            "issues) VALUES (?, ?, 'loda-media', '2025', 'F', 1, '2026-01-05T10:00:00+00:00', "
            "?, ?, '2026-01-05T10:00:00.000000Z', ?, ?, 0, '[]')",
            (
                sha,
                n,
                f"2026-01-0{day}T09:00:00+00:00",
                f"2026-01-0{day}T09:00:00.000000Z",
                verdict,
                int(verdict == "rejected"),
            ),
        )
    raw.execute("UPDATE submissions SET superseded_by = 2 WHERE id = 1")  # latest wins, then
    raw.commit()
    raw.close()
    with Ledger(path) as ledger:
        assert ledger.schema_version == LATEST == 3
        st = Counting(ledger).standing("loda-media", "2025")
        assert st.in_force is not None and st.in_force.sub.id == 1 and st.part(2) == "correction"
        assert st.in_force.sub.submitted_at.date() == date(2026, 1, 3)  # the mail's date
        with pytest.raises(sqlite3.DatabaseError, match="never changed"):
            ledger._conn.execute("UPDATE submissions SET superseded_by = NULL")
    with Ledger(path) as again:  # opening it again changes nothing
        assert again.schema_version == 3 and again.count("decisions") == 0


def test_a_coordinator_that_executes_reports_from_its_own_address(
    ws: Workspace, tmp_path: Path
) -> None:
    """The coordinator's address belongs to a unit of the registry (the coordinator is an
    executor too): its own report from that address counts; another unit's form from the
    same address (a copy forwarded or sent back) is the coordinator's, and does not."""
    own = sorted(own_addresses(ws))[0]
    [coordinator] = [u.id for u in ws.registry().units.values() if own in u.emails]
    with Ledger(tmp_path / "a.db") as ledger:
        run = ledger.start_run("collect", "2025", [])
        for n, unit in enumerate((coordinator, "loda-osvita")):
            src = Source("mail", f"mbox:/m#{n}", f"{n}.xlsx", f"<m{n}@x>", own, "Звіт", T0)
            ledger.record(_validation(unit, "accepted", n), src, "", run_id=run)
        counting = Counting.of(ws, ledger)
    mine = counting.standing(coordinator, "2025")
    assert mine.in_force is not None and mine.in_force.sub.unit == coordinator
    other = counting.standing("loda-osvita", "2025")
    assert other.in_force is None
    assert [f.block.kind if f.block else None for f in other.filed] == ["own"]
