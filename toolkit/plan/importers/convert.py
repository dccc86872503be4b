"""Old and foreign documents (.doc, .odt, .rtf, .xls, .ods) → .docx or .xlsx through a
headless LibreOffice, when one is installed.

Each conversion runs ``soffice --convert-to`` with a profile of its own (a LibreOffice
the person has open, or another conversion, cannot block it) under a timeout, on a copy
of the file with a plain name (LibreOffice chooses its import filter by the extension,
and a .doc renamed .docx must be read as .doc). ``ZVIT_SOFFICE`` names the program;
``ZVIT_SOFFICE=none`` turns conversion off."""

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

TIMEOUT = 120.0
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}


class ConvertError(Exception):
    """LibreOffice could not convert the file; ``message`` says why."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.message = Message(key, params)


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice``: ``ZVIT_SOFFICE``, the PATH, then where the installers put
    it on Windows and macOS."""
    wanted = os.environ.get("ZVIT_SOFFICE")
    if wanted is not None:
        if wanted.strip().lower() in ("", "none", "0", "off"):
            return None
        return Path(wanted) if Path(wanted).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in _installed_places():
        if candidate.is_file():
            return candidate
    return None


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
        places += [Path("/usr/bin/soffice"), Path("/opt/libreoffice/program/soffice")]
    return places


@contextlib.contextmanager
def converted(
    source: Path, kind: str, target: str, soffice: Path, timeout: float | None = None
) -> Iterator[Path]:
    """The file ``source`` (really of ``kind``) as a ``target`` file in a temporary folder,
    deleted afterwards. Raises ConvertError."""
    timeout = TIMEOUT if timeout is None else timeout
    # On Windows a LibreOffice that was just stopped may still hold a file there.
    with tempfile.TemporaryDirectory(prefix="zvit-convert-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        copy = folder / f"plan.{kind}"
        shutil.copyfile(source, copy)
        out = folder / "out"
        out.mkdir()
        _run(soffice, copy, target, out, folder / "profile", timeout)
        result = out / f"plan.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConvertError("plan.convert.no_output")
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
        _FILTERS[target],
        "--outdir",
        str(out),
        str(src),
    ]
    try:
        # soffice is a launcher with a child: a group of its own lets a timeout stop both.
        if sys.platform == "win32":
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
            )
        else:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
    except OSError as e:
        raise ConvertError("plan.convert.not_started", detail=e.strerror or e) from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise ConvertError("plan.convert.timeout", seconds=f"{timeout:g}") from None
    except KeyboardInterrupt:  # its own session does not hear Ctrl+C: stop it with us
        _stop(proc)
        raise
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["—"]
        raise ConvertError("plan.convert.failed", code=proc.returncode, detail=detail[0])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            capture_output=True,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
    proc.communicate()
