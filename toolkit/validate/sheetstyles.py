"""What the fast sheet reader (``sheetxml``) shares with its helpers, read as
python-calamine 0.9.1 (calamine 0.37) reads it: which cell formats make a number a date,
a time or a duration (``DATE_STYLES``, ``to_date``), and expat over a part, refusing what
calamine would read otherwise (``parse_expat``). Anything this module is not certain of
raises ``Unsure``: the caller then leaves the sheet to calamine."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from xml.parsers import expat

from toolkit.memo import Remembered

OTHER, DATE, DELTA = 0, 1, 2
_BUILTIN = {
    **dict.fromkeys(["14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "47"], DATE),
    "46": DELTA,
}
_EPOCH = datetime(1899, 12, 30)
_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.-]{1,40})""")


T = TypeVar("T")


class Unsure(Exception):
    """A shape this reader does not reproduce with certainty."""


class Memo(Remembered[bytes, T]):
    """A per-process memo of a pure function of some XML text, of bounded size."""

    def __init__(self, parse: Callable[[bytes], T]) -> None:
        super().__init__(16 << 20)
        self.parse = parse

    def __missing__(self, text: bytes) -> T:
        return self.remember(text, self.parse(text), len(text) + 100)


def utf8(raw: bytes) -> bool:
    """A part in UTF-8 (declared so, or not declared): the only encoding read here."""
    head = _ENCODING.search(raw, 0, 300)
    return head is None or head[1].lower() in (b"utf-8", b"utf8")


def parse_expat(
    xml: str | bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], Any] | None = None,
) -> None:
    """expat over xml, refusing DTDs and CDATA (calamine reads neither as text)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = parser.StartCdataSectionHandler = _refuse
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise Unsure(str(exc)) from exc


def _refuse(*_: Any) -> None:
    raise Unsure("a DTD or CDATA")


def prefixed(name: str, *local: str) -> bool:
    """A prefixed name calamine would take for one of ``local`` (it ignores prefixes)."""
    return ":" in name and name.rpartition(":")[2] in local


def to_date(value: float, kind: int, date1904: bool) -> Any:
    """A number under a date or duration format, as python-calamine converts it."""
    if kind == DELTA:
        if not -1e8 < value < 1e8:
            raise Unsure("calamine raises OverflowError or panics")
        return timedelta(milliseconds=_round(value * 86_400_000.0))
    serial = value + 1462.0 if date1904 else value
    serial += serial < 60.0  # Excel's 29 February 1900
    try:
        moment = _EPOCH + timedelta(milliseconds=_round(serial * 86_400_000.0))
    except OverflowError as exc:  # after 9999 calamine gives the float; before 1, unsure
        if value >= 1.0:
            return value
        raise Unsure("year") from exc
    if value < 1.0:
        return moment.time()
    return moment.date() if value.is_integer() else moment


def _round(x: float) -> int:
    """Rust's f64::round: halves away from zero (Python's round() goes to even)."""
    whole = math.floor(abs(x))
    whole += abs(x) - whole >= 0.5
    return -whole if x < 0 else whole


def _styles(raw: bytes) -> dict[bytes, int] | None:
    """s attribute → kind of date format, in one pass as calamine reads it: a cellXfs
    entry sees only the custom numFmts before it."""
    formats: dict[str, str] = {}
    kinds: dict[bytes, int] = {}
    inside: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if prefixed(name, "numFmts", "numFmt", "cellXfs", "xf"):
            raise Unsure(name)
        inside.append(name)
        fid = attrs.get("numFmtId")
        if name == "numFmt" and "numFmts" in inside and attrs.get("formatCode"):
            formats[fid or ""] = attrs["formatCode"]
        elif name == "xf" and "cellXfs" in inside:
            kinds[b"%d" % len(kinds)] = (
                OTHER
                if fid is None
                else _classify(formats[fid])
                if fid in formats
                else _BUILTIN.get(fid, OTHER)
            )

    def end(name: str) -> None:
        inside.pop()

    try:
        parse_expat(raw or b"<styleSheet/>", start, end)
    except Unsure:
        return None
    return {s: kind for s, kind in kinds.items() if kind != OTHER} if utf8(raw) else None


DATE_STYLES = Memo(_styles)


def _classify(code: str) -> int:
    """calamine's detect_custom_number_format (formats.rs), step for step."""
    escaped = quoted = ap = hms = False
    brackets, prev = 0, " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\*":  # the next character is a literal
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return OTHER  # only the first section counts
        elif ch == "[":
            brackets = (brackets + 1) & 0xFF
        elif ch == "]" and brackets == 1 and hms:
            return DELTA
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ap and ch in "aA":
            ap = True
        elif brackets == 0 and ((ap and ch in "pmPM/") or (not ap and ch in "dmhysDMHYS")):
            return DATE
        elif not (hms and (ch == prev or (ch.isascii() and ch.lower() == prev.lower()))):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return OTHER
