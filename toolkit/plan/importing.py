"""``zvit plan import``: any supported source → a checked Plan and the review list.

What a file is comes from its bytes (``importers.opening``); .doc, .odt, .rtf, .xls
and .ods go through LibreOffice first (``importers.convert``). Whatever goes wrong while
a document is read is a coded error, never a traceback."""

from __future__ import annotations

import csv
import zipfile
import zlib
from pathlib import Path

from lxml.etree import LxmlError  # type: ignore[import-untyped]

from toolkit.errors import InvalidFileError, UsageError
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Lang, t
from toolkit.office import OfficeError, find_soffice
from toolkit.plan.importers.build import ImportResult, build_plan
from toolkit.plan.importers.convert import converted
from toolkit.plan.importers.docx import read_docx
from toolkit.plan.importers.grid import Reading
from toolkit.plan.importers.layout import lay_out
from toolkit.plan.importers.meta import read_meta
from toolkit.plan.importers.opening import CONVERTIBLE, Kind, sniff
from toolkit.plan.importers.review import SectionReading
from toolkit.plan.importers.rows import Row, assemble_rows
from toolkit.plan.importers.seedtext import read_text
from toolkit.plan.importers.sheets import read_csv, read_xlsx
from toolkit.plan.overrides import Overrides
from toolkit.plan.registry import Registry

SUFFIXES = (".docx", ".xlsx", ".csv", ".txt", ".doc", ".odt", ".rtf", ".xls", ".ods")
# What a damaged package raises in python-docx, openpyxl, zipfile, lxml and csv.
_DAMAGED = (
    csv.Error,
    zipfile.BadZipFile,
    zlib.error,
    LxmlError,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
    EOFError,
    OSError,
)


def import_plan(
    source: Path, registry: Registry | None = None, overrides: Overrides | None = None
) -> ImportResult:
    """Read a plan table from ``source``. Raises InvalidFileError (with coded issues)
    when the file cannot be read as a plan at all."""
    if not source.is_file():
        raise UsageError("common.file.missing", path=source)
    kind = sniff(source)
    preamble, rows, found = _read(source, kind)
    draft = assemble_rows(rows, source.name)
    draft.repairs[:0] = found
    return build_plan(draft, read_meta(preamble), source.name, registry, overrides or Overrides())


def render_summary(summary: list[SectionReading], source: str, lang: Lang) -> str:
    """The reading summary as lines a person holds against the paper."""
    lines = [t("plan.summary.title", lang, source=source)]
    for s in summary:
        lines.append("  " + t("plan.summary.section", lang, number=s.number, title=s.title,
                              count=s.count))  # fmt: skip
        if s.count:
            lines.append("      " + t("plan.summary.first_last", lang, first=s.first, last=s.last))
        else:
            lines.append("      " + t("plan.summary.none", lang))
    total = sum(s.count for s in summary)
    lines.append(t("plan.summary.total", lang, sections=len(summary), measures=total))
    return "\n".join(lines)


def _read(source: Path, kind: Kind) -> tuple[str, list[Row], list[Issue]]:
    if kind == "text":
        text = source.read_bytes().decode("utf-8-sig", errors="replace")
        return read_text(text, source.name)
    if kind in CONVERTIBLE:
        return _read_converted(source, kind)
    return lay_out(_reading(source, kind, source.name), source.name)


def _read_converted(source: Path, kind: Kind) -> tuple[str, list[Row], list[Issue]]:
    where = Location(file=source.name)
    soffice = find_soffice()
    if soffice is None:
        found = [issue("E_PLAN_NEEDS_OFFICE", where, kind=f".{kind}", target=CONVERTIBLE[kind])]
        raise InvalidFileError(found, "common.file.unusable", file=source.name)
    target = CONVERTIBLE[kind]
    try:
        with converted(source, kind, target, soffice) as path:
            preamble, rows, found = lay_out(_reading(path, target, source.name), source.name)
    except OfficeError as e:
        failed = [issue("E_PLAN_CONVERT_FAILED", where, kind=f".{kind}", detail=e.message)]
        raise InvalidFileError(failed, "common.file.unusable", file=source.name) from None
    note = issue("I_PLAN_CONVERTED", where, kind=f".{kind}", target=target)
    return preamble, rows, [note, *found]


def _reading(path: Path, kind: str, name: str) -> Reading:
    try:
        if kind == "docx":
            return read_docx(path)
        if kind == "xlsx":
            return read_xlsx(path)
        return read_csv(path)
    except InvalidFileError:
        raise
    except _DAMAGED as e:
        detail = f"{type(e).__name__}: {str(e)[:120]}" if str(e) else type(e).__name__
        found = [issue("E_PLAN_FILE_DAMAGED", Location(file=name), detail=detail)]
        raise InvalidFileError(found, "common.file.unusable", file=name) from None


__all__ = ["ImportResult", "InvalidFileError", "import_plan"]
