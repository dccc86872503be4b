"""The generated council plans after LibreOffice has saved them: as .docx and .xlsx
again (LibreOffice writes merges, lists and tracked changes its own way), and as .odt,
.doc, .rtf, .ods and .xls, which the import converts through LibreOffice itself. Each
must still read word for word. A LibreOffice that hangs or fails is a coded error."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.councildocs import Layout
from tests.support.councilexcel import write_xlsx
from tests.support.councilword import write_docx
from tests.support.libreoffice import LibreOffice
from tests.test_plan_documents import EXAMPLES, NAMES, differences, import_generated
from toolkit.errors import InvalidFileError
from toolkit.plan.importers import convert
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan

WORD = Layout(
    "word",
    numbering="auto",
    merge_down=True,
    executors_lines=True,
    tracked=True,
    soft_hyphens=True,
    split_table=True,
    signature_row=True,
    sections="split",
)
EXCEL = Layout("excel", cover_sheet=True, merge_down=True, dates=True, numbers=True,
               hidden_sheet=True, signature_below=True)  # fmt: skip


def _saved(libreoffice: LibreOffice, src: Path, tmp_path: Path, fmt: str) -> Path:
    """``src`` saved by LibreOffice as ``fmt``. A .doc is saved from .odt: LibreOffice's
    own .docx → .doc export drops the tables python-docx writes (Word's .doc files have
    them, and that is what a council sends)."""
    if fmt == "doc":
        src = libreoffice.convert(src, tmp_path / "via-odt", "odt")
    return libreoffice.convert(src, tmp_path / fmt, fmt)


def _check(name: str, path: Path, want: dict[str, object], converted: bool) -> None:
    result = import_generated(name, path)
    codes = {i.code for i in result.issues}
    assert [i.message() for i in result.issues if i.severity == "error"] == []
    assert result.plan is not None
    assert differences(result.plan.to_dict() | {"source": ""}, want) == []
    assert ("I_PLAN_CONVERTED" in codes) == converted


@pytest.mark.parametrize("name", NAMES)
def test_word_plan_saved_by_libreoffice(
    name: str, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    src = tmp_path / "plan.docx"
    want = write_docx(load_plan(EXAMPLES / name / "plan.yaml"), WORD, src)
    formats = ("docx", "odt", "rtf") if name.startswith("hlukhiv") else ("docx", "odt")
    for fmt in formats:
        _check(name, _saved(libreoffice, src, tmp_path, fmt), want, converted=fmt != "docx")


def test_word_97_plan(libreoffice: LibreOffice, tmp_path: Path) -> None:
    """A .doc reads word for word. LibreOffice's .doc export splits a list restarted in
    each section into separate lists (LibreOffice itself then shows "1., 1., 2."): the
    import reads the numbers as shown and reports the repeat, never a quiet difference."""
    name = "hlukhiv-2020-2026"
    plan = load_plan(EXAMPLES / name / "plan.yaml")
    typed = tmp_path / "typed.docx"
    want = write_docx(plan, replace(WORD, numbering="typed"), typed)
    _check(name, _saved(libreoffice, typed, tmp_path / "typed", "doc"), want, converted=True)
    auto = tmp_path / "auto.docx"
    want = write_docx(plan, WORD, auto)
    result = import_generated(name, _saved(libreoffice, auto, tmp_path / "auto", "doc"))
    codes = {i.code for i in result.issues}
    got = result.plan.to_dict() | {"source": ""} if result.plan else {}
    same = not differences(got, want)
    assert same or codes & {"E_NUMBERING_REPEAT", "E_NUMBERING_GAP", "E_NUMBERING_ORDER"}


@pytest.mark.parametrize("name", NAMES)
def test_excel_plan_saved_by_libreoffice(
    name: str, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    src = tmp_path / "plan.xlsx"
    want = write_xlsx(load_plan(EXAMPLES / name / "plan.yaml"), EXCEL, src)
    formats = ("xlsx", "ods", "xls") if name.startswith("hlukhiv") else ("xlsx", "ods")
    for fmt in formats:
        saved = libreoffice.convert(src, tmp_path / fmt, fmt)
        _check(name, saved, want, converted=fmt != "xlsx")


def test_doc_renamed_docx_is_read_through_libreoffice(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    name = "hlukhiv-2020-2026"
    src = tmp_path / "plan.docx"
    want = write_docx(load_plan(EXAMPLES / name / "plan.yaml"), Layout("t"), src)
    doc = _saved(libreoffice, src, tmp_path, "doc")
    renamed = tmp_path / "renamed.docx"
    renamed.write_bytes(doc.read_bytes())
    _check(name, renamed, want, converted=True)


# --- a LibreOffice that misbehaves (stand-ins; POSIX shell scripts) --------------------------


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.slow  # starts a stand-in soffice, one waits for its timeout
@pytest.mark.skipif(sys.platform == "win32", reason="stand-in soffice is a shell script")
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("sleep 30", "не впорався"),
        ("echo 'Error: source file could not be loaded' >&2; exit 1", "could not be loaded"),
        ("exit 0", "не створив файл"),
    ],
)
def test_conversion_failures_are_coded(
    body: str, detail: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZVIT_SOFFICE", str(_fake_soffice(tmp_path, body)))
    monkeypatch.setattr(convert, "TIMEOUT", 1.0)
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Plan}")
    with pytest.raises(InvalidFileError) as err:
        import_plan(rtf)
    [found] = err.value.issues
    assert found.code == "E_PLAN_CONVERT_FAILED"
    assert detail in found.what("uk")
