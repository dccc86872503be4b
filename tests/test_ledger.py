"""The ledger on a real SQLite file: dedupe, supersession, history, issued forms, the
History adapter, append-only enforcement, migrations and concurrent writers."""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from toolkit.errors import WorkspaceError
from toolkit.forms.generate import GeneratedForm
from toolkit.issues import catalog, issue
from toolkit.ledger.counting import Counting
from toolkit.ledger.history import LedgerHistory
from toolkit.ledger.schema import LATEST
from toolkit.ledger.store import Ledger, Source
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.io import load_plan
from toolkit.validate.result import (
    AnswerColumns,
    AnswerRow,
    Answers,
    Identity,
    Validation,
    Value,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "luhansk-2018-2026"
T0 = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)


def checked(
    sha: str,
    unit: str = "u1",
    period: str = "2025",
    *,
    status: str = "виконано",
    codes: tuple[str, ...] = (),
    form_id: str = "ZV-1",
) -> Validation:
    v = Validation(
        file=f"{sha}.xlsx",
        sha256=sha * 64 if len(sha) == 1 else sha,
        size=100,
        fmt="xlsx",
        identity=Identity(form_id=form_id, unit=unit, period=period),
    )
    v.answers = Answers(
        "Звіт",
        {},
        [AnswerRow("I.1", 13, {"status": Value(status, "H13"), "done": Value("зроблено", "I13")})],
    )
    v.issues = [issue(code, **{p: "x" for p in catalog()[code].params}) for code in codes]
    return v


def mail(n: int, when: datetime | None = None, sender: str = "a@x.example") -> Source:
    return Source("mail", f"mbox:/m#{n}", f"звіт {n}.xlsx", f"<m{n}@x>", sender, "Звіт", when)


def in_force(ledger: Ledger, period: str = "2025") -> dict[str, Submission]:
    return Counting(ledger).in_force(period)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "zvit.db") as opened:
        yield opened


def test_schema_is_versioned_and_reopening_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "zvit.db"
    Ledger(path).close()
    with Ledger(path) as again:
        assert again.schema_version == LATEST
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT count(*) FROM schema_version").fetchone()[0] == LATEST
    raw.close()


def test_a_newer_schema_or_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zvit.db"
    Ledger(path).close()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO schema_version VALUES (?, 'later')", (LATEST + 1,))
    raw.commit()
    raw.close()
    with pytest.raises(WorkspaceError, match="новішою версією"):
        Ledger(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(WorkspaceError, match="не відкривається"):
        Ledger(junk)


def test_same_bytes_twice_are_one_submission_with_two_sources(ledger: Ledger) -> None:
    first = ledger.record(checked("a"), mail(1, T0), "archive/aa/a.xlsx")
    again = ledger.record(checked("a"), mail(2, T0 + timedelta(days=1)), "archive/aa/a.xlsx")
    assert not first.duplicate and again.duplicate
    assert again.submission.id == first.submission.id
    assert [s.message_id for s in ledger.sources("a" * 64)] == ["<m1@x>", "<m2@x>"]
    assert ledger.count("submissions") == 1 and ledger.count("files") == 1
    # the same place seen again adds nothing
    ledger.record(checked("a"), mail(2, T0 + timedelta(days=1)), "archive/aa/a.xlsx")
    assert ledger.count("sources") == 2


def test_newer_supersedes_older_which_stays_in_history(ledger: Ledger) -> None:
    old = ledger.record(checked("a"), mail(1, T0), "").submission
    new = ledger.record(checked("b"), mail(2, T0 + timedelta(hours=1)), "")
    history = ledger.history("u1", "2025")
    assert [s.id for s in history] == [new.submission.id, old.id]
    st = Counting(ledger).standing("u1", "2025")
    assert st.part(old.id) == "older" and st.part(new.submission.id) == "in_force"
    assert in_force(ledger)["u1"].id == new.submission.id


def test_an_older_mail_collected_later_does_not_win(ledger: Ledger) -> None:
    new = ledger.record(checked("b"), mail(2, T0 + timedelta(days=2)), "").submission
    late = ledger.record(checked("a"), mail(1, T0), "")
    assert Counting(ledger).standing("u1", "2025").part(late.submission.id) == "older"
    assert in_force(ledger)["u1"].id == new.id


def test_ties_go_by_the_order_of_collection(ledger: Ledger) -> None:
    first = ledger.record(checked("a"), mail(1, T0), "", received_at=T0).submission
    second = ledger.record(checked("b"), mail(2, T0), "", received_at=T0).submission
    assert in_force(ledger)["u1"].id == second.id > first.id
    third = ledger.record(checked("c"), mail(3, T0), "", received_at=T0 - timedelta(1)).submission
    assert in_force(ledger)["u1"].id == third.id  # sent at the same moment, collected last


def test_a_later_return_with_errors_never_erases_an_accepted_one(ledger: Ledger) -> None:
    good = ledger.record(checked("a"), mail(1, T0), "").submission
    bad = ledger.record(
        checked("b", codes=("E_CHOICE_INVALID",)), mail(2, T0 + timedelta(1)), ""
    ).submission
    assert bad.verdict == "rejected" and bad.errors == 1
    st = Counting(ledger).standing("u1", "2025")
    assert st.in_force is not None and st.in_force.sub.id == good.id
    assert st.newer is not None and st.newer.sub.id == bad.id and st.part(bad.id) == "correction"
    assert in_force(ledger, "2024") == {}


def test_a_row_read_without_its_answers_is_the_same_row(ledger: Ledger) -> None:
    """The brief select names its columns: it must still give every field but answers."""
    bad = ledger.record(checked("b", codes=("E_CHOICE_INVALID",)), mail(2, T0), "").submission
    full = ledger.submission(bad.id)
    brief = ledger.submission(bad.id, with_answers=False)
    assert full is not None and full.answers is not None and brief is not None
    assert brief == dataclasses.replace(full, answers=None)
    st = Counting(ledger).standing("u1", "2025")
    assert st.attempt is not None and st.attempt.sub == brief and in_force(ledger) == {}


def test_a_submission_just_recorded_is_what_the_ledger_reads_back(ledger: Ledger) -> None:
    """``record`` gives the new row without reading it back: it must be the same."""
    file_source = Source("file", "inbox/звіт.xlsx", "звіт.xlsx", mail_date=None)
    given = [
        (checked("a"), mail(1, T0), None),
        (checked("b", codes=("E_CHOICE_INVALID",)), mail(2, T0 + timedelta(1)), None),
        (checked("c"), mail(3, T0 - timedelta(1)), None),  # older than the one in force
        (checked("d", unit="u2"), file_source, T0),
        (checked("e", codes=("E_IDENTITY_TAMPERED",)), mail(5, T0), None),
        (checked("f", codes=("E_TIMEOUT",)), mail(6, T0), None),
        (checked("f"), mail(6, T0), None),  # checked again: its source already recorded
    ]
    for v, source, received in given:
        sub = ledger.record(v, source, "", received_at=received).submission
        assert sub == ledger.submission(sub.id, with_answers=False)


def test_answers_are_kept_with_their_cells_and_old_ledgers_still_read(ledger: Ledger) -> None:
    v = checked("a")
    assert v.answers is not None
    v.answers.header["filled_on"] = Value(date(2026, 1, 3), "D6", "03.01.2026")
    sub = ledger.record(v, mail(1, T0), "").submission
    kept = ledger.submission(sub.id)
    assert kept is not None and kept.answers is not None
    assert kept.answers.header == {"filled_on": Value("2026-01-03", "D6")}
    assert kept.answers.rows == [
        AnswerRow("I.1", 13, {"status": Value("виконано", "H13"), "done": Value("зроблено", "I13")})
    ]
    # as ledgers kept answers before: each value an object
    before = {
        "sheet": "Звіт",
        "header": {"filled_on": {"value": "2026-01-03", "cell": "D6"}},
        "rows": [
            {
                "measure_id": "I.1",
                "row": 13,
                "values": {
                    "status": {"value": "виконано", "cell": "H13"},
                    "done": {"value": "зроблено", "cell": "I13"},
                },
            }
        ],
    }
    assert Answers.from_json(before) == kept.answers
    # as a check reads them: column by column, kept so (each row a list of values)
    v = checked("b")
    v.answers = Answers(
        "Звіт",
        {},
        columns=AnswerColumns(
            ("status", "done"),
            ("H", "I"),
            ("I.1", "I.2"),
            (13, 14),
            (("виконано", "зроблено"), ("виконується", None)),
            {(0, 0): "Виконано."},
        ),
    )
    sub = ledger.record(v, mail(2, T0), "").submission
    stored = ledger._conn.execute(
        "SELECT answers FROM submissions WHERE id = ?", (sub.id,)
    ).fetchone()[0]
    assert '"rows":[["I.1",13,["виконано","зроблено"]]' in stored
    kept = ledger.submission(sub.id)
    assert kept is not None and kept.answers is not None
    assert kept.answers.rows == [  # values as typed are not kept
        AnswerRow(
            "I.1", 13, {"status": Value("виконано", "H13"), "done": Value("зроблено", "I13")}
        ),
        AnswerRow("I.2", 14, {"status": Value("виконується", "H14"), "done": Value(None, "I14")}),
    ]


def test_an_untrusted_identity_does_not_push_out_a_good_report(ledger: Ledger) -> None:
    good = ledger.record(checked("a"), mail(1, T0), "").submission
    forged = ledger.record(
        checked("b", codes=("E_IDENTITY_TAMPERED",)), mail(2, T0 + timedelta(1)), ""
    )
    assert not forged.submission.attributed
    assert in_force(ledger)["u1"].id == good.id
    assert [s.id for s in ledger.history("u1", "2025")] == [forged.submission.id, good.id]


def test_a_check_that_timed_out_is_redone_and_replaced(ledger: Ledger) -> None:
    sha = "c" * 64
    failed = Validation(
        "c.xlsx", sha, 10, "", issues=[issue("E_TIMEOUT", seconds="60")], quarantined=True
    )
    first = ledger.record(failed, mail(1, T0), "").submission
    assert first.verdict == "quarantined" and ledger.known(sha) is None
    again = ledger.record(failed, mail(1, T0), "")  # the same outcome: nothing new
    assert again.duplicate and again.submission.id == first.id
    second = ledger.record(checked("c"), mail(1, T0), "")
    assert not second.duplicate
    st = Counting(ledger).standing("u1", "2025")
    assert st.in_force is not None and st.in_force.sub.id == second.submission.id
    assert ledger.known(sha) == second.submission
    assert ledger.count("files") == 1 and ledger.count("sources") == 1


def test_a_batch_is_one_transaction(ledger: Ledger) -> None:
    with ledger.batch():
        ledger.record(checked("a"), mail(1, T0), "")
        ledger.record(checked("b"), mail(2, T0 + timedelta(1)), "")
        assert in_force(ledger)["u1"].sha256 == "b" * 64  # seen inside the batch
    with pytest.raises(RuntimeError), ledger.batch():
        ledger.record(checked("c"), mail(3, T0 + timedelta(2)), "")
        raise RuntimeError("stop")
    assert ledger.count("submissions") == 2 and ledger.count("files") == 2


def test_rows_are_append_only(ledger: Ledger) -> None:
    old = ledger.record(checked("a"), mail(1, T0), "").submission
    ledger.record(checked("b"), mail(2, T0 + timedelta(1)), "")
    raw = sqlite3.connect(ledger.path)
    for sql in (
        "UPDATE submissions SET verdict = 'rejected'",
        f"UPDATE submissions SET superseded_by = NULL WHERE id = {old.id}",
        "UPDATE sources SET sent_at = NULL",
        "DELETE FROM submissions",
        "DELETE FROM sources",
        "UPDATE files SET size = 0",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="zvit ledger"):
            raw.execute(sql)
    raw.close()


def test_issued_forms(ledger: Ledger, tmp_path: Path) -> None:
    plan = load_plan(EXAMPLE / "plan.yaml")
    forms = [
        GeneratedForm("u1", tmp_path / "forms" / "a.xlsx", "ZV-A", 3, "c1"),
        GeneratedForm("u2", tmp_path / "forms" / "b.xlsx", "ZV-B", 5, "c2"),
    ]
    assert ledger.issued_map() == {}
    assert ledger.record_issued(plan, Period(2025), forms, tmp_path) == 2
    assert ledger.record_issued(plan, Period(2025), forms, tmp_path) == 0
    [form] = ledger.issued_forms("u1", "2025")
    assert (form.form_id, form.rows, form.file, form.plan_id) == (
        "ZV-A",
        3,
        "forms/a.xlsx",
        plan.id,
    )
    assert ledger.issued_map() == {("u1", "2025"): {"ZV-A"}, ("u2", "2025"): {"ZV-B"}}


def test_history_adapter(ledger: Ledger) -> None:
    ledger.record(checked("a", period="2023", status="виконується"), mail(1, T0), "")
    ledger.record(checked("b", period="2024", status="не виконано"), mail(2, T0), "")
    rejected = checked("c", period="2024", codes=("E_CHOICE_INVALID",))
    ledger.record(rejected, mail(3, T0 + timedelta(1)), "")
    ledger.record(checked("d", period="2025", status="виконано"), mail(4, T0), "")
    history = LedgerHistory(ledger)
    period, answers = history.previous_answers("u1", Period(2025))  # type: ignore[misc]
    assert period == "2024"  # the rejected later 2024 file does not count
    assert answers == {"I.1": {"status": "не виконано", "done": "зроблено"}}
    assert history.last_status("u1", Period(2025)) == {"I.1": "не виконано"}
    assert history.last_status("u1", Period(2024)) == {"I.1": "виконується"}
    assert history.previous_answers("u1", Period(2023)) is None
    assert history.previous_answers("u2", Period(2025)) is None
    assert history.previous_by_text("u1", "2026-Q1") is not None


def _writer(path: str, worker: int, count: int) -> None:
    with Ledger(Path(path)) as ledger:
        for n in range(count):
            file = n % (count // 2)  # every worker records the same files
            sha, unit = f"{file:064x}", f"u{file % 3}"
            ledger.record(checked(sha, unit), mail(100 * worker + n, T0 + timedelta(minutes=n)), "")


@pytest.mark.slow  # three writer processes
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "zvit.db")
    Ledger(Path(path)).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 20)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Ledger(Path(path)) as ledger:
        assert ledger.count("files") == 10
        assert ledger.count("submissions") == 10
        assert ledger.count("sources") == 60
        assert set(in_force(ledger)) == {"u0", "u1", "u2"}
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


def test_collect_codes_render_in_both_languages() -> None:
    import yaml

    from toolkit.issues import catalog
    from toolkit.messages import LANGS
    from toolkit.resources import data_path

    entries = yaml.safe_load(data_path("codes").joinpath("collect.yaml").read_text("utf-8"))
    for code in entries:
        info = catalog()[code]
        assert info.topic == "collect" and code[0] == info.severity[0].upper()
        found = issue(code, None, **{name: f"<{name}>" for name in info.params})
        for lang in LANGS:
            text = found.message(lang)
            assert "{" not in text and all(f"<{p}>" in text for p in info.params), (code, lang)
        assert not set(found.message("en")) & set("ієїґ"), code
