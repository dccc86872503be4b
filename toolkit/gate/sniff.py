"""Decide what a returned file really is, and whether a reader may open it.

The extension is never trusted: the format comes from the bytes (zip members, CFB streams,
leading text). Every safety limit (``safety.Limits``) is applied before any XML is parsed.
``inspect`` never raises on bad input: one broken file must not stop a batch, so anything
unexpected becomes ``E_CORRUPT`` with the exception's class in its params."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import olefile

from toolkit.gate.partscan import scan_members
from toolkit.gate.safety import (
    DEFAULT_LIMITS,
    CorruptZip,
    LimitExceeded,
    Limits,
    ZipPackage,
    ensure_defusedxml,
    printable,
)
from toolkit.issues import Issue, Location, has_errors, issue

__all__ = ["DEFAULT_LIMITS", "Format", "Inspection", "Limits", "ensure_defusedxml", "inspect"]

Format = Literal[
    "xlsx",
    "xlsm",
    "xlsb",
    "xls",
    "ods",
    "csv",
    "html",
    "encrypted",
    "msg",
    "zip",
    "strict_ooxml",
    "unknown",
]

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OOXML_FORMATS = ("xlsx", "xlsm", "xlsb", "strict_ooxml")
FORMAT_CODES: dict[str, str] = {
    "xls": "E_FORMAT_XLS",
    "ods": "E_FORMAT_ODS",
    "xlsb": "E_FORMAT_XLSB",
    "csv": "E_FORMAT_CSV",
    "html": "E_FORMAT_HTML",
    "encrypted": "E_ENCRYPTED",
    "strict_ooxml": "E_STRICT_OOXML",
    "msg": "E_NOT_SPREADSHEET",
    "zip": "E_NOT_SPREADSHEET",
    "unknown": "E_NOT_SPREADSHEET",
}
# Errors after which "not a spreadsheet" would be a guess: the content was never seen.
_UNDECIDED = {"E_CORRUPT", "E_EMPTY_FILE", "E_ZIP_LIMIT"}
_HEAD = 64 * 1024
_DETAIL_WIDTH = 200


@dataclass(frozen=True)
class Inspection:
    """What the gate found. ``usable``: an .xlsx/.xlsm package a reader may open."""

    fmt: Format
    sha256: str
    size: int
    issues: list[Issue]
    usable: bool
    # of a zip: its member names; of a usable package also its XML members, inflated and
    # verified
    names: frozenset[str] = field(default=frozenset(), repr=False)
    inflated: Mapping[str, bytes] = field(default_factory=dict, repr=False)


@dataclass
class _Run:
    fmt: Format = "unknown"
    found: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    names: frozenset[str] = frozenset()
    inflated: dict[str, bytes] = field(default_factory=dict)

    def add(self, code: str, **params: Any) -> None:
        if all(code != seen for seen, _ in self.found):  # one issue per code: the first
            self.found.append((code, params))

    def codes(self) -> set[str]:
        return {code for code, _ in self.found}

    def limit(self, exc: LimitExceeded) -> None:
        self.add(
            "E_ZIP_LIMIT",
            check=exc.check,
            value=exc.value,
            limit=exc.limit,
            part=printable(exc.part),
        )

    def corrupt(self, detail: str, **params: Any) -> None:
        self.add("E_CORRUPT", detail=_short(detail), **params)


def inspect(data: bytes, name: str = "", limits: Limits = DEFAULT_LIMITS) -> Inspection:
    """Sniff one untrusted file and apply the safety limits; never raises on bad input."""
    run = _Run()
    try:
        _inspect(run, bytes(data), limits)
    except Exception as exc:  # the gate must survive anything a hostile file provokes
        run.corrupt(f"{type(exc).__name__}: {exc}", exception=type(exc).__name__)
    code = FORMAT_CODES.get(run.fmt)
    if code and not (code == "E_NOT_SPREADSHEET" and run.codes() & _UNDECIDED):
        run.found.insert(0, (code, {}))
    where = Location(file=name or None)
    issues = [issue(code, where, **params) for code, params in run.found]
    usable = run.fmt in ("xlsx", "xlsm") and not has_errors(issues)
    return Inspection(
        run.fmt,
        hashlib.sha256(data).hexdigest(),
        len(data),
        issues,
        usable,
        run.names,
        run.inflated if usable else {},
    )


def _inspect(run: _Run, data: bytes, limits: Limits) -> None:
    if not data:
        run.add("E_EMPTY_FILE")
        return
    if len(data) > limits.max_file_size:
        run.limit(LimitExceeded("file_size", len(data), limits.max_file_size))
        # Containers are named from their magic only: even a directory is too much to parse.
        if data.startswith(ZIP_MAGICS):
            run.fmt = "zip"
        elif not data.startswith(CFB_MAGIC):
            run.fmt = _text_format(data[:_HEAD])
        return
    if data.startswith(ZIP_MAGICS):
        _inspect_zip(run, data, limits)
    elif data.startswith(CFB_MAGIC):
        _inspect_cfb(run, data)
    else:
        run.fmt = _text_format(data[:_HEAD])


# --- zip packages --------------------------------------------------------------------------


def _inspect_zip(run: _Run, data: bytes, limits: Limits) -> None:
    run.fmt = "zip"
    try:
        pkg = ZipPackage(data, limits)
    except LimitExceeded as exc:
        run.limit(exc)
        return
    except (CorruptZip, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        run.corrupt(f"{type(exc).__name__}: {exc}")
        return
    run.fmt = _zip_format(pkg)
    for problem in pkg.structure_problems():
        run.corrupt(problem)
    declared = pkg.limit_problems()
    for exceeded in declared:
        run.limit(exceeded)
    if run.fmt in OOXML_FORMATS and "[Content_Types].xml" not in pkg.by_name:
        run.corrupt("[Content_Types].xml is missing")
    _flag_active_parts(run, pkg)
    if any(exceeded.check in ("members", "total_size") for exceeded in declared):
        return  # inflating would cost what the limits are there to refuse
    scan = scan_members(pkg)
    run.names, run.inflated = frozenset(pkg.by_name), scan.inflated
    for exceeded in scan.limits:
        run.limit(exceeded)
    for detail in scan.corrupt:
        run.corrupt(detail)
    if scan.dtd:
        run.add("E_XML_DTD", part=printable(scan.dtd[0]))
    if scan.external:
        run.add("W_EXTERNAL_LINK", part=printable(scan.external[0]))
    if scan.cell_formats > limits.max_cell_formats:
        run.add("E_STYLES_LIMIT", count=scan.cell_formats, limit=limits.max_cell_formats)


def _zip_format(pkg: ZipPackage) -> Format:
    names = pkg.by_name
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        head = pkg.head("xl/workbook.xml", _HEAD)
        if STRICT_NS in head or STRICT_NS.decode().encode("utf-16-le") in head:
            return "strict_ooxml"
        return "xlsm" if _macro_part(pkg) else "xlsx"
    if "mimetype" in names and pkg.head("mimetype", 256).strip().startswith(ODS_MIMETYPE):
        return "ods"
    return "zip"


def _macro_part(pkg: ZipPackage) -> str:
    """The part that makes the package macro-enabled, or ""."""
    if "xl/vbaProject.bin" in pkg.by_name:
        return "xl/vbaProject.bin"
    types = pkg.head("[Content_Types].xml", 1024 * 1024).lower()
    # The .xlsb main type says "binary.macroEnabled" with or without macros. (Plain
    # searches first: a case-blind regex with a look-behind scans slowly.)
    if b"vbaproject" in types or (
        b"macroenabled" in types and re.search(rb"(?<!binary\.)macroenabled", types)
    ):
        return "[Content_Types].xml"
    return ""


def _flag_active_parts(run: _Run, pkg: ZipPackage) -> None:
    macro = _macro_part(pkg) or next(
        (n for n in pkg.by_name if n.startswith(("xl/activeX/", "xl/embeddings/"))), ""
    )
    if macro:
        run.add("W_MACRO", part=printable(macro))
    link = next(
        (n for n in pkg.by_name if n.startswith("xl/externalLinks/") or n == "xl/connections.xml"),
        "",
    )
    if link:
        run.add("W_EXTERNAL_LINK", part=printable(link))


# --- compound files (OLE2): legacy .xls, encrypted OOXML, Outlook .msg ------------------


def _inspect_cfb(run: _Run, data: bytes) -> None:
    # A BytesIO, never the bytes: olefile takes bytes shorter than 1536 for a *file name*.
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        paths = ole.listdir(streams=True, storages=True)
        top = {path[0].lower() for path in paths}
        if {"encryptioninfo", "encryptedpackage"} <= top:
            run.fmt = "encrypted"
        elif top & {"workbook", "book"}:
            run.fmt = "xls"
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            if _biff_is_encrypted(ole.openstream(stream).read(_HEAD)):
                run.add("E_ENCRYPTED")
        elif any(path[-1].startswith("__substg1.0_") for path in paths):
            run.fmt = "msg"


def _biff_is_encrypted(stream: bytes) -> bool:
    """A FILEPASS record among the first records of the globals: password to open."""
    pos = 0
    for _ in range(256):
        if pos + 4 > len(stream):
            return False
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == 0x002F:
            return True
        if kind == 0x000A:  # EOF of the globals substream
            return False
        pos += 4 + length
    return False


# --- text: CSV, HTML and Excel's XML/web-page formats -------------------------------------

_HTML_STARTS = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta")
_HTML_HINTS = ("<html", "urn:schemas-microsoft-com:office:spreadsheet")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _text_format(head: bytes) -> Format:
    text = _decode(head)
    if text is None:
        return "unknown"
    low = text.lstrip().lower()
    if low.startswith(_HTML_STARTS):
        return "html"
    if low.startswith("<?xml") and any(hint in low for hint in _HTML_HINTS):
        return "html"  # Excel "Web page" or "XML Spreadsheet 2003"
    if low.startswith("mime-version:") and "text/html" in low:
        return "html"  # Excel "Single file web page" (.mht)
    return "csv" if _looks_delimited(text) else "unknown"


def _decode(head: bytes) -> str | None:
    """The head as text, or None for binary data."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            head, candidates = head[len(bom) :], [encoding]
            break
    else:
        candidates = ["utf-8", "cp1251"]
    for encoding in candidates:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return None if len(_CONTROL.findall(text)) > len(text) // 100 else text
    return None


def _looks_delimited(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return False
    return any(
        sum(sep in line for line in lines) >= max(1, len(lines) * 8 // 10)
        for sep in (";", ",", "\t", "|")
    )


def _short(text: str) -> str:
    return printable(text, _DETAIL_WIDTH)
