"""Ctrl+C at any moment: a real ``zvit`` process, its whole process group sent SIGINT (as a
terminal does) while Python loads zvit, while a collect run's workers check files, while
the report is made and written, and while mail goes out. Each time: exit code 130, the one
line saying so, no traceback, no temporary or half-written file, the ledger intact — and
the same command run again finishes the work, nothing recorded or sent twice.

The moments are found from outside where they can be (the worker processes, the libraries
a process has loaded, the messages the SMTP server has taken); inside the report's writing
a small launcher slows one step down so that the signal surely lands there."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.collect_support import UNITS, filled, issue_forms, new_workspace, saved_at
from tests.mail_support import SMTP_PASSWORD, mail_workspace, smtp_server
from tests.support.ledgerpeek import submissions_recorded
from tests.support.mailservers import MailCerts
from toolkit.messages import t

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals to a group, /proc"),
]

ZVIT = Path(sys.executable).with_name("zvit")
VERSIONS = 80  # copies of each unit's return: a collect run long enough to interrupt
LINE = t("cli.interrupted", "uk")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with forms issued and a folder of returns (each unit's, saved at
    different times: different files), made once and copied for each test."""
    root = tmp_path_factory.mktemp("prepared")
    ws = new_workspace(root / "ws")
    inbox = root / "inbox"
    inbox.mkdir()
    start = datetime(2026, 1, 5, 10, 0)
    for unit, form in issue_forms(ws).items():
        data = filled(ws, form)
        for k in range(VERSIONS):
            copy = saved_at(data, start + timedelta(minutes=k))
            (inbox / f"{unit}-{k}.xlsx").write_bytes(copy)
    return root


def copy_of(prepared: Path, tmp_path: Path) -> Path:
    shutil.copytree(prepared, tmp_path / "w")
    return tmp_path / "w"


def start(args: list[str], *, env: dict[str, str] | None = None, python: str = "") -> Any:
    command = [sys.executable, "-c", python, *args] if python else [str(ZVIT), *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a group of its own: SIGINT to it is a terminal's Ctrl+C
        env={**os.environ, **(env or {})},
    )


def wait_for(what: Callable[[], bool], proc: Any, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not what():
        assert proc.poll() is None, "zvit ended before the moment came"
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.002)


def interrupt(proc: Any, limit: float = 30) -> tuple[str, str]:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"zvit did not end within {limit:g} s of Ctrl+C")
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def assert_interrupted(proc: Any, err: str, root: Path) -> None:
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Error" not in err, err
    said = [line for line in err.splitlines() if line.strip() and line != "Перевірка"]
    assert said == [LINE], err  # one line (and collect's progress label)
    assert_clean(root)


def assert_clean(root: Path) -> None:
    left = [p for p in root.rglob("*") if p.name.endswith((".partial", ".tmp"))]
    assert not left, left
    for db in root.rglob("zvit.db"):
        raw = sqlite3.connect(db)
        try:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            raw.close()


def loaded(proc: Any, library: str) -> Callable[[], bool]:
    """Has the process loaded this compiled library (a step of its start-up)?"""

    def check() -> bool:
        try:
            return library in Path(f"/proc/{proc.pid}/maps").read_text()
        except OSError:
            return False

    return check


def workers(proc: Any) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return bool(Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split())
        except OSError:
            return False

    return check


def group_alive(group: int, within: float = 3.0) -> bool:
    """Is any process of the group still there after ``within`` seconds? (A worker forked
    at the very moment of Ctrl+C, before the pool knew it, ends by itself within a second
    when it finds its parent gone.)"""
    deadline = time.monotonic() + within
    while True:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.05)


def ledger(root: Path, sql: str) -> list[tuple[Any, ...]]:
    raw = sqlite3.connect(root / "ws" / "zvit.db")
    try:
        return list(raw.execute(sql).fetchall())
    finally:
        raw.close()


# _yaml: zvit loads the words it ends with (Ctrl+C held back a moment); orjson: halfway
# through loading the commands; English: the line speaks the command's language
@pytest.mark.parametrize(("library", "lang"), [("_yaml", "uk"), ("orjson", "uk"), ("orjson", "en")])
def test_while_zvit_starts(prepared: Path, tmp_path: Path, library: str, lang: str) -> None:
    root = copy_of(prepared, tmp_path)
    proc = start(["-w", str(root / "ws"), "--lang", lang, "status", "-p", "2025"])
    wait_for(loaded(proc, library), proc)
    out, err = interrupt(proc)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == [t("cli.interrupted", lang)], err
    assert out == ""  # the command itself never began
    assert_clean(root)


@pytest.mark.parametrize("moment", ["workers started", "first files recorded"])
def test_while_collect_checks_files(prepared: Path, tmp_path: Path, moment: str) -> None:
    root = copy_of(prepared, tmp_path)
    files = len(list((root / "inbox").iterdir()))
    args = ["-w", str(root / "ws"), "collect", str(root / "inbox"), "-p", "2025"]
    proc = start(args)
    wait_for(workers(proc), proc)
    if moment == "first files recorded":
        wait_for(lambda: submissions_recorded(root / "ws" / "zvit.db") > 0, proc)
    _, err = interrupt(proc)
    assert_interrupted(proc, err, root)
    assert submissions_recorded(root / "ws" / "zvit.db") < files
    [(finished, summary)] = ledger(root, "SELECT finished_at, summary FROM runs")
    assert finished and '"interrupted": true' in summary
    assert not group_alive(proc.pid)  # the workers went with it

    again = subprocess.run([str(ZVIT), *args], capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert ledger(root, "SELECT count(*) FROM files") == [(files,)]
    assert ledger(root, "SELECT count(*) FROM submissions") == [(files,)]
    assert ledger(root, "SELECT count(DISTINCT sha256) FROM sources") == [(files,)]
    assert_clean(root)


# A launcher that makes one step of `zvit report` slow, says when it is there, and then
# runs zvit as the console script does.
SLOW_STEP = """
import os, sys, time
from pathlib import Path
marker, step = Path(os.environ["MARKER"]), os.environ["STEP"]
if step == "write":  # the report's bytes on the disk, in its temporary file, not yet named
    real = os.fsync
    def fsync(fd):
        if "/reports/" in os.readlink(f"/proc/self/fd/{fd}"):
            marker.touch()
            time.sleep(3)
        real(fd)
    os.fsync = fsync
else:  # the report being made, nothing written yet
    import toolkit.report.build as build
    real = build.render
    def render(*args, **kwargs):
        marker.touch()
        time.sleep(3)
        return real(*args, **kwargs)
    build.render = render
from toolkit.entry import main
main()
"""


@pytest.mark.parametrize("step", ["make", "write"])
def test_while_the_report_is_made_and_written(prepared: Path, tmp_path: Path, step: str) -> None:
    root = copy_of(prepared, tmp_path)
    collected = subprocess.run(
        [str(ZVIT), "-w", str(root / "ws"), "collect", str(root / "inbox"), "-p", "2025"],
        capture_output=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr.decode()
    marker = tmp_path / "there"
    args = ["-w", str(root / "ws"), "report", "-p", "2025"]
    proc = start(args, env={"MARKER": str(marker), "STEP": step}, python=SLOW_STEP)
    wait_for(marker.exists, proc)
    began = time.monotonic()
    out, err = interrupt(proc)
    assert_interrupted(proc, err, root)
    reports = sorted((root / "ws" / "reports").glob("Зведений звіт*"))
    if step == "make":
        assert reports == [] and out == ""
        assert time.monotonic() - began < 2.5  # Ctrl+C cut the waiting short
    else:  # Ctrl+C waited for the file to be whole, then stopped zvit before it said so
        [report] = reports
        with zipfile.ZipFile(report) as zf:
            assert zf.testzip() is None
        assert "Титульний аркуш" in openpyxl.load_workbook(report, read_only=True).sheetnames
    again = subprocess.run([str(ZVIT), *args], capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert_clean(root)


def test_while_mail_goes_out(tmp_path: Path, mail_certs: MailCerts) -> None:
    with smtp_server(mail_certs) as server:
        ws, _ = mail_workspace(tmp_path, mail_certs, smtp=server, mail={"throttle_seconds": 1})
        env = {"ZVIT_SMTP_PASSWORD": SMTP_PASSWORD}
        composed = subprocess.run(
            [str(ZVIT), "-w", str(ws.root), "mail", "compose", "-p", "2025"],
            capture_output=True,
            timeout=120,
        )
        assert b"loda-osvita" in composed.stdout, composed.stderr.decode()
        args = ["-w", str(ws.root), "mail", "send", "-p", "2025"]
        proc = start(args, env=env)
        wait_for(lambda: len(server.messages) >= 2, proc)
        time.sleep(0.3)  # in the pause before the next message, the last one recorded
        _, err = interrupt(proc)
        assert_interrupted(proc, err, tmp_path)
        sent_before = len(server.messages)
        assert 2 <= sent_before < len(UNITS)
        again = subprocess.run(
            [str(ZVIT), *args], capture_output=True, timeout=120, env={**os.environ, **env}
        )
        assert again.returncode == 0, again.stderr.decode()
        recipients = sorted(r for m in server.messages for r in m.rcpt_tos)
        assert len(recipients) == len(set(recipients)) == len(UNITS)  # each unit once
    assert_clean(tmp_path)


def test_while_forms_are_made_in_worker_processes(prepared: Path, tmp_path: Path) -> None:
    """Forms for every unit are made by a pool of processes: Ctrl+C as the pool starts
    stops it at once (the chunks begun end whole), and never hangs on it."""
    root = copy_of(prepared, tmp_path)
    args = ["-w", str(root / "ws"), "templates", "-p", "2025", "-o", str(root / "forms")]
    proc = start(args)
    wait_for(workers(proc), proc)
    _, err = interrupt(proc)
    assert_interrupted(proc, err, root)
    for form in (root / "forms").glob("*.xlsx"):
        with zipfile.ZipFile(form) as zf:
            assert zf.testzip() is None, form
    again = subprocess.run([str(ZVIT), *args], capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()
    assert len(list((root / "forms").glob("*.xlsx"))) == 58
    assert_clean(root)
