"""The feedback copy: summary sheet first, flagged cells marked, the rest of the returned
workbook intact, and nothing from a message ever written as a formula or a link."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.collect.feedback import PINNED_TIME, feedback_workbook
from toolkit.issues import Issue, Location, issue
from toolkit.text import MAX_TEXT, clean_text

REPORT = "Звіт"
PROPS = {"zvit.form_id": "ZV-0042", "zvit.version": "1.0", "zvit.unit": "rda-1"}
PAYLOADS = (
    '=HYPERLINK("http://x.example/","click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1+2",
    "-3",
    "#N/A",
    "\x01bad\x0bcontrol",
)


def _original() -> bytes:
    wb = Workbook()
    intro = wb.active
    intro.title = "Інструкція"
    intro["A1"] = "Як заповнити форму"
    ws = wb.create_sheet(REPORT)
    ws["A1"] = "Звіт про виконання плану"
    ws.merge_cells("A1:D1")
    ws["A11"], ws["H11"], ws["I11"] = "№", "Виконано", "Стан"
    for r, (mid, value) in enumerate((("1.1", 12.5), ("1.2", None), ("1.3", 7)), start=12):
        ws.cell(r, 1, mid)
        cell = ws.cell(r, 8, value)
        cell.number_format = "#,##0.0##"
        cell.font = Font(name="Arial", italic=True)
        cell.border = Border(left=Side(style="thin"))
        cell.protection = Protection(locked=False)
        ws.cell(r, 9, "так").protection = Protection(locked=False)
    ws["J12"] = datetime(2025, 3, 1)
    ws["J13"] = CellRichText(["звичайний ", TextBlock(InlineFont(b=True), "жирний")])
    ws["I13"].comment = Comment("Моя примітка", "Виконавець")
    dv = DataValidation(type="list", formula1='"так,ні"')
    ws.add_data_validation(dv)
    dv.add("I12:I14")
    red = PatternFill("solid", fgColor="FF0000")
    negative = CellIsRule(operator="lessThan", formula=["0"], fill=red)
    ws.conditional_formatting.add("H12:H14", negative)
    ws.protection.sheet = True
    meta = wb.create_sheet("_zvit")
    meta["A1"], meta["B1"] = "form_id", "ZV-0042"
    meta.sheet_state = "hidden"
    wb.defined_names["zvit_form_id"] = DefinedName("zvit_form_id", attr_text='"ZV-0042"')
    wb.defined_names["zvit_ids"] = DefinedName("zvit_ids", attr_text="'Звіт'!$A$12:$A$14")
    for name, text in PROPS.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=text))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def original() -> bytes:
    return _original()


def _issues() -> list[Issue]:
    at = Location(sheet=REPORT, cell="H12", measure="1.1")
    return [
        issue("W_OVERRIDE_UNUSED", at, target="1.1"),
        issue("E_SCHEMA", at, detail="значення від'ємне"),
        issue("W_OVERRIDE_UNUSED", Location(sheet=REPORT, cell="I14", measure="1.3"), target="x"),
        issue("E_SCHEMA", Location(sheet=REPORT, cell="Z900"), detail="поза аркушем"),
        issue("E_SCHEMA", Location(file="звіт.xlsx"), detail="файл загалом"),
        issue("E_SCHEMA", Location(sheet=REPORT, cell="C1"), detail="у заголовку"),
        issue("E_SCHEMA", Location(sheet="Немає", cell="A1"), detail="аркуша немає"),
    ]


def _make(original: bytes, issues: list[Issue], **kw: Any) -> bytes:
    args: dict[str, Any] = {"unit_name": "Старобільська РДА", "period_label": "2025 рік"}
    return feedback_workbook(original, issues, **(args | kw))


def _open(data: bytes) -> Any:
    return load_workbook(BytesIO(data))


def _head_row(ws: Any) -> int:
    return int(next(c.row for c in ws["A"] if c.value in ("№", "No.")))


def _table(ws: Any) -> list[list[Any]]:
    top = _head_row(ws)
    return [[c.value for c in row] for row in ws.iter_rows(min_row=top + 1, max_col=8)]


def test_summary_is_first_active_and_the_only_selected_tab(original: bytes) -> None:
    wb = _open(_make(original, _issues()))
    assert wb.sheetnames == ["Зауваження", "Інструкція", REPORT, "_zvit"]
    assert wb.active.title == "Зауваження"
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets] == [True, False, False, False]
    assert wb["_zvit"].sheet_state == "hidden"
    summary = wb.worksheets[0]
    assert summary["A1"].value == "Зауваження до звіту: Старобільська РДА, 2025 рік"
    assert any(c.value == "Помилок: 5. Попереджень: 2." for c in summary["A"])


def test_one_row_per_issue_errors_first_with_internal_links(original: bytes) -> None:
    ws = _open(_make(original, _issues())).worksheets[0]
    rows = _table(ws)
    assert [r[0] for r in rows] == list(range(1, 8))
    assert [r[4] for r in rows] == ["Помилка"] * 5 + ["Попередження"] * 2
    assert rows[0][1:4] == [REPORT, "H12", "1.1"]
    assert rows[0][5] == "Значення від'ємне." and rows[0][7] == "E_SCHEMA"
    links = {c.value: c.hyperlink.location for c in ws["C"] if c.hyperlink}
    assert links == {
        "H12": "'Звіт'!H12",
        "Z900": "'Звіт'!Z900",
        "C1": "'Звіт'!C1",
        "I14": "'Звіт'!I14",
    }
    file_level = next(r for r in rows if r[5] == "Файл загалом.")
    assert file_level[1:4] == [None, None, None]


def test_flagged_cells_get_fill_and_one_note_the_rest_stays(original: bytes) -> None:
    ws = _open(_make(original, _issues()))[REPORT]
    h12, i14 = ws["H12"], ws["I14"]
    assert h12.fill.fgColor.rgb == "00FFC7CE"  # error and warning on one cell: red
    assert i14.fill.fgColor.rgb == "00FFEB9C"
    assert h12.comment.author == "zvit"
    note = h12.comment.text
    assert note.startswith("zvit:\nПомилка: Значення від'ємне.") and "Попередження:" in note
    assert (h12.value, h12.number_format, h12.font.italic) == (12.5, "#,##0.0##", True)
    assert h12.border.left.style == "thin" and h12.protection.locked is False
    assert ws["H13"].fill.fill_type is None and ws["H13"].comment is None
    assert ws.protection.sheet is True
    assert ws["A1"].fill.fgColor.rgb == "00FFC7CE"  # C1 lies inside the merged A1:D1
    assert ws.max_row == 14 and ws.max_column == 10  # Z900 was not created


def test_executor_note_is_kept_below_ours(original: bytes) -> None:
    found = [issue("E_SCHEMA", Location(sheet=REPORT, cell="I13"), detail="не зі списку")]
    note = _open(_make(original, found))[REPORT]["I13"].comment.text
    assert (
        note == "zvit:\nПомилка: Не зі списку. Виправте це поле за описом у схемі "
        "(папка schemas/).\n\nМоя примітка"
    )


def test_identity_and_structure_survive(original: bytes) -> None:
    wb = _open(_make(original, _issues()))
    assert {p.name: p.value for p in wb.custom_doc_props.props} == PROPS
    assert wb.defined_names["zvit_form_id"].attr_text == '"ZV-0042"'
    assert wb.defined_names["zvit_ids"].attr_text == "'Звіт'!$A$12:$A$14"
    ws = wb[REPORT]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["I12:I14"]
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == ["H12:H14"]
    assert ws["J12"].value == datetime(2025, 3, 1) and wb["_zvit"]["B1"].value == "ZV-0042"
    rich = load_workbook(BytesIO(_make(original, [])), rich_text=True)[REPORT]["J13"].value
    assert isinstance(rich, CellRichText) and rich[1].font.b  # runs are not flattened
    assert wb.properties.created == wb.properties.modified == PINNED_TIME


def test_same_inputs_same_bytes_and_original_untouched(original: bytes) -> None:
    before = bytes(original)
    assert _make(original, _issues()) == _make(original, _issues())
    assert original == before


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def test_injection_payloads_stay_plain_text(original: bytes) -> None:
    found = [issue("E_SCHEMA", Location(sheet=REPORT, cell="H12"), detail=p) for p in PAYLOADS]
    found += [
        issue("E_SCHEMA", Location(sheet=REPORT, cell="H14"), detail="x" * 40_000),
        issue(
            "E_SCHEMA",
            Location(sheet="=cmd|' /C calc'!A0", cell="=1+1", measure="@SUM(1)"),
            detail="#N/A",
        ),
    ]
    data = _make(original, found, unit_name='=HYPERLINK("http://x")', form_id="=1+2")
    parts = _parts(data)
    for name, xml in parts.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            assert not re.search(r"<f[\s>]", xml), name
            for link in re.findall(r"<hyperlink [^>]*>", xml):
                assert "location=" in link and "r:id" not in link, link
        assert 'TargetMode="External"' not in xml, name
    assert not any(n.startswith("xl/externalLinks") for n in parts)
    ws = _open(data).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(
        c.data_type == "s"
        for row in ws.iter_rows()
        for c in row
        if c.value is not None and not isinstance(c.value, int)
    )
    assert '=HYPERLINK("http://x.example/","click").' in texts
    assert "=cmd|' /C calc'!A0" in texts and "@SUM(1)" in texts and "=1+1" in texts
    assert "Badcontrol." in texts and not any("\x01" in t or "\x0b" in t for t in texts)
    longest = max(texts, key=len)
    assert len(longest) == MAX_TEXT and longest.endswith("…")
    formula_like = [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert formula_like and all(c.quotePrefix for c in formula_like)
    note = _open(data)[REPORT]["H12"].comment.text
    assert "=cmd|' /C calc'!A0" in note and "\x01" not in note


def test_clean_text_counts_utf16_units_and_drops_unwritable() -> None:
    cut = clean_text("😀" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_TEXT and cut.endswith("…")
    assert clean_text("a\x00b\x1fc\ud800d\tе\nf") == "abcd\tе\nf"


def test_english_labels(original: bytes) -> None:
    wb = _open(_make(original, _issues(), lang="en"))
    ws = wb.worksheets[0]
    assert ws.title == "Remarks" and ws["A1"].value.startswith("Remarks on the report:")
    rows = _table(ws)
    assert rows[0][4] == "Error" and rows[-1][4] == "Warning"
    assert rows[0][5] == "Значення від'ємне."  # params stay as given; the template is English
    assert wb[REPORT]["H12"].comment.text.startswith("zvit:\nError: ")


def test_no_issues_gives_an_empty_table(original: bytes) -> None:
    ws = _open(_make(original, [])).worksheets[0]
    assert _table(ws) == [] and any(c.value == "Помилок: 0. Попереджень: 0." for c in ws["A"])


def test_resubmitted_feedback_copy_loses_stale_marks(original: bytes) -> None:
    first = _make(original, _issues())
    second = _open(
        _make(first, [issue("E_SCHEMA", Location(sheet=REPORT, cell="I14"), detail="ще раз")])
    )
    assert second.sheetnames == ["Зауваження", "Інструкція", REPORT, "_zvit"]
    ws = second[REPORT]
    assert ws["H12"].comment is None and ws["H12"].fill.fill_type is None
    assert ws["I14"].comment.text.count("zvit:") == 1
    assert ws["I13"].comment.text == "Моя примітка"
    assert len(_table(second.worksheets[0])) == 1


def test_executor_sheet_with_our_name_is_kept(original: bytes) -> None:
    wb = _open(original)
    wb.create_sheet("Зауваження")["A1"] = "мої нотатки"
    buf = BytesIO()
    wb.save(buf)
    out = _open(_make(buf.getvalue(), _issues()))
    assert out.sheetnames[0] == "Зауваження (2)" and out["Зауваження"]["A1"].value == "мої нотатки"


def test_macro_workbook_comes_back_as_plain_xlsx(original: bytes) -> None:
    xlsm = BytesIO()
    with zipfile.ZipFile(BytesIO(original)) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "[Content_Types].xml":
                body = body.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(item, body)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really vba")
    parts = _parts(_make(xlsm.getvalue(), _issues()))
    assert "macroEnabled" not in parts["[Content_Types].xml"]
    assert "spreadsheetml.sheet.main+xml" in parts["[Content_Types].xml"]
    with zipfile.ZipFile(BytesIO(_make(xlsm.getvalue(), []))) as z:
        assert "xl/vbaProject.bin" not in z.namelist()
