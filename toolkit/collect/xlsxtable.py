"""Plain table workbooks — a bold header row, then rows of text and numbers, with column
widths, frozen panes and a filter — written straight as SpreadsheetML.

The report of every collect run is such a table, one row per file received. xlsxwriter
spends about 15 µs on a cell (shared strings, formats, its XML writer), a quarter of a
second for a run of 1,000 files, at the end of the run when the workers are idle: a tenth
of the whole collect. Written here, the same sheet takes a few hundredths. Everything
else zvit writes (forms, feedback copies, the regional report) has styles, validations and
charts, and stays with xlsxwriter.

Text goes in as inline strings, so no text is ever a formula, a number or a link; it is
cleaned of what XML cannot hold and cut at Excel's 32,767 characters."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from math import isfinite
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from toolkit.cellref import a1, column_letter, quote_sheet
from toolkit.text import clean_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_HEAD_STYLE, _TEXT_STYLE = 1, 2  # cellXfs in _STYLES


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``rows`` of values (str, int, float; None or "" leave a cell empty)
    under ``head``; the first ``frozen_columns`` stay in view when scrolling sideways."""

    name: str
    head: Sequence[str]
    widths: Sequence[float]  # in characters, as Excel shows them
    rows: Iterable[Sequence[Any]]
    frozen_columns: int = 0


def table_workbook(sheets: Sequence[Sheet], *, title: str, created: datetime) -> bytes:
    """The .xlsx of ``sheets``, in memory (the caller writes it atomically)."""
    written = [_worksheet(sheet, n == 0) for n, sheet in enumerate(sheets)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("docProps/core.xml", _core(title, created))
        zf.writestr("xl/workbook.xml", _workbook(sheets, [area for _, area in written]))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
        for number, (xml, _) in enumerate(written, start=1):
            zf.writestr(f"xl/worksheets/sheet{number}.xml", xml)
    return buf.getvalue()


def _worksheet(sheet: Sheet, first: bool) -> tuple[bytes, str]:
    """The sheet's XML, and the area its filter covers (the header and every row) as
    "$A$1:$P$9"."""
    letters = [column_letter(i) for i in range(len(sheet.head))]
    rows = [_row(1, letters, sheet.head, _HEAD_STYLE)]
    rows += [_row(n, letters, values, _TEXT_STYLE) for n, values in enumerate(sheet.rows, start=2)]
    last = max(len(rows), 2) - 1  # zero-based
    area = f"A1:{a1(last, len(letters) - 1)}"
    return "".join(
        (
            _XML,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
            f'<dimension ref="{area}"/>',
            _view(sheet.frozen_columns, first),
            '<sheetFormatPr defaultRowHeight="15"/>',
            _columns(sheet.widths),
            "<sheetData>",
            *rows,
            "</sheetData>",
            f'<autoFilter ref="{area}"/>',
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>',
        )
    ).encode("utf-8"), f"$A$1:{a1(last, len(letters) - 1, absolute=True)}"


def _row(number: int, letters: list[str], values: Sequence[Any], style: int) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and isfinite(value):
            cells.append(f'<c r="{letter}{number}"><v>{value!r}</v></c>')
        else:
            text = escape(clean_text(str(value)))
            cells.append(
                f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is>'
                f'<t xml:space="preserve">{text}</t></is></c>'
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def _view(frozen_columns: int, first: bool) -> str:
    selected = ' tabSelected="1"' if first else ""
    if frozen_columns:
        corner = f"{column_letter(frozen_columns)}2"
        pane = (
            f'<pane xSplit="{frozen_columns}" ySplit="1" topLeftCell="{corner}" '
            f'activePane="bottomRight" state="frozen"/><selection pane="topRight"/>'
            f'<selection pane="bottomLeft"/><selection pane="bottomRight" '
            f'activeCell="{corner}" sqref="{corner}"/>'
        )
    else:
        pane = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        )
    return f'<sheetViews><sheetView{selected} workbookViewId="0">{pane}</sheetView></sheetViews>'


def _columns(widths: Sequence[float]) -> str:
    # Excel stores a width in characters of the default font's digit (7 pixels in
    # Calibri 11) plus 5 pixels of padding, in 1/256ths: 36 shows as 36, stored 36.71.
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{int((w * 7 + 5) / 7 * 256) / 256}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    return f"<cols>{cols}</cols>" if cols else ""


def _workbook(sheets: Sequence[Sheet], areas: Sequence[str]) -> str:
    entries = "".join(
        f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    # Excel keeps each sheet's filter area in a hidden name as well
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(quote_sheet(s.name))}!{area}</definedName>"
        for n, (s, area) in enumerate(zip(sheets, areas, strict=True))
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
        f"</bookViews><sheets>{entries}</sheets><definedNames>{names}</definedNames>"
        '<calcPr calcId="124519"/></workbook>'
    )


def _workbook_rels(count: int) -> str:
    sheet = f"{_REL}/worksheet"
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{sheet}" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship Id="rId{count + 1}" '
        f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )


def _content_types(count: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>{sheets}'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
    )


def _core(title: str, created: datetime) -> str:
    stamp = f"{created:%Y-%m-%dT%H:%M:%S}Z"
    return (
        f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(clean_text(title))}</dc:title><dc:creator>zvit</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)

_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'  # no theme part to refer to
_THIN = '<{0} style="thin"><color auto="1"/></{0}>'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>'
    + "".join(_THIN.format(side) for side in ("left", "right", "top", "bottom"))
    + "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    "</cellStyleXfs>"
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
    'applyFill="1" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
