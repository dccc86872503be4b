"""The cell values of one worksheet, read straight from its XML: the validator's fast path,
chosen behind ``sheets.SheetReader`` (``sheets.XmlSheets``), never called directly.

python-calamine spends about 1.5 ms on a returned form, mostly re-inflating the package and
walking every XML event. The file gate has already inflated the parts, so one
``bytes.split`` cuts ``<sheetData>`` at every "v>": the odd pieces are cell values, the even
ones the glue between them (blank cells, row tags, the next value's cell opening). A glue
is parsed once and memoised per process: forms of one template share nearly all of them,
so a value costs a dictionary lookup and a few steps of one loop. Shared strings take the
same road; anything rarer (rich or phonetic runs, entities, inline strings) goes to expat.

``fast_grid`` gives exactly what python-calamine 0.9.1 (calamine 0.37; pinned in
pyproject.toml, and ``sheets`` declines to run this on any other version) gives for
``get_sheet_by_name(name).to_python(skip_empty_area=False)``, types included: numbers are
floats (``<v>5</v>`` is 5.0), or under a date format (``sheetstyles``) a time (below 1, even
negative), a date (whole) or a datetime to the millisecond with Excel's 1900 leap bug (a
float again after 9999), or under a duration format a timedelta; errors and empty strings
are "" but extend the grid, cells without a value do not, and the grid starts at A1;
strings join their ``<t>`` outside ``<rPh>``, trimmed of XML white space unless preserved,
with ``_x00HH_`` decoded (``_x0100_`` and up stay); formula strings keep their white space.

It returns None, and the caller reads the sheet with calamine, for any other shape: t="d",
namespace prefixes, CDATA, comments, cells without ``r`` or out of order, ``<v/>``, error
codes and booleans calamine rejects, text in a number cell, dates before year 1, durations
past 1e8 days, unknown entities, non-UTF-8 parts, part names differing only in case, an
oddly written sheet target, or a grid over ``_MAX_CELLS`` cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from toolkit.validate.parts import Members
from toolkit.validate.sheetstyles import (
    DATE_STYLES,
    Memo,
    Unsure,
    parse_expat,
    prefixed,
    to_date,
    utf8,
)

_MAX_CELLS = 2_000_000
_WS = " \t\n\r"  # what calamine trims: XML white space, not U+00A0
_RARE: dict[bytes, dict[str, Any]] = {  # the booleans and errors calamine accepts
    b"b": {"0": False, "1": True},
    b"e": dict.fromkeys(["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"], ""),
}
_NUMBER = b"0123456789.+-eE</|"  # where Rust's fast_float and float() read alike
_S = b"s"
_INDEXES: list[bytes] = []  # b"0</", b"1</", …: string indexes as the cut leaves them
# A glue: the end of the previous value's cell, cells without a value, row tags, then the
# next value's cell opening up to the "<" of "<v>", maybe with a formula. Every repeat is
# possessive or stops at "<", so matching is linear on any input.
_ATTRS = rb'(?:\s++[a-zA-Z]{1,20}="[^"<>]*+")*+\s*+'
_FORMULA = rb"(?:<f" + _ATTRS + rb"(?:/>|>[^<]*+</f>))?"
_GLUE = re.compile(
    rb'</c>(?:<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"' + _ATTRS + rb"(?:/>|>" + _FORMULA + rb"</c>)"
    rb"|<row(?:\s[^<>]*+)?/?>|</row>|\s++)*+"
    rb'(?:<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="(\w{1,9})")?('
    + _ATTRS
    + rb")>"
    + _FORMULA
    + rb"<)?"
)
_PAIR = re.compile(rb'([a-zA-Z]+)="([^"]*)"')
_XESC = re.compile(r"_x00([0-9A-Fa-f]{2})_")
_SST_EDGES = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml[^<>]*+>)?\s*+<sst(?:\s[^<>]*+)?>\s*+|\s*+</sst>\s*+"
)


class SharedParts(NamedTuple):
    """What the sheets of a package share (``shared_parts``), read once a package."""

    strings: dict[bytes, str]  # b"7</" → text; strings not certain here are left out
    dates: dict[bytes, int]  # s attribute → DATE / DELTA, for date formats only
    names: list[str]  # part names, lower-cased
    rels: bytes  # xl/_rels/workbook.xml.rels


def fast_grid(
    members: Members, pkg: SharedParts, sheet_path: str, date1904: bool
) -> list[list[Any]] | None:
    """The sheet's grid as calamine's ``to_python(skip_empty_area=False)``, or None."""
    # calamine opens "xl/" + the target, in any case; read_parts normalises the target:
    # take a plain target of a part named once
    targets = (f'"{sheet_path[3:]}"'.encode(), f'"/{sheet_path}"'.encode())
    if (
        sheet_path[:3] != "xl/"
        or sheet_path not in members.namelist()
        or pkg.names.count(sheet_path.lower()) != 1
        or not any(target in pkg.rels for target in targets)
    ):
        return None
    data = _sheet_data(members.read(sheet_path))
    grid = None if data is None else _grid(data, pkg, date1904)
    if grid is None and data is not None and b"<is>" in data:  # inline strings made <v>
        grid = _grid(
            data.replace(b'"><is>', b'"><v>').replace(b"</is></c>", b"</v></c>"), pkg, date1904
        )
    return grid


def _sheet_data(raw: bytes) -> bytes | None:
    """ "</c>" and the inside of <sheetData>: so every glue starts with "</c>"."""
    start, end = raw.find(b"<sheetData"), raw.rfind(b"</sheetData>")
    if start < 0 or raw.find(b"<!", 0, start) >= 0 or not utf8(raw):
        return None  # a prefixed sheetData, or a comment that could hide the real one
    if raw.startswith(b"<sheetData/>", start):
        return b"</c>"
    return b"</c>" + raw[start + 11 : end] if raw[start + 10] == 0x3E and end > start else None


def _grid(data: bytes, pkg: SharedParts, date1904: bool) -> list[list[Any]] | None:
    pieces = data.split(b"v>")
    infos = list(map(_GLUES.__getitem__, pieces[0::2]))
    if infos.pop() is not True:
        return None
    try:
        return _fill(infos, pieces[1::2], pkg, date1904) if infos else []
    except (TypeError, ValueError, KeyError, Unsure):  # not a cell, float, string…
        return None


def _fill(
    infos: list[Any],
    values: list[bytes],
    pkg: SharedParts,
    date1904: bool,
    string: bytes = _S,
    number: type[float] = float,
) -> list[list[Any]] | None:
    height, width = infos[-1][1] + 1, max(infos)[0] + 1  # tuples compare by column
    if height * width > _MAX_CELLS:
        return None
    grid: list[list[Any]] = [[""] * width for _ in range(height)]
    strings, dates = pkg.strings, pkg.dates
    last, rare, empty = -1, [], False
    for (col, row, s, t, key), text in zip(infos, values, strict=True):
        if key <= last:
            return None  # out of order or repeated: calamine's answer is not obvious
        last = key
        if t is string:  # the arguments are locals: faster than globals in this loop
            grid[row][col] = strings[text]  # KeyError: no such string, or an unsure one
        elif t:
            rare.append((row, col, t, text))
        elif text == b"</":  # <v></v> (openpyxl's formulas): calamine keeps no value
            empty = True
        elif s in dates:
            grid[row][col] = to_date(number(text[:-2]), dates[s], date1904)
        else:
            grid[row][col] = number(text[:-2])
    numbers = [v for i, v in zip(infos, values, strict=True) if not i[3]] if rare else values
    joined = b"|".join(numbers)  # each ends "</" and has no other "<"; no space, "_", "inf"
    if joined.translate(None, _NUMBER) or joined.count(b"<") != len(numbers):
        return None
    if empty:  # the grid is only as large as the cells calamine keeps
        kept = [i for i, v in zip(infos, values, strict=True) if i[3] or v != b"</"]
        height, width = max((i[1] for i in kept), default=-1) + 1, max(kept or [(-1,)])[0] + 1
        del grid[height:]
        for line in grid:
            del line[width:]
    return _fill_rare(grid, rare) if rare else grid


def _fill_rare(grid: list[list[Any]], rare: list[tuple[int, int, bytes, bytes]]) -> list[list[Any]]:
    """Booleans, errors, formula strings and inline strings (parsed together)."""
    texts = []
    for row, col, t, raw in rare:
        text = raw[:-2].decode() if raw[-2:] == b"</" else "<"
        if t == b"str" and "<" not in text:
            texts.append((row, col, f'<t xml:space="preserve">{text}</t>'))
        elif t == b"inlineStr" and text[:1] == "<":  # else a <v>, which calamine ignores
            texts.append((row, col, text))
        else:
            grid[row][col] = _RARE[t][text]  # KeyError: t="d", an unknown type or code
    items = _items("<x>" + "".join(f"<si>{x}</si>" for _, _, x in texts) + "</x>")
    for (row, col, _), value in zip(texts, items, strict=True):
        grid[row][col] = value
    return grid


def _glue(glue: bytes) -> Any:
    """(column, row, s, t, sort key) of the value after a glue; True after the last
    value; False for a shape this reader does not take."""
    m = _GLUE.fullmatch(glue)
    if m is None or m[1] is None:
        return m is not None
    letters, digits, s, t, rest = m.groups(b"")
    if rest.strip():  # other attributes, or s and t in another order
        pairs = _PAIR.findall(rest)
        found = dict(pairs)
        if (
            len(found) < len(pairs)
            or b"r" in found
            or (s and b"s" in found)
            or (t and b"t" in found)
            or not re.fullmatch(rb"[0-9]{0,9}", found.get(b"s", s))
        ):
            return False
        s, t = found.get(b"s", s), found.get(b"t", t)
    col = -1
    for ch in letters:
        col = (col + 1) * 26 + ch - 65
    row = int(digits) - 1
    s = b"%d" % int(s) if s[:1] == b"0" else s  # "007" is style 7 to calamine
    return col, row, s, _S if t == _S else b"" if t == b"n" else t, row << 15 | col


_GLUES = Memo(_glue)


def shared_parts(members: Members) -> SharedParts | None:
    """The shared strings, date styles and relationships of a package, or None when one
    of them is in a shape not mirrored here."""
    names, lowered = members.namelist(), [n.lower() for n in members.namelist()]
    parts = []
    # calamine opens these by their fixed names, ignoring case and the relationships
    for name in ("xl/sharedStrings.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"):
        if lowered.count(name.lower()) != (name in names):
            return None
        parts.append(members.read(name) if name in names else b"")
    strings, dates = _strings(parts[0]), DATE_STYLES[parts[1]]
    if strings is None or dates is None:
        return None
    return SharedParts(strings, dates, lowered, parts[2])


def _strings(raw: bytes) -> dict[bytes, str] | None:
    """The shared strings table, by index as the cut leaves it: b"7</" → text."""
    if not raw:
        return {}
    start, end = raw.find(b"<si>"), raw.rfind(b"</si>") + 5
    if (
        start >= 0
        and raw.startswith(b"<si><t>", start)
        and raw.endswith(b"</t></si>", 0, end)
        and not _SST_EDGES.sub(b"", raw[:start] + raw[end:])
        and utf8(raw)
    ):
        # the usual table, each item one plain <t>: cut in one pass when no tag is left;
        # the items of one template recur from file to file, so each is memoised
        plain = raw[start + 7 : end - 9].split(b"</t></si><si><t>")
        if b"".join(plain).find(b"<") < 0:
            return _indexed(map(_PLAIN.__getitem__, plain), len(plain))
    try:
        items = _items(raw) if utf8(raw) else None
    except Unsure:
        return None
    return None if items is None else _indexed(items, len(items))


def _plain(raw: bytes) -> str | None:
    """One shared string from the inside of its only <t>."""
    try:
        text = raw.decode()
        if "&" in text or "\r" in text:
            return _items(f"<x><si><t>{text}</t></si></x>")[0]
    except (UnicodeDecodeError, Unsure):
        return None
    return _unescape_x(text.strip(_WS))


_PLAIN = Memo(_plain)


def _indexed(strings: Iterable[str | None], n: int) -> dict[bytes, str]:
    while len(_INDEXES) < min(n, 1 << 16):
        _INDEXES.extend(b"%d</" % i for i in range(len(_INDEXES), len(_INDEXES) + 4096))
    table = dict(
        zip(
            _INDEXES if n <= len(_INDEXES) else [b"%d</" % i for i in range(n)],
            strings,
            strict=False,
        )
    )  # the indexes may be the longer
    return {k: v for k, v in table.items() if v is not None} if None in table.values() else (table)  # type: ignore[return-value]


def _items(xml: str | bytes) -> list[str]:
    """The text of each <si> in xml as calamine reads it: its <t> outside <rPh>, each
    trimmed unless xml:space="preserve", _x escapes decoded, joined. Unsure for prefixed
    names, markup inside a <t>, CDATA, a DTD, or XML that does not parse."""
    out: list[str] = []
    runs: list[str] = []
    now: dict[str, Any] = {"text": None, "phonetic": False, "keep": False, "si": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        space = attrs.get("xml:space", "default")
        if (
            prefixed(name, "si", "r", "rPh", "t")
            or now["text"] is not None
            or space not in ("default", "preserve")
            or (name == "si" and now["si"])
        ):
            raise Unsure(name)  # markup in a <t>, an <si> in an <si>
        if name == "si":
            runs.clear()
            now["si"] = True
        now["phonetic"] |= name == "rPh"
        if name == "t" and not now["phonetic"]:
            now.update(text=[], keep=space == "preserve")

    def end(name: str) -> None:
        if name == "si":
            out.append("".join(runs))
            now["si"] = False
        now["phonetic"] &= name != "rPh"
        if name == "t" and now["text"] is not None:
            text = "".join(now["text"])
            runs.append(_unescape_x(text if now["keep"] else text.strip(_WS)))
            now["text"] = None

    parse_expat(xml, start, end, lambda data: now["text"] is None or now["text"].append(data))
    return out


def _unescape_x(text: str) -> str:
    """Excel's _xHHHH_ escapes as calamine reads them: one <t> at a time, left to right,
    only code points below 0x100 ("_x0100_x0041_" is "_x0100A")."""
    return _XESC.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text
