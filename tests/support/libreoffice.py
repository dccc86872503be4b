"""Fill spreadsheet forms in a real LibreOffice, as an executor would.

One ``LibreOffice`` starts one headless ``soffice`` (own port, own throw-away profile) and
one long-lived worker under the Python that has the ``uno`` module (``lo_worker.py``). The
two talk over UNO; we talk to the worker with JSON lines on its stdin/stdout. A fill then
costs one load + store, not a LibreOffice start. Under pytest-xdist every worker process
gets its own instance through the session fixture ``libreoffice`` (tests/conftest.py).

    with LibreOffice() as lo:
        lo.fill(form, out, {("Звіт", "D5"): "Виконано", ("Звіт", "E5"): 12.5})
        lo.fill(form, out2, {("Звіт", "D6"): "x"}, ops=[Unprotect("Звіт"), InsertRow("Звіт", 6)])
        ods = lo.convert(form, tmp_path, "ods")

Strings are typed through the cell's ``FormulaLocal`` property, the path of the UI's input
line: parsed with the office locale (pinned per instance, default en-US, so results do not
depend on the machine's LANG) and given the detected date/percent/boolean format. In en-US
"12,5" stays text, "12.5" and "1,234" become numbers, "=1+1" a formula, "2025-01-15" a
date; in ``LibreOffice(locale="uk-UA")`` "12,5" is 12.5 and "12.5" is the date 12 May.
``int``/``float`` are set as numbers; ``None`` clears the cell like the Delete key. Typing
into a locked cell of a protected sheet fails, as in the UI: add ``Unprotect(sheet)``.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self
from xml.sax.saxutils import escape

WORKER_SCRIPT = Path(__file__).with_name("lo_worker.py")
FORMATS = ("xlsx", "ods", "xls", "docx", "odt", "doc", "rtf", "pdf")  # Calc, Writer; pdf: printed
INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno"

CellValue = str | int | float | None
Cells = Mapping[tuple[str, str], CellValue]


class LibreOfficeError(RuntimeError):
    """LibreOffice could not be started or failed a request."""


class LibreOfficeNotFound(LibreOfficeError):
    """soffice, or a Python with the ``uno`` module, is not installed."""


# Structural edits a person might make before typing. Rows are 1-based, as shown in the UI.
@dataclass(frozen=True)
class InsertRow:
    """Insert one empty row so that it becomes row ``before``."""

    sheet: str
    before: int


@dataclass(frozen=True)
class DeleteRow:
    sheet: str
    row: int


@dataclass(frozen=True)
class RenameSheet:
    sheet: str
    new_name: str


@dataclass(frozen=True)
class Unprotect:
    """Remove sheet protection that has no password (LibreOffice refuses edits otherwise)."""

    sheet: str


Op = InsertRow | DeleteRow | RenameSheet | Unprotect
_OP_NAMES = {
    InsertRow: "insert_row",
    DeleteRow: "delete_row",
    RenameSheet: "rename_sheet",
    Unprotect: "unprotect",
}


def _op_to_json(op: Op) -> dict[str, Any]:
    return {"op": _OP_NAMES[type(op)], **vars(op)}


def _cell_to_json(sheet: str, address: str, value: CellValue) -> list[Any]:
    # bool is an int: refuse it rather than silently typing 1/0.
    if isinstance(value, bool) or not isinstance(value, str | int | float | None):
        raise TypeError(f"{sheet}!{address}: cannot type a {type(value).__name__}")
    return [sheet, address, value]


class LibreOffice:
    """A running headless LibreOffice with a UNO worker. Use as a context manager."""

    def __init__(
        self,
        soffice: str | os.PathLike[str] | None = None,
        uno_python: str | os.PathLike[str] | None = None,
        startup_timeout: float = 30.0,
        request_timeout: float = 120.0,
        locale: str = "en-US",
    ) -> None:
        self.soffice = _find_soffice(soffice)
        self.uno_python = _find_uno_python(uno_python, self.soffice)
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.locale = locale
        self.startup_seconds: float | None = None
        self._tmp: Path | None = None
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start soffice and the worker; return once the worker is connected over UNO."""
        if self._worker is not None:
            return
        began = time.monotonic()
        self._tmp = Path(tempfile.mkdtemp(prefix="zvit-lo-"))
        atexit.register(self.close)
        try:
            port = _free_port()
            self._office = self._start_office(port)
            self._worker = self._start_worker(port)
            self._await_ready()
        except BaseException:
            self.close()
            raise
        self.startup_seconds = time.monotonic() - began

    def close(self) -> None:
        """Quit LibreOffice, stop the worker and delete the profile. Safe to call twice."""
        atexit.unregister(self.close)
        worker, office, tmp = self._worker, self._office, self._tmp
        quitting = False
        if worker is not None and office is not None and office.poll() is None:
            # Otherwise, or if this fails, _stop below terminates what is left.
            with contextlib.suppress(LibreOfficeError, OSError):
                quitting = self._send(worker, {"cmd": "quit"}, timeout=10).get("ok", False)
        self._worker = self._office = self._tmp = None
        try:
            if worker is not None:
                _stop(worker, grace=5)
        finally:
            if office is not None:
                _stop(office, grace=10 if quitting else 0, group=True)
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    def _start_office(self, port: int) -> subprocess.Popen[bytes]:
        assert self._tmp is not None
        profile = self._tmp / "profile"
        _seed_profile(profile, self.locale)
        log = (self._tmp / "soffice.log").open("wb")
        with log:
            return subprocess.Popen(
                [
                    str(self.soffice),
                    "--headless",
                    "--invisible",
                    "--norestore",
                    "--nolockcheck",
                    f"-env:UserInstallation={profile.as_uri()}",
                    f"--accept=socket,host=127.0.0.1,port={port};urp;",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # soffice is a launcher (oosplash) with a child soffice.bin: a session of
                # its own lets close() stop both if LibreOffice does not quit when asked.
                start_new_session=sys.platform != "win32",
            )

    def _start_worker(self, port: int) -> subprocess.Popen[str]:
        assert self._tmp is not None
        log = (self._tmp / "worker.log").open("wb")
        with log:
            worker = subprocess.Popen(
                [
                    str(self.uno_python),
                    str(WORKER_SCRIPT),
                    f"--port={port}",
                    f"--timeout={self.startup_timeout}",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                encoding="utf-8",
            )
        assert worker.stdout is not None
        self._replies = queue.Queue()
        threading.Thread(
            target=_pump, args=(worker.stdout, self._replies), daemon=True, name="lo-worker"
        ).start()
        return worker

    def _await_ready(self) -> None:
        """Wait for the worker's first line, watching that soffice is still alive."""
        assert self._office is not None
        deadline = time.monotonic() + self.startup_timeout + 5
        while self._replies.empty():
            if self._office.poll() is not None:
                raise LibreOfficeError(
                    f"soffice exited with code {self._office.returncode} during startup"
                    + self._logs()
                )
            if time.monotonic() > deadline:
                raise LibreOfficeError("soffice did not accept UNO in time" + self._logs())
            time.sleep(0.05)
        line = self._replies.get()
        if line is None:
            raise LibreOfficeNotFound(
                f"{self.uno_python} could not run the UNO worker; is python3-uno installed? "
                f"({INSTALL_HINT}; or set ZVIT_UNO_PYTHON)" + self._logs()
            )
        reply = self._parse(line)
        if not reply.get("ok"):
            raise LibreOfficeError(f"LibreOffice worker: {reply.get('error')}" + self._logs())

    # -- requests ------------------------------------------------------------------------

    def fill(
        self,
        src: Path,
        dst: Path,
        cells: Cells,
        fmt: str = "xlsx",
        ops: Iterable[Op] = (),
    ) -> None:
        """Open ``src``, apply ``ops`` in order, type ``cells``, save to ``dst`` as ``fmt``.

        ``cells`` maps (sheet name, A1 address) to what is typed; addresses refer to the
        sheet after ``ops`` (so a cell in an inserted row can be filled). ``fmt`` is "xlsx",
        "ods" or "xls". ``src`` is never modified.
        """
        request = {
            "cmd": "fill",
            "src": str(_existing(src)),
            "dst": str(Path(dst).resolve()),
            "fmt": _check_format(fmt),
            "cells": [_cell_to_json(sheet, addr, v) for (sheet, addr), v in cells.items()],
            "ops": [_op_to_json(op) for op in ops],
        }
        self._request(request)

    def convert(self, src: Path, dst_dir: Path, fmt: str) -> Path:
        """Open ``src`` and save it unchanged as ``dst_dir/<src stem>.<fmt>``; return that path.

        ``dst_dir`` is created if needed; it must not be ``src``'s folder when ``fmt`` is
        ``src``'s own format.
        """
        src = _existing(src)
        dst = Path(dst_dir).resolve() / f"{src.stem}.{_check_format(fmt)}"
        if dst == src:
            raise ValueError(f"convert would overwrite its source {src}")
        dst.parent.mkdir(parents=True, exist_ok=True)
        self._request({"cmd": "convert", "src": str(src), "dst": str(dst), "fmt": fmt})
        return dst

    def _request(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._worker is None:
            raise LibreOfficeError("LibreOffice is not running: use it as a context manager")
        with self._lock:
            reply = self._send(self._worker, request, timeout=self.request_timeout)
        if not reply.get("ok"):
            raise LibreOfficeError(
                f"LibreOffice {request['cmd']} of {request.get('src')} failed: {reply['error']}\n"
                + reply.get("traceback", "")
            )
        return reply

    def _send(
        self, worker: subprocess.Popen[str], request: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        assert worker.stdin is not None
        request_id = next(self._ids)
        worker.stdin.write(json.dumps({**request, "id": request_id}) + "\n")
        worker.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._replies.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                message = f"no answer from LibreOffice in {timeout} s"
                raise LibreOfficeError(message + self._logs()) from None
            reply = self._parse(line)
            if reply.get("id") == request_id:
                return reply
            # else: the late answer to a request that timed out; skip it

    def _parse(self, line: str | None) -> dict[str, Any]:
        if line is None:
            raise LibreOfficeError("the LibreOffice worker exited" + self._logs())
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _logs(self) -> str:
        if self._tmp is None:
            return ""
        parts = []
        for name in ("worker.log", "soffice.log"):
            path = self._tmp / name
            text = path.read_text(errors="replace").strip() if path.exists() else ""
            if text:
                parts.append(f"--- {name} (last lines) ---\n" + "\n".join(text.splitlines()[-20:]))
        return "\n" + "\n".join(parts) if parts else ""


def _seed_profile(profile: Path, locale: str) -> None:
    """Pin the locale that parses typed input (LibreOffice otherwise takes it from LANG)."""
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/L10N">'
        '<prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        f"<value>{escape(locale)}</value></prop></item>\n"
        "</oor:items>\n",
        encoding="utf-8",
    )


def _pump(stream: IO[str], replies: queue.Queue[str | None]) -> None:
    """Move worker stdout lines into ``replies``; ``None`` marks the end."""
    with stream:
        for line in stream:
            replies.put(line)
    replies.put(None)


def _stop(proc: subprocess.Popen[Any], grace: float, group: bool = False) -> None:
    """Give ``proc`` ``grace`` seconds to exit, then terminate it, then kill it.

    With ``group``, wait for and signal its whole process group: soffice is a launcher
    (oosplash) whose soffice.bin may outlive it (see _start_office).
    """
    group = group and sys.platform != "win32"

    def alive() -> bool:
        if proc.poll() is None:  # poll() also reaps it, so a zombie is not a group member
            return True
        if not group:
            return False
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return False
        return True

    for step in ("wait", "terminate", "kill"):
        if step != "wait":
            _signal(proc, kill=step == "kill", group=group)
        deadline = time.monotonic() + (grace if step == "wait" else 5)
        while alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not alive():
            break
    proc.wait()
    if proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):  # unsent bytes for a dead worker
            proc.stdin.close()


def _signal(proc: subprocess.Popen[Any], kill: bool, group: bool) -> None:
    if group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
    elif kill:
        proc.kill()
    else:
        proc.terminate()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _existing(path: Path) -> Path:
    # LibreOffice reports a missing file as "type detection failed".
    if not Path(path).is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return Path(path).resolve()


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    return fmt


def _find_soffice(given: str | os.PathLike[str] | None) -> Path:
    wanted = os.fspath(given) if given else os.environ.get("ZVIT_SOFFICE")
    found = wanted or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not Path(found).is_file():
        where = f"at {wanted}" if wanted else "on PATH"
        raise LibreOfficeNotFound(
            f"LibreOffice (soffice) not found {where}. Install it ({INSTALL_HINT}) "
            "or set ZVIT_SOFFICE to the soffice executable."
        )
    return Path(found)


def _find_uno_python(given: str | os.PathLike[str] | None, soffice: Path) -> Path:
    """The Python that can ``import uno``: LibreOffice's own (Windows, macOS) or Debian's."""
    wanted = os.fspath(given) if given else os.environ.get("ZVIT_UNO_PYTHON")
    program_dir = soffice.resolve().parent
    bundled = [str(program_dir / "python.exe"), str(program_dir / "python")]
    candidates = [wanted] if wanted else [*bundled, "/usr/bin/python3"]
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise LibreOfficeNotFound(
        f"no Python with the uno module (tried {candidates}). Install it ({INSTALL_HINT}) "
        "or set ZVIT_UNO_PYTHON."
    )
