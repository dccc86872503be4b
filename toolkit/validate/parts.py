"""The package parts of an .xlsx a reader needs besides cell values: custom document
properties, the saving application, sheet names and states, defined names, and which
cells of a sheet hold formulas. Parsed with defusedxml; the caller has already checked
the package against the size limits."""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from defusedxml import ElementTree as SafeET

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_NS_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_NS_TERMS = "{http://purl.org/dc/terms/}"
_REMEMBERED = 16 * 1024  # bytes: the largest part parsed once for all forms that share it
SHARED_FORMULA = "=…"  # a cell of a shared formula holds no text of its own


class Members:
    """The members of a package by name: the ones the file gate already inflated (and
    verified) are taken as they are, any other is read from the zip when first asked."""

    def __init__(
        self,
        data: bytes,
        inflated: Mapping[str, bytes] | None = None,
        names: Iterable[str] | None = None,
    ) -> None:
        self._data = data
        self._inflated = dict(inflated or {})
        self._names = set(names) if names is not None else None
        self._zip: zipfile.ZipFile | None = None

    def namelist(self) -> set[str]:
        if self._names is None:
            self._names = set(self._open().namelist())
        return self._names

    def read(self, name: str) -> bytes:
        """A member's bytes; KeyError when the package has no such member."""
        found = self._inflated.get(name)
        if found is not None:
            return found
        if name not in self.namelist():
            raise KeyError(name)
        return self._open().read(name)

    def _open(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
        return self._zip

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@dataclass
class Parts:
    properties: dict[str, str] = field(default_factory=dict)
    application: str = ""
    modified: str = ""  # docProps/core.xml dcterms:modified, as written
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (name, state)
    names: dict[str, str] = field(default_factory=dict)
    sheet_paths: dict[str, str] = field(default_factory=dict)
    date1904: bool = False


def parse_xml(data: bytes) -> ET.Element:
    """A part's tree. defusedxml refuses what makes XML dangerous, all of it declared
    after "<!" (a DOCTYPE with entities); a part in UTF-8 that opens with "<" and holds
    no "<!" declares nothing, so the plain parser (C, twice as fast) reads it the same.
    ("!" alone is the faster search; a UTF-16 part would hide its "<!" as "<\\0!".)"""
    if data[:1] == b"<" and (b"!" not in data or (data[1:2] != b"\0" and b"<!" not in data)):
        return ET.fromstring(data)
    root: ET.Element = SafeET.fromstring(data)
    return root


def read_parts(zf: Members) -> Parts:
    parts = Parts()
    members = zf.namelist()
    if "docProps/custom.xml" in members:
        parts.properties = _custom_properties(zf.read("docProps/custom.xml"))
    if "docProps/app.xml" in members:
        parts.application = _application(zf.read("docProps/app.xml"))
    if "docProps/core.xml" in members:
        parts.modified = _modified(zf.read("docProps/core.xml"))
    book = parse_xml(zf.read("xl/workbook.xml"))
    rels = _relationships(zf, "xl/_rels/workbook.xml.rels")
    pr = book.find(f"{_NS_MAIN}workbookPr")
    parts.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        name = sheet.get("name", "")
        parts.sheets.append((name, sheet.get("state", "visible")))
        target = rels.get(sheet.get(f"{_NS_REL}id", ""), "")
        if target:
            parts.sheet_paths[name] = _resolve("xl/", target)
    for dn in book.iter(f"{_NS_MAIN}definedName"):
        if dn.get("localSheetId") is None:
            parts.names[dn.get("name", "")] = dn.text or ""
    return parts


def _custom_properties(xml: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop in parse_xml(xml):
        name = prop.get("name")
        if name is None or not len(prop):
            continue
        value = prop[0]
        # Keep the type visible: a client that retyped a string into a number changed it.
        kind = value.tag.replace(_NS_VT, "")
        out[name] = (
            value.text or "" if kind in ("lpwstr", "lpstr", "bstr") else f"{kind}:{value.text}"
        )
    return out


def _relationships(zf: Members, path: str) -> dict[str, str]:
    try:
        return dict(_targets(zf.read(path)))
    except KeyError:
        return {}


# The forms of one template share these parts byte for byte: each is parsed once. (Only
# small ones are remembered, so a hostile file cannot fill the memory.)
@lru_cache(maxsize=32)
def _targets_of(xml: bytes) -> tuple[tuple[str, str], ...]:
    root = parse_xml(xml)
    return tuple(
        (r.get("Id", ""), r.get("Target", "")) for r in root.iter(f"{_NS_PKG_REL}Relationship")
    )


def _targets(xml: bytes) -> tuple[tuple[str, str], ...]:
    return _targets_of(xml) if len(xml) <= _REMEMBERED else _targets_of.__wrapped__(xml)


@lru_cache(maxsize=32)
def _application_of(xml: bytes) -> str:
    app = parse_xml(xml).find(f"{_NS_APP}Application")
    return (app.text or "") if app is not None else ""


def _application(xml: bytes) -> str:
    return _application_of(xml) if len(xml) <= _REMEMBERED else _application_of.__wrapped__(xml)


def _modified(xml: bytes) -> str:
    """When the workbook says it was last saved (Excel and LibreOffice write it)."""
    if len(xml) > _REMEMBERED:
        return ""
    try:
        found = parse_xml(xml).find(f"{_NS_TERMS}modified")
    except ET.ParseError:  # a damaged core part costs the time, not the file
        return ""
    return (found.text or "").strip() if found is not None else ""


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def formula_cells(zf: Members, sheet_path: str) -> dict[str, str]:
    """A1 reference → formula text, for every cell of the sheet that holds a formula."""
    data = zf.read(sheet_path)
    # Most returned sheets hold no formula at all, and in the usual <sheetData> no "f"
    # either: a one-byte search (memchr) is many times faster than one for "<f" in XML,
    # where "<" is everywhere. Outside <sheetData> the dropdowns hold "<formula1>".
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    if 0 <= start < end and data.find(b"f", start + 10, end) < 0:
        return {}
    if not re.search(rb"<(?:\w+:)?f[ >/]", data):
        return {}
    found: dict[str, str] = {}
    for _event, elem in SafeET.iterparse(io.BytesIO(data), events=("end",)):
        if elem.tag == f"{_NS_MAIN}c":
            f = elem.find(f"{_NS_MAIN}f")
            if f is not None:
                found[elem.get("r", "")] = f.text or SHARED_FORMULA
            elem.clear()
    return found


_BUILTIN_PERCENT = {"9", "10"}


def percent_styles(zf: Members) -> set[str]:
    """Indexes of the cell formats that show numbers as percentages."""
    try:
        data = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    if b"%" not in data and not re.search(rb'numFmtId="(?:9|10)"', data):
        return set()  # no percentage format at all: the usual case, without a parse
    root = parse_xml(data)
    custom = {
        f.get("numFmtId", ""): f.get("formatCode", "") for f in root.iter(f"{_NS_MAIN}numFmt")
    }
    percent = _BUILTIN_PERCENT | {
        i for i, code in custom.items() if "%" in re.sub(r'"[^"]*"|\\.', "", code)
    }
    xfs = root.find(f"{_NS_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {str(n) for n, xf in enumerate(xfs) if xf.get("numFmtId", "0") in percent}


def styled_cells(zf: Members, sheet_path: str, styles: set[str]) -> set[str]:
    """A1 references of the cells of a sheet that carry one of ``styles``."""
    if not styles:
        return set()
    data = zf.read(sheet_path)
    return {
        ref.decode()
        for ref, style in re.findall(rb'<(?:\w+:)?c r="([A-Z]+\d+)"[^>]*?\ss="(\d+)"', data)
        if style.decode() in styles
    }


def name_constant(value: str) -> str | None:
    m = re.fullmatch(r'=?"((?:[^"]|"")*)"', value.strip())
    return m.group(1).replace('""', '"') if m else None
