"""Roman numerals as plans print them: in Latin letters or in the Cyrillic І and Х that
typists use for them."""

from __future__ import annotations

import re

_VALUES = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_LETTERS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_id(text: str) -> str:
    """Cyrillic І/Х typed as Roman numerals → Latin: "ІІ" → "II"."""
    return text.replace("І", "I").replace("Х", "X")


def to_roman(value: int) -> str:
    out = ""
    for n, r in _VALUES:
        while value >= n:
            out += r
            value -= n
    return out


def from_roman(text: str) -> int | None:
    """ "IV" (or "ІV", "iv.") → 4; None for anything that is not a well-formed numeral."""
    latin = roman_id(text.strip().rstrip(".")).upper()
    if not latin or not re.fullmatch(r"[IVXLCDM]+", latin):
        return None
    total, prev = 0, 0
    for ch in reversed(latin):
        v = _LETTERS[ch]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total if to_roman(total) == latin else None
