"""``zvit plan export``: the plan as a .docx or .xlsx table a coordinator prints and checks
against the signed decision (what LibreOffice prints is asserted on), or edits and imports
again (the way back: tests/test_plan_files.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import LIBREOFFICE_PACKAGES, missing
from tests.support.libreoffice import LibreOfficeNotFound, _find_soffice
from toolkit.cli import cli
from toolkit.plan.io import load_plan

PLAN = Path(__file__).resolve().parent.parent / "examples" / "luhansk-2018-2026" / "plan.yaml"


def test_export_writes_the_table_and_says_what(tmp_path: Path) -> None:
    out = tmp_path / "план.docx"
    result = CliRunner().invoke(cli, ["plan", "export", str(PLAN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Записано {out}: розділів 8, заходів 95."
    assert out.read_bytes()[:2] == b"PK"
    english = CliRunner().invoke(
        cli, ["--lang", "en", "plan", "export", str(PLAN), "-o", str(tmp_path / "plan.xlsx")]
    )
    assert english.exit_code == 0, english.output
    assert english.output.strip().endswith("8 sections, 95 measures.")


def test_same_plan_same_document(tmp_path: Path) -> None:
    """The same plan gives the same parts (python-docx stamps its zip with the time)."""
    for suffix in (".docx", ".xlsx"):
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        for path in (a, b):
            result = CliRunner().invoke(cli, ["plan", "export", str(PLAN), "-o", str(path)])
            assert result.exit_code == 0
        assert _parts(a) == _parts(b), suffix


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("name", ["plan.csv", "plan.pdf", "plan"])
def test_other_formats_are_refused_plainly(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["plan", "export", str(PLAN), "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "План можна вивантажити у .docx (Word) або .xlsx (Excel)" in result.output
    assert "Traceback" not in result.output and not (tmp_path / name).exists()


@pytest.mark.slow
def test_printed_by_libreoffice(tmp_path: Path) -> None:
    """A4 landscape, the column titles on every page, and every word of every measure on
    paper: nothing cut off by a cell or a page."""
    try:
        soffice = _find_soffice(None)
    except LibreOfficeNotFound as exc:
        missing("LibreOffice", LIBREOFFICE_PACKAGES, str(exc))
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        missing("poppler", "poppler-utils")
    sources = []
    for suffix in (".docx", ".xlsx"):
        path = tmp_path / f"plan-{suffix[1:]}{suffix}"
        assert (
            CliRunner().invoke(cli, ["plan", "export", str(PLAN), "-o", str(path)]).exit_code == 0
        )
        sources.append(path)
    subprocess.run(
        [str(soffice), "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, sources)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    plan = load_plan(PLAN)
    for source in sources:
        pdf = tmp_path / "pdf" / f"{source.stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info
        pages = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True
        ).stdout.split("\f")[:-1]
        assert len(pages) > 2
        assert all("Найменування заходу" in page for page in pages), source.name
        printed = _words("".join(pages))
        for section in plan.sections:
            assert _words(section.title) <= printed, (source.name, section.title)
        for m in plan.measures():
            for text in (m.text, m.deadline.raw, m.executors.raw, m.indicator.raw):
                lost = _words(text) - printed
                assert not lost, (source.name, m.id, lost)


def _words(text: str) -> set[str]:
    """Hyphens left out: pdftotext joins a word broken at its hyphen without one."""
    return set(text.replace("-", "").split())
