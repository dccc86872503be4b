"""The report document (docx): what it says, read back with python-docx; the template and
the workspace's copy of it; the PDF's coded errors; the print rule of toolkit.paper."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from tests.test_report_data import EXAMPLE, MADE_ON, random_dataset
from toolkit import paper
from toolkit.cli import cli
from toolkit.errors import ToolError
from toolkit.report.document import TEMPLATE, render_document, subject
from toolkit.report.docx_template import build_template
from toolkit.report.model import UnitAnswer
from toolkit.report.pdf import to_pdf
from toolkit.resources import templates_dir
from toolkit.workspace import TEMPLATES, ReportSettings, Workspace, init_from_example

SHIPPED = templates_dir() / TEMPLATE


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_shipped_template_is_current() -> None:
    with zipfile.ZipFile(SHIPPED) as z, zipfile.ZipFile(io.BytesIO(build_template())) as b:
        assert {n: z.read(n) for n in z.namelist()} == {n: b.read(n) for n in b.namelist()}, (
            "regenerate: uv run python -m toolkit.report.docx_template"
        )


def test_document_says_what_the_report_holds() -> None:
    c = random_dataset(11, coverage=0.7).merge()
    people = ReportSettings(
        addressee="Голові ОДА\nІвану ПЕТРЕНКУ",
        signer_position="Начальник служби",
        signer_name="Ірина КОВАЛЕНКО",
        executor="Олена Мельник, 0642 000000",
    )
    text = _text(render_document(c, SHIPPED, made_on=MADE_ON, people=people, sender="ССД"))
    assert "Про стан виконання Регіонального плану заходів" in text
    assert "за 2025 рік" in text
    assert "12.12.2018" in text and "2018-12-12" not in text
    assert f"До звіту включено заходів: {len(c.rows)}" in text
    for row in c.rows:
        assert row.measure.id in text
    for u in c.missing:
        assert u.name in text
    executors = {a.unit for r in c.rows for a in r.answers}
    shorts = {a.short for r in c.rows for a in r.answers}
    assert any(s in text for s in shorts)
    assert not any(f"\n{uid}\n" in text or f", {uid}," in text for uid in executors)
    for word in ("Ірина КОВАЛЕНКО", "Начальник служби", "Івану ПЕТРЕНКУ", "Олена Мельник"):
        assert word in text
    assert "{{" not in text and "{%" not in text


def test_untrusted_text_stays_text() -> None:
    c = random_dataset(12, coverage=1.0).merge()
    row = c.rows[0]
    evil = UnitAnswer(
        unit="x",
        short="<b>Хтось</b> & Co",
        status="виконано",
        texts={c.text_keys[0]: "{{ 7*7 }} <w:p/> \x01\x0b кінець"},
        submission=1,
    )
    rows = (dataclasses.replace(row, answers=(*row.answers, evil)), *c.rows[1:])
    data = render_document(dataclasses.replace(c, rows=rows), SHIPPED, made_on=MADE_ON)
    text = _text(data)
    assert "{{ 7*7 }} <w:p/> кінець" in text and "<b>Хтось</b> & Co" in text
    assert "49" not in text.split("<b>Хтось</b>")[1][:40]


def test_english_document_has_no_ukrainian_labels() -> None:
    c = random_dataset(13, coverage=0.8).merge()
    text = _text(render_document(c, SHIPPED, lang="en", made_on=MADE_ON))
    assert "On the implementation of the action plan" in text
    assert "Measure" in text and "Найменування заходу" not in text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Регіональний план заходів щодо реформування",
            "Про стан виконання Регіонального плану заходів щодо реформування за 2025 рік",
        ),
        (
            "Регіональний стратегічний план дій",
            "Про стан виконання Регіонального стратегічного плану дій за 2025 рік",
        ),
        ("План заходів", "Про стан виконання Плану заходів за 2025 рік"),
        (
            "Заходи щодо підтримки сімей",
            "Про стан виконання плану заходів «Заходи щодо підтримки сімей» за 2025 рік",
        ),
    ],
)
def test_subject_in_the_genitive_or_quoted(title: str, expected: str) -> None:
    assert subject(title, "2025 рік", "uk") == expected


def test_workspace_copy_of_the_template_wins(tmp_path: Path) -> None:
    ws = init_from_example(tmp_path / "ws", EXAMPLE)
    own = ws.root / TEMPLATES / TEMPLATE
    assert own.read_bytes() == SHIPPED.read_bytes()  # zvit init copied it
    assert ws.template(TEMPLATE) == own
    own.unlink()
    assert ws.template(TEMPLATE) == SHIPPED
    own.write_bytes(b"edited")
    init_from_example(tmp_path / "ws", EXAMPLE, force=True)
    assert own.read_bytes() == b"edited"  # init never replaces a coordinator's template


def test_report_settings_are_checked(tmp_path: Path) -> None:
    ws = init_from_example(tmp_path / "ws", EXAMPLE)
    assert ws.report_settings() == ReportSettings()
    bad = Workspace(ws.root, {"report": {"signer_name": 5}})
    with pytest.raises(Exception, match="signer_name"):
        bad.report_settings()


def test_cli_docx_and_a_clear_error_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = init_from_example(tmp_path / "ws", EXAMPLE)
    out = ws.root / "звіт.docx"
    args = ["-w", str(ws.root), "report", "-p", "2025", "--empty"]
    run = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "W_DOCUMENT_NO_SIGNER" in run.output
    assert "Про стан виконання" in _text(out.read_bytes())
    monkeypatch.setenv("ZVIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ToolError, match="E_PDF_NO_LIBREOFFICE"):
        to_pdf(out.read_bytes())
    pdf = CliRunner().invoke(cli, [*args, "--format", "pdf"])
    assert pdf.exit_code == 2
    assert "E_PDF_NO_LIBREOFFICE" in pdf.output and "LibreOffice" in pdf.output


def test_legible_scale_spans_pages_rather_than_shrinking() -> None:
    narrow = paper.fit([10, 40, 20], landscape=True)
    assert narrow == paper.Fit(100, 1)
    wide = paper.fit([9, 48, *[20] * 20], landscape=True, repeat=1)
    assert wide.scale >= 80 and wide.across > 1
    assert paper.pages_across([9, 48, *[20] * 20], wide.scale, True, 1) == wide.across
    assert paper.legible_scale(10) == 80
    header = paper.header_text("A & B " * 100)
    assert len(header) <= 255 and "&&" in header


@pytest.mark.parametrize("keep_name", [True, False])
def test_what_is_written_on_the_signature_lines_is_not_a_row(keep_name: bool) -> None:
    """The reader ends the table at the signature block: by its defined name, or (a client
    that dropped the name) by its label."""
    from openpyxl import load_workbook

    from tests.forms_support import example, form_ids
    from toolkit.forms import layout as L
    from toolkit.forms.definition import load_definition
    from toolkit.forms.spec import build_specs
    from toolkit.forms.writer import render_form
    from toolkit.periods import Period

    plan, registry = example("luhansk-2018-2026")
    definition = load_definition("annual")
    [spec] = build_specs(plan, registry, definition, Period(2025), only=["rda-starobilsk"])
    wb = load_workbook(io.BytesIO(render_form(spec)))
    ws = wb["Звіт"]
    lay = L.Layout(definition, len(spec.rows))
    ws.cell(lay.sign_row + 1, L.SIGN_NAME_COL + 1, "Петро ІВАНЕНКО")
    ws.cell(lay.sign_row + 4, L.SIGN_LINE_COL + 1, "Олена Мельник, 050 000 00 00")
    if not keep_name:
        del wb.defined_names[L.NAME_SIGN]
    out = io.BytesIO()
    wb.save(out)
    assert form_ids(out.getvalue()) == [r.measure.id for r in spec.rows]
