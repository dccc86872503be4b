"""``collect`` end to end on real files: forms filled in, mail in every shape, archives,
every hostile fixture in one batch, resubmissions, duplicates, concurrent runs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.collect_support import (
    EMAIL,
    PERIOD,
    broken,
    filled,
    in_force,
    issue_forms,
    message,
    new_workspace,
    saved_at,
    write_eml,
    write_maildir,
    write_mbox,
)
from tests.support import hostile
from tests.support.mailfiles import msg_tree, write_cfb, xlsx_bytes
from toolkit.collect.archive import read_original
from toolkit.collect.outcome import CollectRun, FileOutcome
from toolkit.collect.recording import Recorder
from toolkit.collect.run import collect
from toolkit.forms.generate import GeneratedForm
from toolkit.gate.containers import member_name
from toolkit.gate.sniff import inspect
from toolkit.ledger.counting import Counting
from toolkit.ledger.status import period_status
from toolkit.ledger.store import Ledger, record_issued_forms
from toolkit.periods import Period
from toolkit.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def by_name(run: CollectRun) -> dict[str, FileOutcome]:
    return {f.name: f for f in run.files}


def codes(f: FileOutcome) -> set[str]:
    return {i.code for i in f.issues}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return new_workspace(tmp_path / "ws")


@pytest.mark.parametrize("record_every", [None, 1], ids=["at-the-end", "as-they-come"])
def test_one_batch_of_everything(
    ws: Workspace, tmp_path: Path, record_every: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``as-they-come`` records each file as soon as nothing before it is still being
    checked: the outcome must be the same as recording them all at the end."""
    rounds: list[int] = []
    if record_every is not None:
        monkeypatch.setattr("toolkit.collect.run.RECORD_EVERY", record_every)
        original = Recorder.record

        def counted(self: Recorder, entries: list[Any]) -> None:
            if entries:
                rounds.append(len(entries))
            original(self, entries)

        monkeypatch.setattr(Recorder, "record", counted)
    forms = issue_forms(ws)
    record_issued_forms(ws, ws.plan(), PERIOD, forms.values())
    data = {unit: filled(ws, form) for unit, form in forms.items()}
    inbox = tmp_path / "inbox"
    (inbox / "папка").mkdir(parents=True)
    (inbox / "папка" / "ДОН ОДА.xlsx").write_bytes(data["loda-osvita"])
    attachment = "Звіт ДСЗН за 2025 рік.xlsx"
    write_eml(
        inbox / "лист.eml", message([(attachment, data["loda-szn"])], sender=EMAIL["loda-szn"])
    )
    write_mbox(
        inbox / "пошта.mbox",
        [message([("zvit.xlsx", data["loda-zdorovia"])], sender=EMAIL["loda-zdorovia"])],
    )
    write_maildir(
        inbox / "Maildir",
        [message([("media.xlsx", data["loda-media"])], sender=EMAIL["loda-media"])],
    )
    (inbox / "архів.zip").write_bytes(
        zipped({"звіти/МРГ.xlsx": data["loda-mrg"], "__MACOSX/._МРГ.xlsx": b"junk"})
    )
    # the same report again: forwarded by a colleague, and saved from Outlook as .msg
    inner = message(
        [("ДОН ОДА (копія).xlsx", data["loda-osvita"])],
        sender=EMAIL["loda-osvita"],
        subject="Звіт ДОН",
    )
    forward = message([], subject="Fwd: Звіт ДОН")
    forward.add_attachment(inner)
    write_eml(inbox / "переслано.eml", forward)
    (inbox / "лист.msg").write_bytes(
        write_cfb(msg_tree("Звіт ДОН", [("ДОН ОДА з Outlook.xlsx", data["loda-osvita"])]))
    )
    generated = {name: make() for name, make in hostile.GENERATORS.items()}
    (inbox / "hostile").mkdir()
    for name, body in generated.items():
        (inbox / "hostile" / f"{name}.xlsx").write_bytes(body)
    injection = "=HYPERLINK(evil)+1.xlsx"
    (inbox / "hostile" / injection).write_bytes(xlsx_bytes('=HYPERLINK("http://evil")'))

    run = collect(ws, [inbox], PERIOD, jobs=2)

    assert [f.order for f in run.files] == sorted(f.order for f in run.files)
    assert record_every is None or len(rounds) > 5  # recorded while the workers went on
    seen = by_name(run)
    for name in ("ДОН ОДА.xlsx", attachment, "zvit.xlsx", "media.xlsx", "МРГ.xlsx"):
        assert seen[name].verdict == "accepted", (name, seen[name].issues)
        assert seen[name].period == "2025"
    assert {seen[n].unit for n in ("ДОН ОДА.xlsx", attachment, "МРГ.xlsx")} == {
        "loda-osvita",
        "loda-szn",
        "loda-mrg",
    }
    mailed = seen[attachment].source
    assert mailed.sender == EMAIL["loda-szn"] and mailed.message_id
    assert mailed.mail_date == datetime(2026, 1, 3, 9, 30, tzinfo=UTC)
    assert seen["media.xlsx"].source.location.startswith("maildir:")
    assert seen["zvit.xlsx"].source.location.startswith("mbox:")
    assert seen["архів.zip"].status == "container"
    assert "архів.zip > звіти/МРГ.xlsx" in seen["МРГ.xlsx"].source.location

    for name, body in generated.items():
        f = seen[f"{name}.xlsx"]
        gate = inspect(body)
        if name == "zip_of_xlsx":
            assert f.status == "container"
            continue
        expected = {i.code for i in gate.issues if i.severity == "error"}
        assert expected <= codes(f), (name, codes(f))
        if gate.usable:
            assert f.verdict == "rejected" and "E_NOT_A_FORM" in codes(f), name
        else:
            assert f.verdict == "quarantined", name
            note = json.loads((ws.root / "quarantine" / f"{f.sha256}.json").read_text("utf-8"))
            assert set(note["codes"]) >= expected
            assert sha((ws.root / f.quarantine).read_bytes()) == f.sha256
        assert f.sha256 == sha(body)
    # three copies of one report, recorded in input order: лист.msg < папка < переслано.eml
    copies = [seen[n] for n in ("ДОН ОДА з Outlook.xlsx", "ДОН ОДА.xlsx", "ДОН ОДА (копія).xlsx")]
    assert [c.status for c in copies] == ["new", "duplicate", "duplicate"]
    assert len({c.submission_id for c in copies}) == 1
    assert copies[2].source.via.startswith("rfc822:") and seen["лист.msg"].status == "container"
    with Ledger.open(ws) as ledger:
        assert len(ledger.sources(sha(data["loda-osvita"]))) == 3
    inner = [f for f in run.files if "zip_of_xlsx.xlsx >" in f.source.location]
    assert len(inner) == 1 and inner[0].sha256 == sha(generated["valid_xlsx"])

    for f in run.files:  # every original kept as it came
        assert f.archive, f.name
        assert sha(read_original(ws.root, f.archive)) == f.sha256
    checked = {f.sha256 for f in run.checked()}
    with Ledger.open(ws) as ledger:
        assert ledger.count("submissions") == len(checked)
        assert set(in_force(ledger)) == set(forms)
    assert run.report_xlsx is not None and run.report_json is not None
    report = json.loads(run.report_json.read_text("utf-8"))
    assert report["counts"]["accepted"] == 5
    with zipfile.ZipFile(run.report_xlsx) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in s or b"hyperlink" in s for s in sheets)
    book = openpyxl.load_workbook(run.report_xlsx)
    names = [c.value for c in book.worksheets[0]["B"]]
    assert injection in names
    # a row for every file, in the run's order, however they were recorded
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows(min_row=2)]
    assert [(r[0], r[13]) for r in rows] == [
        (n, f.sha256) for n, f in enumerate(run.files, start=1)
    ]


def test_resubmission_duplicate_and_late_old_mail(ws: Workspace, tmp_path: Path) -> None:
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    first, second, old = broken(ws, form), filled(ws, form), filled(ws, form, note="Раніше.")
    email = EMAIL["loda-media"]

    def send(name: str, body: bytes, day: int, month: int = 1, year: int = 2026) -> Path:
        when = datetime(year, month, day, 10, 0, tzinfo=UTC)
        return write_eml(tmp_path / name, message([("звіт.xlsx", body)], sender=email, when=when))

    run1 = collect(ws, [send("1.eml", first, 3)], PERIOD)
    [f1] = run1.files
    assert f1.verdict == "rejected" and "E_CHOICE_INVALID" in codes(f1)
    [copy] = run1.feedback
    assert copy.parent == ws.root / "feedback" / "2025" and "ДМК ОДА" in copy.name
    assert openpyxl.load_workbook(copy).sheetnames[0] == "Зауваження"
    assert sha(read_original(ws.root, f1.archive)) == sha(first)  # original untouched

    [f2] = collect(ws, [send("2.eml", second, 4)], PERIOD).files
    assert f2.verdict == "accepted"
    assert [n.code for n in f2.notes] == ["I_RECEIVED", "W_SUPERSEDED"]

    [f3] = collect(ws, [send("3.eml", second, 5)], PERIOD).files
    assert f3.status == "duplicate" and f3.submission_id == f2.submission_id
    assert [n.code for n in f3.notes] == ["W_DUPLICATE"]

    [f4] = collect(ws, [send("4.eml", old, 30, 12, 2025)], PERIOD).files
    assert "W_NOT_LATEST" in {n.code for n in f4.notes}

    with Ledger.open(ws) as ledger:
        history = ledger.history("loda-media", "2025")
        assert [s.id for s in history] == [f2.submission_id, f1.submission_id, f4.submission_id]
        st = Counting(ledger).standing("loda-media", "2025")
        assert st.part(f1.submission_id or 0) == st.part(f4.submission_id or 0) == "older"
        assert in_force(ledger)["loda-media"].id == f2.submission_id
        assert len(ledger.sources(f2.sha256)) == 2
        assert ledger.count("submissions") == 3


def test_sender_and_issued_forms_reach_the_check(ws: Workspace, tmp_path: Path) -> None:
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    other = GeneratedForm("loda-media", form.path, "ZV-SOMETHING-ELSE", 3, "x")
    record_issued_forms(ws, ws.plan(), PERIOD, [other])
    eml = write_eml(
        tmp_path / "a.eml", message([("a.xlsx", filled(ws, form))], sender=EMAIL["loda-szn"])
    )
    [f] = collect(ws, [eml], PERIOD).files
    assert {"E_UNKNOWN_FORM", "W_SENDER_OTHER_UNIT"} <= codes(f)


def test_a_form_of_another_period_waits_for_its_own_collect(ws: Workspace, tmp_path: Path) -> None:
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(filled(ws, form))
    [f] = collect(ws, [inbox], PERIOD.previous()).files
    assert "E_WRONG_PERIOD" in codes(f) and f.verdict == "rejected"
    [same] = collect(ws, [inbox], PERIOD.previous()).files
    assert same.status == "duplicate"
    with Ledger.open(ws) as ledger:
        assert in_force(ledger) == {} and in_force(ledger, "2024") == {}
    [right] = collect(ws, [inbox], PERIOD).files
    assert right.status == "new" and right.verdict == "accepted"
    with Ledger.open(ws) as ledger:
        assert in_force(ledger)["loda-media"].id == right.submission_id
        st = Counting(ledger).standing("loda-media", "2024")
        assert st.state == "missing" and st.part(f.submission_id or 0) == "blocked"


def test_annual_and_quarterly_forms_of_one_unit_live_side_by_side(
    ws: Workspace, tmp_path: Path
) -> None:
    """A workspace that issues the year's form and a quarter's form to the same unit: the
    ledger's forms sort together (a mixed sort once stopped status with a traceback)."""
    quarter = Period(PERIOD.year, 2)
    for period in (quarter, PERIOD):
        made = issue_forms(ws, ("loda-media",), period=period)
        record_issued_forms(ws, ws.plan(), period, made.values())
    form = made["loda-media"]
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(filled(ws, form))
    [f] = collect(ws, [inbox], PERIOD).files
    assert f.verdict == "accepted"
    with Ledger.open(ws) as ledger:
        assert in_force(ledger)["loda-media"].id == f.submission_id
        assert Counting(ledger).standing("loda-media", str(quarter)).state == "missing"
    assert sorted([PERIOD, quarter, Period(PERIOD.year, 4), Period(PERIOD.year, 3)]) == [
        quarter,
        Period(PERIOD.year, 3),
        PERIOD,
        Period(PERIOD.year, 4),
    ]


def test_files_from_a_folder_are_dated_by_when_they_were_saved(
    ws: Workspace, tmp_path: Path
) -> None:
    """Attachments saved into a folder and copied around weeks later are not all late: a
    workbook's own time of its last save (inside the file: copying keeps it) stands for
    when it was sent; without one, the file system's time; «Надіслано» never shows the
    time of the copy."""
    forms = issue_forms(ws, ("loda-media", "loda-osvita", "loda-szn"))
    folder = tmp_path / "saved"
    folder.mkdir()
    own = {"loda-media": datetime(2026, 1, 3, 12, 0), "loda-osvita": datetime(2026, 2, 20, 12, 0)}
    for unit, when in own.items():
        (folder / f"{unit}.xlsx").write_bytes(saved_at(filled(ws, forms[unit]), when.astimezone()))
    bare = folder / "loda-szn.xlsx"  # no time of its own: the file system's is used
    bare.write_bytes(saved_at(filled(ws, forms["loda-szn"]), None))
    disk = datetime(2026, 1, 4, 9, 0)
    os.utime(bare, (disk.timestamp(), disk.timestamp()))
    collect(ws, [folder], PERIOD)  # every file was just written: copy time is now
    status = {u.unit: u for u in period_status(ws, PERIOD).units}
    assert status["loda-media"].received and not status["loda-media"].late
    assert status["loda-osvita"].late and not status["loda-szn"].late
    with Ledger.open(ws) as ledger:
        latest = in_force(ledger)
    for unit, when in [*own.items(), ("loda-szn", disk)]:
        assert latest[unit].submitted_at.astimezone().replace(tzinfo=None) == when
    assert {u: latest[u].sent_how for u in latest} == {
        "loda-media": "saved",
        "loda-osvita": "saved",
        "loda-szn": "file",
    }


def test_received_dates_a_folder_of_saved_attachments(ws: Workspace, tmp_path: Path) -> None:
    """``collect --received DAY``: the coordinator knows when these came; a workbook saved
    that very day keeps its own time (so two versions of the day keep their order)."""
    forms = issue_forms(ws, ("loda-media", "loda-osvita"))
    folder = tmp_path / "saved"
    folder.mkdir()
    day = date(2026, 1, 10)
    (folder / "a.xlsx").write_bytes(
        saved_at(filled(ws, forms["loda-media"]), datetime(2026, 1, 10, 15, 5).astimezone())
    )
    (folder / "b.xlsx").write_bytes(
        saved_at(filled(ws, forms["loda-osvita"]), datetime(2025, 12, 1, 8, 0).astimezone())
    )
    collect(ws, [folder], PERIOD, received=day)
    with Ledger.open(ws) as ledger:
        latest = in_force(ledger)
    media, osvita = latest["loda-media"], latest["loda-osvita"]
    assert (media.sent_how, media.submitted_at.astimezone().hour) == ("saved", 15)
    assert osvita.sent_how == "given" and osvita.submitted_at.astimezone().date() == day
    status = {u.unit: u for u in period_status(ws, PERIOD).units}
    assert status["loda-media"].late and status["loda-osvita"].late  # due 05.01.2026


def test_timeout_quarantines_and_a_later_run_checks_again(ws: Workspace, tmp_path: Path) -> None:
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(filled(ws, form))
    [slow] = collect(ws, [tmp_path / "in"], PERIOD, timeout=1e-6).files
    assert slow.verdict == "quarantined" and codes(slow) == {"E_TIMEOUT"}
    assert (ws.root / slow.quarantine).is_file()
    [again] = collect(ws, [tmp_path / "in"], PERIOD).files
    assert again.status == "new" and again.verdict == "accepted"
    with Ledger.open(ws) as ledger:
        assert in_force(ledger)["loda-media"].id == again.submission_id


def test_workspace_folders_are_not_collected_again(ws: Workspace) -> None:
    issue_forms(ws, ("loda-media",))
    run = collect(ws, [ws.root], PERIOD)
    assert run.files == [] and run.problems == []


@pytest.mark.slow  # two collects in processes of their own
def test_two_collects_at_once(ws: Workspace, tmp_path: Path) -> None:
    forms = issue_forms(ws)
    bodies = {u: filled(ws, f) for u, f in forms.items()}
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    units = list(bodies)
    for unit in units[:4]:
        (a / f"{unit}.xlsx").write_bytes(bodies[unit])
    for unit in units[1:]:
        (b / f"{unit}.xlsx").write_bytes(bodies[unit])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "toolkit", "-w", str(ws.root), "collect", "--period", "2025"]
    procs = [
        subprocess.Popen(
            [*cmd, str(folder)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for folder in (a, b)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (out.decode(), err.decode())
    with Ledger.open(ws) as ledger:
        assert ledger.count("submissions") == len(units)
        assert set(in_force(ledger)) == set(units)
        for unit in units[1:4]:
            assert len(ledger.sources(sha(bodies[unit]))) == 2
    raw = sqlite3.connect(ws.root / "zvit.db")
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            raw.execute("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0]
            == 2
        )
    finally:
        raw.close()
    assert len(list((ws.root / "reports").glob("*.xlsx"))) == 2


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("Луганська ОДА.xlsx", "cp866"), ("звіт Ґ.xlsx", "cp1125"), ("звіт.xlsx", "utf-8")],
)
def test_member_names_from_windows_zips(name: str, encoding: str) -> None:
    info = zipfile.ZipInfo(name.encode(encoding).decode("cp437"))
    info.flag_bits = 0
    assert member_name(info) == name


def test_flagged_member_names_are_kept() -> None:
    flagged = zipfile.ZipInfo("звіт.xlsx")
    flagged.flag_bits = 0x800
    assert member_name(flagged) == "звіт.xlsx"


@pytest.mark.slow  # workers started by spawn
def test_workers_started_as_on_windows(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spawn pickles everything a worker needs, as Windows must."""
    monkeypatch.setenv("ZVIT_START_METHOD", "spawn")
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    eml = write_eml(
        tmp_path / "a.eml", message([("a.xlsx", broken(ws, form))], sender=EMAIL["loda-media"])
    )
    run = collect(ws, [eml], PERIOD)
    [f] = run.files
    assert f.verdict == "rejected" and "E_CHOICE_INVALID" in codes(f)
    assert len(run.feedback) == 1


def test_the_next_forms_carry_over_what_was_accepted(ws: Workspace, tmp_path: Path) -> None:
    from toolkit.collect import tasks
    from toolkit.forms.make import FormRequest, plan_specs
    from toolkit.ledger.history import LedgerHistory

    form = issue_forms(ws, ("loda-osvita",))["loda-osvita"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(filled(ws, form, note="Видано наказ № 5."))
    [f] = collect(ws, [tmp_path / "in"], PERIOD).files
    assert f.verdict == "accepted"
    history = LedgerHistory.open(ws)
    try:
        request = FormRequest(Period(2026), tmp_path / "next", ("loda-osvita",))
        _, [spec] = plan_specs(ws.plan(), ws.registry(), request, history)
    finally:
        history.close()
    assert spec.carried_from is not None and spec.carried_from.label("uk") == "2025 рік"
    carried = [row.carried for row in spec.rows if row.carried]
    assert carried and all(c.get("done") == "Видано наказ № 5." for c in carried)

    tasks.setup(tasks.Setup(ws.plan(), ws.registry(), ledger=str(ws.root / "zvit.db")))
    ctx = tasks._checker().ctx
    found = ctx.previous("loda-osvita", "2026") if ctx.previous else None
    assert found is not None and found[0] == "2025"


def test_a_report_repeating_last_years_text_is_flagged(ws: Workspace, tmp_path: Path) -> None:
    """Earlier answers are looked up for the units that had reported when the run began:
    none in the first year, the 2025 report for the 2026 one."""
    unit = "loda-osvita"
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "a.xlsx").write_bytes(filled(ws, issue_forms(ws, (unit,))[unit]))
    [first] = collect(ws, [tmp_path / "2025"], PERIOD).files
    assert first.verdict == "accepted"
    later = issue_forms(ws, (unit,), Period(2026))[unit]
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "b.xlsx").write_bytes(filled(ws, later))  # the same "done" text
    [again] = collect(ws, [tmp_path / "2026"], Period(2026)).files
    assert again.verdict == "accepted_with_warnings"
    assert {i.code for i in again.issues} == {"W_TEXT_UNCHANGED"}
