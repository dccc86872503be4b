"""The XML fast path (toolkit/validate/sheetxml.py, ``sheets.XmlSheets`` behind the seam)
against python-calamine, the reader it stands in for, shape by shape: on every sheet it
must give calamine's grid exactly, values and types, or decline; the shapes it leaves to
calamine on purpose are listed here. That it answers for every form and return, and
agrees with calamine there, is tests/test_sheet_readers.py's."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from toolkit.cellref import column_letter
from toolkit.forms.blank import render_blank
from toolkit.gate.sniff import inspect
from toolkit.validate.parts import Members, read_parts
from toolkit.validate.sheets import CalamineSheets, Declined, XmlSheets

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def compare(data: bytes) -> dict[str, bool]:
    """Sheet name → whether the fast path answered; every answer must be calamine's grid."""
    gate = inspect(data, "book.xlsx")
    assert gate.usable, [i.code for i in gate.issues]
    members = Members(data, gate.inflated, gate.names)
    parts = read_parts(members)
    fast = XmlSheets(members, parts)
    answered = {}
    for name in parts.sheet_paths:
        got = fast.grid(name)
        answered[name] = not isinstance(got, Declined)
        if not isinstance(got, Declined):  # calamine must not fail where the fast path answered
            expected = CalamineSheets(data).grid(name)
            assert [[type(v) for v in row] for row in got] == [
                [type(v) for v in row] for row in expected
            ], name
            assert got == expected, name
    return answered


def package(
    cells: str,
    strings: str | None = None,
    formats: str = "",
    xfs: str = "0 14",
    workbook_pr: str = "",
) -> bytes:
    """A minimal .xlsx around one sheet's <sheetData> (raw XML, written as given)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": rels(("officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS} xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><workbookPr'
        f'{workbook_pr}/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels(
            ("worksheet", "worksheets/sheet1.xml"),
            ("styles", "styles.xml"),
            ("sharedStrings", "sharedStrings.xml"),
        ),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
        f"<sheetData>{cells}</sheetData></worksheet>",
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet {NS}><numFmts>{formats}</numFmts>'
        "<cellXfs>"
        + "".join(f'<xf numFmtId="{i}"/>' for i in xfs.split())
        + '</cellXfs><extLst><ext uri="{EB79DEF2}" xmlns:x14="urn:x14"><x14:slicerStyles '
        'defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst></styleSheet>',
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst {NS}>{strings}</sst>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode())
    return buf.getvalue()


def rels(*targets: tuple[str, str]) -> str:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    return (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{kind}{t}" Target="{target}"/>'
            for i, (t, target) in enumerate(targets, 1)
        )
        + "</Relationships>"
    )


def test_a_filled_form_is_read_fast() -> None:
    """A form from the project's own generator, filled in with openpyxl."""
    book = openpyxl.load_workbook(io.BytesIO(render_blank("annual")))
    sheet = book["Звіт"]
    sheet["D6"], sheet["D7"] = "Іваненко І. І., головний спеціаліст ", "+380 44 123 45 67"
    sheet["D8"], sheet["D9"] = "ivanenko@example.org", dt.datetime(2026, 1, 15)
    sheet["H13"], sheet["I13"] = "виконано", "Проведено 4 засідання;\nпротоколи № 1–4 & <інші>"
    sheet["J13"], sheet["K13"], sheet["L13"], sheet["N13"] = 4, 12.5, 0.1 + 0.2, -0.0
    sheet["H14"], sheet["J14"], sheet["P14"] = "не виконано", "12,5", "  "
    buf = io.BytesIO()
    book.save(buf)
    assert all(compare(buf.getvalue()).values())


@pytest.mark.parametrize("epoch1904", [False, True])
def test_values_of_every_kind_written_by_openpyxl(epoch1904: bool) -> None:
    book = openpyxl.Workbook()
    if epoch1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet["C3"] = "the grid still starts at A1"
    formats = [
        "dd.mm.yyyy",
        "yyyy-mm-dd hh:mm",
        "h:mm:ss",
        "[h]:mm:ss",
        "mm:ss",
        "General",
        "0.00",
        "0%",
        "d-mmm-yy",
        '"Дата: "dd.mm.yyyy',
        "@",
        "h:mm AM/PM",
        "[mm]:ss",
    ]
    values = [
        dt.datetime(2024, 2, 29, 13, 45, 7, 250000),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.time(6, 30),
        dt.timedelta(hours=30, minutes=5),
        0,
        0.5,
        1,
        59,
        60,
        61,
        -1,
        -0.25,
        45000.123456789,
        1e-9,
        123456,
    ]
    for row, number_format in enumerate(formats, start=5):
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value).number_format = number_format
    sheet.append(
        [
            True,
            False,
            "#N/A",
            "#DIV/0!",
            "  padded  ",
            1e308,
            -0.0,
            2**53 + 1,
            5,
            "a\nb\r\nc",
            "a_x000D_b",
            "<&>\"'",
        ]
    )
    sheet["Z40"].style = "Good"  # a styled empty cell beyond the values: not in the grid
    sheet["A41"], sheet["AB60"] = "=A5*2", "=1+1"  # formulas without a value: neither
    book.create_sheet("Empty")["B2"].number_format = "0.00"
    buf = io.BytesIO()
    book.save(buf)
    assert compare(buf.getvalue()) == {"Sheet": True, "Empty": True}


@pytest.mark.parametrize("epoch1904", [False, True])
def test_formulas_rich_text_and_escapes_written_by_xlsxwriter(epoch1904: bool) -> None:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"date_1904": epoch1904})
    sheet = book.add_worksheet("Формули")
    bold = book.add_format({"bold": True})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_formula("A1", "=1+1", None, 2)
    sheet.write_formula("A2", '="a"&"b"', None, "ab")
    sheet.write_formula("A3", "=1=1", None, True)
    sheet.write_formula("A4", "=1/0", None, "#DIV/0!")
    sheet.write_formula("A5", '=" x "', None, "  spaced  ")
    sheet.write_formula("A6", "=NOW()", stamp, 45000.5)
    sheet.write_formula("A7", "=A1", book.add_format({"num_format": "[h]:mm"}), 1.25)
    sheet.write_array_formula("A8:A9", "{=A1:A2}", None, 7)
    sheet.write_rich_string("B1", "plain ", bold, "bold", " tail ")
    sheet.write_string("B2", "  lead and trail  ")
    sheet.write_string("B3", "cr\rlf\nboth\r\n")
    sheet.write_string("B4", "ctl\x01\x07x")
    sheet.write_string("B5", "lit _x000D_ and _x005F_")
    sheet.write_string("B6", "Ünïcödé ѣ 😀 &amp; <tag>")
    sheet.write_string("B7", "")
    sheet.write_number("C1", -1e-320)
    sheet.write_datetime("C2", dt.datetime(2030, 1, 1, 0, 0, 0, 1000), stamp)
    sheet.write_url("C3", "https://example.org", string="link")
    sheet.write_blank("D9", None, bold)
    formats = [
        "yyyy",
        "mmm",
        "hh",
        "ss.0",
        "[ss]",
        "m/d",
        "0.0E+00",
        "# ?/?",
        "[Red][<0]0;0",
        "*-0",
        "0_y",
        'h"h"',
        "am/pm",
        "dddd",
        "[$-409]mmmm",
        "\\d0",
        "[h",
        "h]",
        "[>=100][Magenta].00",
        "a",
        "A/P",
        "#,##0*y",
        "*-yyyy",
        "[$€-2] #,##0",
    ]
    codes = book.add_worksheet("Formats")
    for row, code in enumerate(formats):
        number_format = book.add_format({"num_format": code})
        for col, value in enumerate([45000.75, 0.75, 45000, -2.5]):
            codes.write_number(row, col, value, number_format)
        codes.write_string(row, 4, code)
    book.close()
    assert compare(buf.getvalue()) == {"Формули": True, "Formats": True}


STRINGS = (
    "<si><t>plain</t></si><si><t/></si><si></si><si><t>  trimmed \n</t></si>"
    '<si><t xml:space="preserve">  kept  </t></si><si><t xml:space="default"> cut </t></si>'
    '<si><r><t>rich </t></r><r><rPr><b/></rPr><t xml:space="preserve"> run </t></r></si>'
    '<si><t>base</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><phoneticPr fontId="0"/></si>'
    "<si><t>a&amp;b&lt;c&gt;&quot;&apos;&#1047;&#x41;&#13;</t></si>"
    "<si><t>_x000D_x_x005F_x000D_y_x0100_x0041__X0041_</t></si><si><t>cr\r\nlf\r</t></si>"
    "<si>\n  <r><t>pretty</t></r>\n  <r><t> printed</t></r>\n</si><si><t>a</t><t>b</t></si>"
)
ANSWERED = {  # sheetData → calamine's grid must come out of the fast path
    "gaps and a styled blank beyond": '<row r="5"><c r="C5"><v>1</v></c><c r="F5" s="1"/>'
    '</row><row r="7"><c r="B7" t="s"><v>0</v></c></row><row r="9" s="1"/>',
    "numbers": '<row r="1"><c r="A1"><v>1E+2</v></c><c r="B1"><v>-0</v></c><c r="C1">'
    '<v>.5</v></c><c r="D1"><v>+5</v></c><c r="E1"><v>1E-320</v></c><c r="F1" t="n">'
    '<v>007</v></c><c r="G1"><v>1e400</v></c><c r="H1" s="9"><v>45000.5</v></c></row>',
    "dates": '<row r="1"><c r="A1" s="1"><v>45000.75</v></c><c r="B1" s="01"><v>60</v></c>'
    '<c r="C1" s="1"><v>-1.5</v></c><c r="D1" s="1"><v>0.99999999999</v></c><c r="E1" '
    's="2"><v>2958465.9999</v></c><c r="F1" s="2"><v>2958466</v></c><c r="G1" s="2"><v>'
    '1e170</v></c><c r="H1" s="9"><v>-45000.25</v></c></row>',
    "errors and booleans": '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v>'
    '</c><c r="F2" t="e"><v>#N/A</v></c></row><row r="3">'
    + "".join(
        f'<c r="{col}3" t="e"><v>{code}</v></c>'
        for col, code in zip(
            "ABCDEFG",
            ["#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#N/A"],
            strict=True,
        )
    )
    + "</row>",
    "formula strings": '<row r="1"><c r="A1" t="str"><f>X</f><v> a&amp;b&#13;c\r\nd'
    '_x000D_e </v></c><c r="B1" t="str"><v></v></c><c r="C1"><f t="shared" ref="C1:C2" '
    'si="0">A1</f><v>1</v></c></row><row r="2"><c r="C2"><f t="shared" si="0"/><v>2</v>'
    "</c></row>",
    "shared strings": "<row>"
    + "".join(f'<c r="{column_letter(i)}1" t="s"><v>{i}</v></c>' for i in range(13))
    + "</row>",
    "inline strings": '<row r="1"><c r="A1" t="inlineStr"><is><t> x </t></is></c>'
    '<c r="B1" t="inlineStr"><is><r><t>a</t></r><r><t xml:space="preserve"> b</t></r></is>'
    '</c><c r="C1" s="1" t="inlineStr"><is><t>&#1047;</t></is></c></row>',
    "attributes in other orders": '<row r="1" spans="1:3" x14ac:dyDescent="0.25">'
    '<c r="A1" t="s" s="1"><v>0</v></c><c r="B1" cm="1" vm="1" s="1"><v>2</v></c>'
    '<c r="C1" s="1" ></c></row>\n<row r="2">\n <c r="A2"><v>3</v></c>\n</row>',
    "formulas without a value": '<row r="1"><c r="A1"><v>1</v></c><c r="D1"><f>A1</f><v>'
    '</v></c></row><row r="5"><c r="B5"><f>A1</f></c><c r="C5" t="str"><f>A1</f><v></v></c>'
    "</row>",
    "only blank cells": '<row r="1"><c r="A1" s="1"/><c r="B1" t="n"></c></row>',
    "nothing": "",
}
REFUSED = {  # sheetData → shapes the fast path leaves to calamine
    "a cell without r": '<row r="1"><c><v>1</v></c></row>',
    "cells out of order": '<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>',
    "a repeated cell": '<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>',
    "r after s": '<row r="1"><c s="1" r="A1"><v>1</v></c></row>',
    't="d"': '<row r="1"><c r="A1" t="d"><v>2024-01-02</v></c></row>',
    "an unknown type": '<row r="1"><c r="A1" t="zz"><v>1</v></c></row>',
    "an unknown error": '<row r="1"><c r="A1" t="e"><v>#SPILL!</v></c></row>',
    "a boolean spelt out": '<row r="1"><c r="A1" t="b"><v>true</v></c></row>',
    "text in a number cell": '<row r="1"><c r="A1"><v>abc</v></c></row>',
    "a padded number": '<row r="1"><c r="A1"><v> 5</v></c><c r="B1"><v>5_0</v></c></row>',
    "an infinity": '<row r="1"><c r="A1"><v>inf</v></c></row>',
    "an empty value": '<row r="1"><c r="A1"><v></v></c><c r="B1" t="s"><v/></c></row>',
    "an inline string without <is>": '<row r="1"><c r="A1" t="inlineStr"><v>5</v></c></row>',
    "a date before year 1": '<row r="1"><c r="A1" s="1"><v>-1e9</v></c></row>',
    "a duration beyond Python's": '<row r="1"><c r="A1" s="2"><v>1e10</v></c></row>',
    "a prefixed cell": '<row r="1"><x:c xmlns:x="urn:x" r="A1"><x:v>1</x:v></x:c></row>',
    "CDATA": '<row r="1"><c r="A1" t="str"><v><![CDATA[x]]></v></c></row>',
    "a comment": '<row r="1"><!-- <c r="A1"><v>1</v></c> --></row>',
    "a value cut by v>": '<row r="1"><c r="A1" t="str"><v>av>b</v></c></row>',
    "a string index out of range": '<row r="1"><c r="A1" t="s"><v>99</v></c></row>',
    "a formula after its value": '<row r="1"><c r="A1"><v>1</v><f>X</f></c></row>',
    "an item inside an inline string": '<row r="1"><c r="A1" t="inlineStr"><is><si><t>x'
    "</t></si></is></c></row>",
}
FORMATS = '<numFmt numFmtId="164" formatCode="&quot;on &quot;dd.mm.yyyy"/>'


@pytest.mark.parametrize("epoch1904", [False, True])
@pytest.mark.parametrize("name", list(ANSWERED))
def test_xml_shapes_the_fast_path_reads(name: str, epoch1904: bool) -> None:
    data = package(
        ANSWERED[name],
        STRINGS,
        FORMATS,
        "0 164 14 0 0 0 0 0 0 46",
        ' date1904="1"' if epoch1904 else "",
    )
    assert compare(data) == {"S": True}


@pytest.mark.parametrize("name", list(REFUSED))
def test_xml_shapes_left_to_calamine(name: str) -> None:
    assert compare(package(REFUSED[name], STRINGS, FORMATS, "0 164 46")) == {"S": False}


@pytest.mark.parametrize(
    ("strings", "answered"),
    [
        ("<si/><si><t>x</t></si>", True),
        ("<si><t><![CDATA[x]]></t></si>", False),
        ("<si><t>&nbsp;</t></si>", False),
        ('<x:si xmlns:x="urn:x"><x:t>x</x:t></x:si>', False),
        ("<si><t>a<b/>c</t></si>", False),
        ('<si><t xml:space="keep">x</t></si>', False),
        ("<si><t>a</t><si><t>b</t></si></si>", False),
    ],
)
def test_unusual_shared_strings(strings: str, answered: bool) -> None:
    cells = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    assert compare(package(cells, strings)) == {"S": answered}


def test_a_prefixed_number_format_is_left_to_calamine() -> None:
    formats = '<x:numFmt xmlns:x="urn:x" numFmtId="164" formatCode="0.00"/>'
    cells = '<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'
    assert compare(package(cells, None, formats, "0 164")) == {"S": False}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("xl/worksheets/sheet1.xml", "xl/worksheets/Sheet1.xml"),  # calamine ignores case
        ("xl/styles.xml", "xl/Styles.xml"),
        ("xl/sharedStrings.xml", "xl/SharedStrings.xml"),
    ],
)
def test_part_names_in_another_case_are_left_to_calamine(old: str, new: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(package(ANSWERED["shared strings"], STRINGS)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as renamed:
        for name in source.namelist():
            renamed.writestr(new if name == old else name, source.read(name))
    assert compare(buf.getvalue()) == {"S": False}


def test_hostile_input_takes_linear_time() -> None:
    hostile = [
        package('<row r="1"><c r="A1" s="1"' * 40_000 + "</row>"),
        package("<row>" + '<c r="A1" t="str"><v>v>' * 40_000 + "</row>"),
        package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', "<si><r><t>x" * 40_000),
        package('<row r="1"><c r="A1"><v>1</v></c></row>' + "<row " * 40_000),
    ]
    started = time.perf_counter()
    for data in hostile:
        compare(data)
    assert time.perf_counter() - started < 5  # quadratic scans would take minutes
