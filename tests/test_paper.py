"""Every workbook and document zvit writes, printed through LibreOffice to PDF and read
back from the paper: A4, no text below 8 points, every page of a wide table carrying its
row labels, a bounded page count, the signature lines present."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.libreoffice import LibreOffice
from tests.support.printed import Page, pages, smallest_text
from tests.test_report_data import MADE_ON, random_dataset
from toolkit.collect.feedback import feedback_workbook
from toolkit.collect.outcome import CollectRun, FileOutcome
from toolkit.collect.runreport import render_xlsx
from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.issues import Location, issue
from toolkit.ledger.rows import Source
from toolkit.paper import MIN_POINTS
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.report.document import render_document
from toolkit.report.writer import render_report
from toolkit.resources import examples_dir, templates_dir
from toolkit.workspace import ReportSettings

LUHANSK = examples_dir() / "luhansk-2018-2026"
UNIT = "rda-starobilsk"  # the widest form of the example: 23 measures
# pdfplumber reports a glyph's size from the page's matrix: allow its rounding only.
LEGIBLE = MIN_POINTS - 0.05
MEASURE_ID = re.compile(r"\b[IVX]+\.\d+(?:\.\d+)?\b")


def _form() -> tuple[bytes, list[str]]:
    plan, registry = load_plan(LUHANSK / "plan.yaml"), load_registry(LUHANSK / "units.yaml")
    [spec] = build_specs(plan, registry, load_definition("annual"), Period(2025), only=[UNIT])
    return render_form(spec), [r.measure.id for r in spec.rows]


def _print(lo: LibreOffice, data: bytes, name: str, tmp: Path) -> list[Page]:
    src = tmp / name
    src.write_bytes(data)
    printed = pages(lo.convert(src, tmp / "pdf", "pdf"))
    assert printed and all(p.is_a4 for p in printed), name
    return printed


def _table_pages(printed: list[Page], heading: str) -> list[Page]:
    """The pages of a sheet, by the text its repeated header carries."""
    return [p for p in printed if heading in p.text]


def test_form_prints_legibly_with_labels_on_every_page(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    data, ids = _form()
    printed = _print(libreoffice, data, "form.xlsx", tmp_path)
    assert smallest_text(printed) >= LEGIBLE
    first = printed[0].text  # the instruction sheet, whole: nothing cut at the page edge
    assert "змінювати не можна" in first and "Кошти — у тисячах гривень" in first
    table = [p for p in printed[1:] if "№ заходу" in p.text]
    assert len(table) >= 2  # the wide table spans pages across
    for page in table:
        assert MEASURE_ID.search(page.text), f"page {page.number} has no measure number"
    seen = {m for p in table for m in MEASURE_ID.findall(p.text)}
    assert set(ids) <= seen
    assert len(printed) <= 2 + 2 * len(ids) // 3  # about three measures a page at least
    last = printed[-1].text
    assert "Керівник" in "\n".join(p.text for p in printed[-2:])
    assert "(ПІБ)" in last or "(ПІБ)" in printed[-2].text
    assert "Виконавець, телефон" in "\n".join(p.text for p in printed[-2:])


def test_feedback_copy_prints_legibly(libreoffice: LibreOffice, tmp_path: Path) -> None:
    data, ids = _form()
    found = [
        issue(
            "W_NUMBER_AS_TEXT",
            Location(sheet="Звіт", cell="M16", measure=ids[0]),
            column="x",
            value="12,5",
            number=12.5,
        )
        for _ in range(3)
    ]
    copy = feedback_workbook(data, found, unit_name="Старобільська РДА", period_label="2025 рік")
    printed = _print(libreoffice, copy, "copy.xlsx", tmp_path)
    assert smallest_text(printed) >= LEGIBLE
    assert "Зауваження до звіту" in printed[0].text


def test_report_workbook_prints_legibly(libreoffice: LibreOffice, tmp_path: Path) -> None:
    c = random_dataset(7, coverage=0.8).merge()
    people = ReportSettings(signer_position="Начальник служби", signer_name="Ірина КОВАЛЕНКО")
    data = render_report(c, made_on=MADE_ON, people=people)
    printed = _print(libreoffice, data, "report.xlsx", tmp_path)
    assert smallest_text(printed) >= LEGIBLE
    title = printed[0].text
    assert "Ірина КОВАЛЕНКО" in title and "(підпис)" in title
    assert "Виконавець, телефон" in title
    measures = [p for p in printed if p.text.splitlines()[0].endswith("Заходи")]
    assert len(measures) > 1
    for page in measures:
        assert MEASURE_ID.search(page.text), f"page {page.number} has no measure number"
    matrix = [p for p in printed if p.text.splitlines()[0].endswith("Матриця виконавців")]
    for page in matrix:
        assert "Код одиниці" in page.text, f"page {page.number} lost the units' columns"
    assert len(printed) <= 12 * len(c.rows)
    missing = "\n".join(
        p.text for p in printed if p.text.splitlines()[0].endswith("Неподані та запізнілі")
    )
    assert "rejected" not in missing
    assert not re.search(r"\d{4}-\d{2}-\d{2}", missing)  # one date format: ДД.ММ.РРРР


def test_report_document_prints_by_dstu(libreoffice: LibreOffice, tmp_path: Path) -> None:
    c = random_dataset(8, coverage=0.7).merge()
    people = ReportSettings(
        addressee="Голові обласної державної адміністрації\nІвану ПЕТРЕНКУ",
        signer_position="Начальник служби у справах дітей",
        signer_name="Ірина КОВАЛЕНКО",
        executor="Олена Мельник, (0642) 00-00-00",
    )
    template = templates_dir() / "docx" / "report.docx"
    data = render_document(c, template, made_on=MADE_ON, people=people)
    printed = _print(libreoffice, data, "report.docx", tmp_path)
    assert smallest_text(printed) >= 12 - 0.05  # 14 for text, 12 in the table
    assert "Про стан виконання Регіонального плану" in printed[0].text
    assert not printed[0].text.strip().splitlines()[0].strip().isdigit()  # no number on p. 1
    for page in printed[1:]:
        assert page.text.strip().splitlines()[0].strip() == str(page.number)
    text = "\n".join(p.text for p in printed)
    assert "Ірина КОВАЛЕНКО" in text and "Начальник служби у справах дітей" in text
    assert "Івану ПЕТРЕНКУ" in text
    assert len(printed) <= 3 + len(c.rows)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_template_resaved_by_libreoffice_still_renders(
    libreoffice: LibreOffice, tmp_path: Path, lang: str
) -> None:
    """A coordinator opens the template in LibreOffice, saves it as .docx: it still works."""
    resaved = libreoffice.convert(templates_dir() / "docx" / "report.docx", tmp_path, "docx")
    c = random_dataset(9, coverage=0.9).merge()
    data = render_document(c, resaved, lang="en" if lang == "en" else "uk", made_on=MADE_ON)
    printed = _print(libreoffice, data, f"report-{lang}.docx", tmp_path)
    text = "\n".join(p.text for p in printed)
    assert "{{" not in text and "{%" not in text
    # (a header cell wraps: its lines are read between the other cells' words)
    assert ("Measure" if lang == "en" else "Найменування") in text
    for row in c.rows[:5]:
        assert row.measure.id in text


def _run(files: int) -> CollectRun:
    """A collect run with many files, each with a long path and a few problems."""
    run = CollectRun(
        run_id=7,
        period="2025",
        inputs=["/inbox"],
        started_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )
    for n in range(files):
        name = f"звіт-{n:03d} Старобільська районна державна адміністрація.xlsx"
        where = Location(file=name, sheet="Звіт", cell="M16", measure="I.1.1")
        run.files.append(
            FileOutcome(
                order=(n,),
                name=name,
                source=Source("file", f"/home/coordinator/Завантаження/листи/{name}", name),
                sha256=f"{n:064x}",
                size=12_345,
                fmt="xlsx",
                status="new",
                verdict="rejected" if n % 3 else "accepted",
                unit=UNIT,
                period="2025",
                submission_id=n + 1,
                issues=[issue("E_VALUE_REQUIRED", where, column="Що зроблено", reason="")]
                * (n % 3),
            )
        )
    return run


def test_run_report_prints_legibly_with_the_file_on_every_page(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    registry = load_registry(LUHANSK / "units.yaml")
    printed = _print(libreoffice, render_xlsx(_run(60), registry), "run.xlsx", tmp_path)
    assert smallest_text(printed) >= LEGIBLE
    # every page across carries the file's number, name and unit (label columns repeated)
    assert all("звіт-" in p.text for p in printed)
    assert all("Перевірка поданих файлів" in p.text for p in printed)  # the header
    assert len(printed) <= 24
