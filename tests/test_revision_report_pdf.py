"""What a coordinator prints of the report of the year an amendment took effect: the
title names the revision, and the sheet of plan changes reads as the difference does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import LIBREOFFICE_PACKAGES, missing
from tests.revision_cycle import amend, report, workspace
from toolkit.periods import Period


def _pdf(xlsx: Path, out: Path) -> Path:
    """As a coordinator prints it: LibreOffice's own PDF export (a profile of its own)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        missing("LibreOffice", LIBREOFFICE_PACKAGES)
    profile = (out / "profile").as_uri()
    options = ["--headless", "--convert-to", "pdf", "--outdir", str(out)]
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", *options, str(xlsx)],
        capture_output=True,
        check=True,
        timeout=180,
    )
    return out / f"{xlsx.stem}.pdf"


@pytest.mark.slow
def test_the_printed_report_names_the_revision_and_its_changes(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        missing("pdftotext", "poppler-utils")
    ws = workspace(tmp_path, "hlukhiv-2020-2026")
    what = amend(ws, "hlukhiv-2020-2026")
    report(ws, Period(2022))
    pdf = _pdf(ws.root / "reports" / "2022.xlsx", tmp_path / "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Редакція плану" in flat and "№ 45 від 12.03.2022" in flat
    assert "Зміни плану" in flat
    changes = flat[flat.index("Що змінено") :]  # the sheet of changes, in columns
    for kind in ("об'єднано", "розділено", "вилучено", "додано", "змінено номер"):
        assert kind in changes, kind
    assert "перенесено з розділу" in changes and "цільове значення збільшено з 97 до 99" in flat
    assert f"вилучено {what.deleted}" in changes
    earlier = ws.root / "reports" / "2021.xlsx"
    report(ws, Period(2021))
    old = _pdf(earlier, tmp_path / "pdf21")
    old_text = subprocess.run(
        ["pdftotext", str(old), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Зміни плану" not in old_text and "Редакція плану" not in old_text
