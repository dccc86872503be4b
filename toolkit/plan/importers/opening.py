"""What a plan document really is, from its bytes: the extension is only a hint.

Council plans arrive as .docx and .xlsx, but also as old .doc renamed .docx, web pages
saved "as .docx", password-protected files, truncated downloads and empty files. Each
of these gets its own coded error here, before any reader touches the file, so that a
coordinator reads what to do instead of a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

import olefile

from toolkit.errors import InvalidFileError
from toolkit.issues import Location, issue
from toolkit.messages import Message

Kind = Literal["docx", "xlsx", "csv", "text", "doc", "xls", "odt", "ods", "rtf"]
# What LibreOffice turns each old or foreign format into.
CONVERTIBLE: dict[str, Literal["docx", "xlsx"]] = {
    "doc": "docx",
    "odt": "docx",
    "rtf": "docx",
    "xls": "xlsx",
    "ods": "xlsx",
}
_CFB = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# A plan is a few hundred kilobytes; more than this unpacked is a damaged or hostile file.
MAX_UNPACKED = 512 * 1024 * 1024
_TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", "": "text"}


def sniff(path: Path) -> Kind:
    """The kind of plan document at ``path``; raises InvalidFileError with a coded issue
    for everything that cannot be read as a plan."""
    where = Location(file=path.name)
    with path.open("rb") as f:
        head = f.read(4096)
    if not head.strip(b"\x00 \t\r\n"):
        raise _refuse(path, "E_PLAN_FILE_EMPTY", where)
    if head.startswith(_ZIP):
        return _zip_kind(path, where)
    if head.startswith(_CFB):
        return _ole_kind(path, where)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if text.startswith(b"%pdf"):
        raise _refuse(path, "E_PLAN_FILE_PDF", where)
    if _is_html(text):
        raise _refuse(path, "E_PLAN_FILE_HTML", where)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in (".docx", ".xlsx", ".xlsm", ".odt", ".ods", ".doc", ".xls"):
        raise _refuse(path, "E_PLAN_FILE_DAMAGED", where, detail=_not_a_package(suffix))
    raise _refuse(path, "E_PLAN_FILE_UNKNOWN", where, suffix=path.suffix or "—")


def _is_html(text: bytes) -> bool:
    if text.startswith(b"mime-version:"):  # Word's "web archive" (.mht)
        return b"text/html" in text
    return text.startswith(b"<!doctype html") or b"<html" in text[:1024]


def _not_a_package(suffix: str) -> Message:
    return Message("plan.damaged.not_a_package", {"suffix": suffix})


def _zip_kind(path: Path, where: Location) -> Kind:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise _refuse(
                    path, "E_PLAN_FILE_DAMAGED", where, detail=Message("plan.damaged.too_large")
                )
            if "EncryptedPackage" in names:
                raise _refuse(path, "E_PLAN_FILE_ENCRYPTED", where)
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            mimetype = z.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as e:
        raise _refuse(path, "E_PLAN_FILE_DAMAGED", where, detail=_zip_detail(e)) from None
    if mimetype.endswith(b"opendocument.text"):
        return "odt"
    if mimetype.endswith(b"opendocument.spreadsheet"):
        return "ods"
    if any(n.startswith(("word/", "xl/")) for n in names):
        raise _refuse(
            path, "E_PLAN_FILE_DAMAGED", where, detail=Message("plan.damaged.no_main_part")
        )
    raise _refuse(path, "E_PLAN_FILE_UNKNOWN", where, suffix="zip")


def _zip_detail(e: Exception) -> str | Message:
    if isinstance(e, zipfile.BadZipFile):
        return Message("plan.damaged.cut_off")
    return type(e).__name__


def _ole_kind(path: Path, where: Location) -> Kind:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
    except (OSError, ValueError, IndexError, EOFError) as e:
        detail = Message("plan.damaged.office", {"error": type(e).__name__})
        raise _refuse(path, "E_PLAN_FILE_DAMAGED", where, detail=detail) from None
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise _refuse(path, "E_PLAN_FILE_ENCRYPTED", where)
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    raise _refuse(path, "E_PLAN_FILE_UNKNOWN", where, suffix=path.suffix or "ole")


def _refuse(path: Path, code: str, where: Location, **params: object) -> InvalidFileError:
    return InvalidFileError([issue(code, where, **params)], "common.file.unusable", file=path.name)
