"""The consolidated report → an .xlsx workbook (xlsxwriter), written safely.

* Untrusted text stays text: the workbook is opened with every string conversion off and
  every text goes through ``toolkit.report.cells`` (``write_string``, control characters
  removed, cut at the cell limit with a visible marker, return codes checked). The report
  writes computed numbers, never formulas.
* Deterministic: the document date is pinned to ``made_on`` and everything is written in
  a fixed order, so the same inputs give the same bytes.
* Atomic and never silently overwriting: rendered in memory, then written through
  ``atomic_write_bytes``; an existing file is kept and the report gets a versioned name
  («… (2).xlsx») unless ``force``."""

from __future__ import annotations

import contextlib
import io
import os
from datetime import date, datetime, time
from pathlib import Path

import xlsxwriter

from toolkit import __version__
from toolkit.errors import UsageError
from toolkit.fsutil import XLSX_SAFE_OPTIONS, atomic_write_bytes, uninterrupted
from toolkit.messages import Lang, t
from toolkit.paper import DEFAULT_FONT
from toolkit.report.model import Consolidated
from toolkit.report.sheets_changes import changes_sheet
from toolkit.report.sheets_front import notes_sheet, summary_sheet, title_sheet
from toolkit.report.sheets_lists import missing_sheet, provenance_sheet, warnings_sheet
from toolkit.report.sheets_tables import matrix_sheet, measures_sheet
from toolkit.report.styles import Styles
from toolkit.workspace import ReportSettings

OPTIONS = XLSX_SAFE_OPTIONS
_MAX_VERSIONS = 1000


def render_report(
    c: Consolidated, *, lang: Lang = "uk", made_on: date, people: ReportSettings | None = None
) -> bytes:
    """The workbook; ``people`` (zvit.toml's ``[report]``) fills the signature lines of the
    title sheet, left blank to write by hand without it."""
    buf = io.BytesIO()
    # A fresh dict each time: xlsxwriter keeps and changes the one it is given.
    wb = xlsxwriter.Workbook(buf, OPTIONS | {"default_format_properties": dict(DEFAULT_FONT)})
    wb.set_properties(
        {
            "title": f"{t('report.title.heading', lang)} — {c.period.label(lang)}",
            "subject": c.plan.title,
            "author": "zvit",
            "company": "",
            "comments": f"zvit {__version__}; plan {c.plan.id}; period {c.period}",
            "created": datetime.combine(made_on, time()),
        }
    )
    st = Styles(wb)
    title_sheet(wb, c, st, lang, made_on, people)
    summary_sheet(wb, c, st, lang)
    measures_sheet(wb, c, st, lang)
    matrix_sheet(wb, c, st, lang)
    missing_sheet(wb, c, st, lang)
    warnings_sheet(wb, c, st, lang)
    provenance_sheet(wb, c, st, lang)
    changes_sheet(wb, c, st, lang)
    notes_sheet(wb, c, st, lang)
    wb.close()
    return buf.getvalue()


def write_report(
    c: Consolidated,
    path: Path,
    *,
    lang: Lang = "uk",
    made_on: date,
    force: bool = False,
    people: ReportSettings | None = None,
) -> Path:
    """Write the report to ``path`` (or, if it exists and not ``force``, to the first free
    «name (N).xlsx» beside it); return the path written."""
    data = render_report(c, lang=lang, made_on=made_on, people=people)
    return write_output(data, path, force=force)


def write_output(data: bytes, path: Path, *, force: bool = False) -> Path:
    """Atomically write ``data``. Without ``force`` a free name is claimed first with an
    exclusive create, so two runs at once never pick the same name or replace a file."""
    if force:
        atomic_write_bytes(path, data)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, _MAX_VERSIONS + 1):
        target = path if n == 1 else path.with_name(f"{path.stem} ({n}){path.suffix}")
        with uninterrupted():  # never an empty placeholder left for the report
            if _claim(target, data):
                return target
    raise UsageError("report.error.versions", path=path, count=_MAX_VERSIONS)


def _claim(target: Path, data: bytes) -> bool:
    """Write ``data`` as ``target`` if no file has that name; False if one has."""
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    os.close(fd)
    try:
        atomic_write_bytes(target, data)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()  # the empty placeholder we claimed
        raise
    return True
