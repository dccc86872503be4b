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
from toolkit.fsutil import XLSX_SAFE_OPTIONS, atomic_write_bytes
from toolkit.messages import Lang, t
from toolkit.report.model import Consolidated
from toolkit.report.sheets_front import notes_sheet, summary_sheet, title_sheet
from toolkit.report.sheets_lists import missing_sheet, provenance_sheet, warnings_sheet
from toolkit.report.sheets_tables import matrix_sheet, measures_sheet
from toolkit.report.styles import Styles

OPTIONS = XLSX_SAFE_OPTIONS
_MAX_VERSIONS = 1000


def render_report(c: Consolidated, *, lang: Lang = "uk", made_on: date) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, OPTIONS)
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
    title_sheet(wb, c, st, lang, made_on)
    summary_sheet(wb, c, st, lang)
    measures_sheet(wb, c, st, lang)
    matrix_sheet(wb, c, st, lang)
    missing_sheet(wb, c, st, lang)
    warnings_sheet(wb, c, st, lang)
    provenance_sheet(wb, c, st, lang)
    notes_sheet(wb, c, st, lang)
    wb.close()
    return buf.getvalue()


def write_report(
    c: Consolidated, path: Path, *, lang: Lang = "uk", made_on: date, force: bool = False
) -> Path:
    """Write the report to ``path`` (or, if it exists and not ``force``, to the first free
    «name (N).xlsx» beside it); return the path written."""
    return write_output(render_report(c, lang=lang, made_on=made_on), path, force=force)


def write_output(data: bytes, path: Path, *, force: bool = False) -> Path:
    """Atomically write ``data``. Without ``force`` a free name is claimed first with an
    exclusive create, so two runs at once never pick the same name or replace a file."""
    if force:
        atomic_write_bytes(path, data)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, _MAX_VERSIONS + 1):
        target = path if n == 1 else path.with_name(f"{path.stem} ({n}){path.suffix}")
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        try:
            atomic_write_bytes(target, data)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()  # the empty placeholder we claimed
            raise
        return target
    raise UsageError(
        f"Поруч із «{path}» уже є {_MAX_VERSIONS} версій звіту: вкажіть інше ім'я (-o) "
        "або --force, щоб замінити файл."
    )


def versioned(path: Path) -> Path:
    """The name ``write_output`` would pick now (for messages and dry runs)."""
    n = 1
    target = path
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return target
