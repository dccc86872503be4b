"""The numbers a plan prints for its sections and measures, and what they mean.

Sections: "І. Координація …" (Roman, in Cyrillic or Latin letters), "Розділ 2. …",
or "1. …" over measures numbered "1.1.", "1.2." … Measures: "1.", "1", "1)" in the
number column, "1) …" opening the measure's text, or hierarchical "1.1.", "II.3",
"3.2)", "1.2.3." whose leading parts name the section (and task) they belong to."""

from __future__ import annotations

import re

from toolkit.plan.roman import roman_id, to_roman
from toolkit.text import clean

SECTION = re.compile(r"^\s*([IVXІХ]{1,5})\.\s*(.+)$", re.S)
# "Розділ І. Координація", "РОЗДІЛ 2: …", "Розділ III – …"
_SECTION_WORD = re.compile(
    r"^\s*розділ\s+([IVXІХ]{1,5}|\d{1,2})\s*[.:)]?\s*[-–—]?\s*(\S.*)$", re.S | re.I
)
ARABIC_HEADING = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*)$", re.S)
HIER_NO = re.compile(r"^\s*([IVXІХ]{1,5}|\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?\s*[.)]?\s*$")


def section_parts(text: str, arabic: bool = False) -> tuple[str, str] | None:
    """(printed number, title) of a section's row, or None. ``arabic``: "1. Назва" is a
    section too (its measures are numbered "1.1.", "1.2." …)."""
    t = clean(text)
    m = _SECTION_WORD.match(t) or SECTION.match(t) or (ARABIC_HEADING.match(t) if arabic else None)
    if m is None:
        return None
    return f"{m.group(1)}.", clean(m.group(2))


def section_id(number: str) -> str:
    """The id of a section printed as ``number``: always Roman ("2." → "II")."""
    n = number.strip().rstrip(".")
    return to_roman(int(n)) if n.isdigit() else roman_id(n)


def names_section(part: str, section: str, ordinal: int) -> bool:
    """Does the leading ``part`` of a hierarchical number name this section (by its id
    or by its place among the sections)?"""
    if part.isdigit():
        return int(part) == ordinal or section_id(part) == section
    return roman_id(part) == section
