"""LibreOffice, the one outside program zvit starts: to read an old or foreign plan
document (.doc, .odt, .rtf, .xls, .ods) and to print the report document to PDF.

``find_soffice`` looks where a coordinator's LibreOffice is: ``ZVIT_SOFFICE`` (``none``
turns it off), the PATH, then where the installers put it on Windows and macOS.
``converted`` runs ``soffice --convert-to`` headless on a copy with a plain name
(LibreOffice picks its import filter by the extension), with a profile of its own in a
temporary folder (a LibreOffice the person has open, or another conversion, cannot block
it), under a timeout after which the whole process group is stopped — and with zvit on
Ctrl+C. What goes wrong is an ``OfficeError`` whose message says so in the reader's
language; never a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from toolkit.messages import Message

TIMEOUT = 180.0  # seconds: a first start of LibreOffice on a slow office PC takes a while


class OfficeError(Exception):
    """LibreOffice could not convert the file; ``message`` says why."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.message = Message(key, params)


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice``, or None where there is none (or ``ZVIT_SOFFICE=none``)."""
    wanted = os.environ.get("ZVIT_SOFFICE")
    if wanted is not None:
        if wanted.strip().lower() in ("", "none", "0", "off"):
            return None
        return Path(wanted) if Path(wanted).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in _installed_places() if p.is_file()), None)


def _installed_places() -> list[Path]:
    places: list[Path] = []
    if sys.platform == "win32":
        for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
            base = os.environ.get(var)
            if not base:
                continue
            for folder in (Path(base) / "LibreOffice", Path(base) / "Programs" / "LibreOffice"):
                # soffice.com waits for the conversion and writes to the console
                places += [folder / "program" / "soffice.com", folder / "program" / "soffice.exe"]
    elif sys.platform == "darwin":
        places.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    else:
        places += [
            Path("/usr/bin/soffice"),
            Path("/usr/lib/libreoffice/program/soffice"),
            Path("/opt/libreoffice/program/soffice"),
        ]
    return places


@contextlib.contextmanager
def converted(
    source: Path | bytes,
    name: str,
    target: str,
    soffice: Path,
    *,
    timeout: float = TIMEOUT,
) -> Iterator[Path]:
    """``source`` (a file, or its bytes), copied as ``name``, converted to ``target``
    (``pdf``, or ``ext:filter`` such as ``docx:MS Word 2007 XML``): the result in a
    temporary folder, deleted afterwards. Raises OfficeError."""
    # On Windows a LibreOffice that was just stopped may still hold a file there.
    with tempfile.TemporaryDirectory(prefix="zvit-office-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        copy = folder / name
        if isinstance(source, bytes):
            copy.write_bytes(source)
        else:
            shutil.copyfile(source, copy)
        out = folder / "out"
        out.mkdir()
        _run(soffice, copy, target, out, folder / "profile", timeout)
        result = out / f"{copy.stem}.{target.split(':', 1)[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            raise OfficeError("office.no_output")
        yield result


def _run(soffice: Path, src: Path, target: str, out: Path, profile: Path, timeout: float) -> None:
    command = [
        str(soffice),
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(src),
    ]
    try:
        proc = _start(command)
    except OSError as e:
        raise OfficeError("office.not_started", detail=e.strerror or e) from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise OfficeError("office.timeout", seconds=f"{timeout:g}") from None
    except KeyboardInterrupt:  # its own session does not hear Ctrl+C: stop it with us
        _stop(proc)
        raise
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["—"]
        raise OfficeError("office.failed", code=proc.returncode, detail=detail[0])


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    # soffice is a launcher with a child: a group of its own lets a timeout stop both.
    if sys.platform == "win32":
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
        )
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
    proc.communicate()
