"""A document → PDF through LibreOffice, the one outside program the report may start.

Headless, with a profile of its own in a temporary folder (so it neither waits for nor
disturbs a LibreOffice the coordinator has open), bounded by a timeout after which the
whole process group is stopped. Missing or failing, it says so with a code
(``E_PDF_NO_LIBREOFFICE``, ``E_PDF_FAILED``) — never a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from toolkit.errors import ToolError
from toolkit.issues import Location, issue

TIMEOUT = 180.0  # seconds: a first start of LibreOffice on a slow office PC takes a while
_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)


def find_soffice() -> Path | None:
    """``ZVIT_SOFFICE``, else soffice or libreoffice on the PATH, else the usual places."""
    given = os.environ.get("ZVIT_SOFFICE", "").strip()
    if given:
        return Path(given) if Path(given).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((Path(p) for p in _CANDIDATES if Path(p).is_file()), None)


def to_pdf(document: bytes, suffix: str = ".docx", *, timeout: float = TIMEOUT) -> bytes:
    """The PDF LibreOffice prints ``document`` (a .docx, .xlsx or .odt) to."""
    soffice = find_soffice()
    if soffice is None:
        raise ToolError(issue("E_PDF_NO_LIBREOFFICE", Location()))
    with tempfile.TemporaryDirectory(prefix="zvit-pdf-") as tmp:
        folder = Path(tmp)
        src = folder / f"report{suffix}"
        src.write_bytes(document)
        out = folder / "out"
        command = [
            str(soffice),
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(src),
        ]
        detail = _run(command, timeout)
        pdf = out / "report.pdf"
        if not pdf.is_file():
            raise ToolError(issue("E_PDF_FAILED", Location(), detail=detail or "no file"))
        return pdf.read_bytes()


def _run(command: list[str], timeout: float) -> str:
    """Run to the end or the timeout; what went wrong, in a few words ("" if nothing)."""
    posix = sys.platform != "win32"
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # soffice is a launcher with a child: a group of its own lets a timeout stop both.
            start_new_session=posix,
        )
    except OSError as e:
        raise ToolError(issue("E_PDF_FAILED", Location(), detail=str(e))) from e
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, posix)
        proc.communicate()
        return f"no answer in {timeout:g} s"
    except KeyboardInterrupt:  # its own session does not hear Ctrl+C: stop it with us
        _kill(proc, posix)
        proc.communicate()
        raise
    if proc.returncode != 0:
        tail = output.decode("utf-8", "replace").strip().splitlines()[-2:]
        return f"exit code {proc.returncode}" + (f" ({' '.join(tail)})" if tail else "")
    return ""


def _kill(proc: subprocess.Popen[bytes], posix: bool) -> None:
    if posix:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
