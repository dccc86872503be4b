"""Text helpers shared by the importers, the resolver and the readers."""

from __future__ import annotations

import functools
import re
import unicodedata

# apostrophes, quotes and dashes of every keyboard → one of each
_MARKS = str.maketrans(
    {
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "‘": "'",
        "´": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "‒": "-",
    }
)
_SPACE = re.compile(r"\s+")
# Latin letters that OCR and typists put into Cyrillic words; only mapped for matching.
_LOOKALIKES = str.maketrans({"i": "і", "a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х"})
_CYRILLIC = re.compile("[а-яіїєґ]")


def clean(text: str) -> str:
    """Collapse runs of whitespace (line and page breaks too) into one space."""
    return _SPACE.sub(" ", text).strip()


# Characters that show as nothing or as a plain space but break matching: the soft
# hyphen (pasted from web pages), zero-width spaces and joiners, the word joiner, a
# byte-order mark inside text; no-break and narrow spaces become plain spaces.
_INVISIBLE = str.maketrans(
    dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)
    | dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003"), " ")
)


def visible(text: str) -> str:
    """The text as a reader sees it: invisible characters gone, odd spaces plain."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def cell_text(value: object) -> str:
    """A spreadsheet value as a person reads it: nothing for an empty cell, "5" for 5.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def norm(text: str) -> str:
    """A matching key: case, apostrophes, quotes, dashes and spacing do not matter."""
    # Column titles, statuses and plan texts repeat in every returned form: remembered,
    # but only short ones, so a hostile file cannot fill the memory.
    return _norm_short(text) if len(text) <= _SHORT else _norm(text)


_SHORT = 300


@functools.lru_cache(maxsize=8192)
def _norm_short(text: str) -> str:
    return _norm(text)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().translate(_MARKS)
    text = _SPACE.sub(" ", text).strip(" ,.;:")
    if _CYRILLIC.search(text):
        text = text.translate(_LOOKALIKES)
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """Remove characters that Excel files cannot hold (tab and line breaks stay)."""
    return _CONTROL.sub("", text)


MAX_TEXT = 32_767  # Excel's limit for a cell or a note, counted in UTF-16 units
# Characters XML 1.0 cannot hold (openpyxl raises on some, writes broken XML for others).
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text a cell or a note can hold: no XML-illegal characters, at most 32,767 UTF-16
    units, with a visible «…» where it was cut."""
    if len(text) <= MAX_TEXT // 2 and text.isprintable():
        return text  # nothing XML forbids (isprintable: no controls, surrogates), short
    text = UNWRITABLE.sub("", text)
    units = text.encode("utf-16-le")
    if len(units) <= 2 * MAX_TEXT:
        return text
    return units[: 2 * (MAX_TEXT - 1)].decode("utf-16-le", "ignore") + "…"


_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def safe_filename(text: str, max_len: int = 80) -> str:
    """A file name that Windows, macOS and Linux all accept; Cyrillic is kept."""
    name = _UNSAFE_NAME.sub("_", clean(text)).strip(" .")
    name = name[:max_len].rstrip(" .") or "file"
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    return name


# Neither Excel nor LibreOffice grows a row to its wrapped text when opening a generated
# file: every writer sets row heights from this estimate.
_LINE_POINTS = 13.0  # a line of 10-point text
_MAX_ROW_POINTS = 409.0  # Excel's tallest row


@functools.lru_cache(maxsize=65536)
def wrapped_lines(text: str, width: float) -> int:
    """The lines a text wraps to in a column ``width`` wide (about 1.1 characters of
    Arial 10 per unit of width), word by word as clients wrap it; every line break starts
    a line. (Cached: forms and reports repeat the same plan texts many times.)"""
    per_line = max(int(width * 1.1), 1)
    return sum(_wrapped(part, per_line) for part in text.split("\n"))


def _wrapped(line: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in line.split():
        n = len(word)
        wanted = n if used == 0 else used + 1 + n
        if wanted <= per_line:
            used = wanted
            continue
        if used:
            lines += 1
        full, rest = divmod(n, per_line)  # a word longer than a line is broken
        lines += full - (0 if rest else 1)
        used = rest or per_line
    return lines


def row_points(lines: int) -> float:
    """The height of a row of ``lines`` lines, within Excel's limit."""
    return min(_MAX_ROW_POINTS, _LINE_POINTS * max(lines, 1) + 3)
