"""Word's automatic numbering, resolved to the numbers Word displays.

A paragraph numbered by Word holds no digits: it names a list (``w:numPr``: ``numId``
and level ``ilvl``, directly or through its style) and ``numbering.xml`` says how that
list counts (start value, format, the text around the number such as "%1." or
"%1.%2)"). The counters advance in document order, each level restarting the deeper
ones, as Word does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.plan.roman import to_roman

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RU_LOWER = "абвгдежзиклмнопрстуфхцчшщэюя"


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """The lists of one document and their running counters."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → levels
    starts: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → overrides
    abstract_of: dict[str, str] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstractNum
    used: set[str] = field(default_factory=set)  # lists whose start override was applied

    def label(self, ppr: Any, style: str | None) -> str:
        """The number Word shows before a paragraph with properties ``ppr``, or ""."""
        ref = _num_ref(ppr) or (self.style_num.get(style) if style else None)
        if ref is None:
            return ""
        num_id, ilvl = ref
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        # Lists of one abstract definition share its counters (Word continues them);
        # a list with a start override restarts them where it is first used.
        counts = self.counters.setdefault(self.abstract_of.get(num_id, num_id), [])
        while len(counts) <= ilvl:
            counts.append(None)
        starts = self.starts.get(num_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for level, start in starts.items():
                if level < len(counts):
                    counts[level] = start - 1
        current = counts[ilvl]
        counts[ilvl] = levels.get(ilvl, Level()).start if current is None else current + 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = None
        return _format(levels, counts, ilvl)


def read_numbering(numbering_xml: Any, styles_xml: Any) -> Numbering:
    """The lists defined in a document's numbering part (either may be None)."""
    n = Numbering()
    if numbering_xml is not None:
        abstract = {
            a.get(f"{W}abstractNumId"): _levels(a) for a in numbering_xml.iter(f"{W}abstractNum")
        }
        for num in numbering_xml.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            aid = ref.get(f"{W}val") if ref is not None else None
            if num_id is None or aid not in abstract:
                continue
            n.levels[num_id] = abstract[aid]
            n.abstract_of[num_id] = str(aid)
            n.starts[num_id] = _overrides(num)
    if styles_xml is not None:
        for style in styles_xml.iter(f"{W}style"):
            ref = _num_ref(style.find(f"{W}pPr"))
            if ref is not None:
                n.style_num[style.get(f"{W}styleId", "")] = ref
    return n


def _levels(abstract: Any) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in abstract.iter(f"{W}lvl"):
        ilvl = int(lvl.get(f"{W}ilvl", "0"))
        out[ilvl] = Level(
            start=int(_val(lvl, "start") or 1),
            fmt=_val(lvl, "numFmt") or "decimal",
            text=_val(lvl, "lvlText") or "",
        )
    return out


def _overrides(num: Any) -> dict[int, int]:
    found: dict[int, int] = {}
    for over in num.iter(f"{W}lvlOverride"):
        start = over.find(f"{W}startOverride")
        if start is not None:
            found[int(over.get(f"{W}ilvl", "0"))] = int(start.get(f"{W}val", "1"))
    return found


def _val(el: Any, tag: str) -> str | None:
    child = el.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


def _num_ref(ppr: Any) -> tuple[str, int] | None:
    if ppr is None:
        return None
    numpr = ppr.find(f"{W}numPr")
    if numpr is None:
        return None
    num_id = _val(numpr, "numId")
    if num_id is None:
        return None
    return num_id, int(_val(numpr, "ilvl") or 0)


def _format(levels: dict[int, Level], counts: list[int | None], ilvl: int) -> str:
    level = levels.get(ilvl, Level())
    if level.fmt in ("bullet", "none"):
        return ""
    text = level.text
    for i in range(ilvl + 1):
        value = counts[i]
        if value is None:  # a level above never used: Word shows its start value
            value = levels.get(i, Level()).start
        text = text.replace(f"%{i + 1}", _number(value, levels.get(i, Level()).fmt))
    return text


def _number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = to_roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("russianLower", "russianUpper"):
        letter = _RU_LOWER[(value - 1) % len(_RU_LOWER)]
        return letter.upper() if fmt == "russianUpper" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
