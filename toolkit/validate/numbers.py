"""Numbers as civil servants type them: "12,5", "1 234", "100 %", "12 шт", "1.234,5".

A value that reads one way only is accepted (with a warning that it was text); a value
that reads two ways ("1,234" — a thousand and more, or one and a bit?) is an error."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_UNIT_TAIL = re.compile(r"^(?P<num>[-+−]?[\d\s\u00a0\u202f.,]+?)\s*(?P<unit>%|[^\d\s.,%][^\d]*)?$")
DASHES = {"-", "–", "—", "−"}


@dataclass(frozen=True)
class Parsed:
    value: float | None
    ambiguous: bool = False
    percent: bool = False
    unit: str = ""


def parse_number(text: str) -> Parsed:
    """Read a number typed as text; ``value`` is None when it is not a number at all."""
    s = text.strip()
    m = _UNIT_TAIL.match(s)
    if not m:
        return Parsed(None)
    unit = (m.group("unit") or "").strip()
    body = m.group("num").replace("−", "-")
    value, ambiguous = _read(body)
    return Parsed(value, ambiguous, unit == "%", unit if unit != "%" else "")


def _read(body: str) -> tuple[float | None, bool]:
    compact = _SPACES.sub("", body)
    grouped_by_space = bool(_SPACES.search(body.strip()))
    if not re.fullmatch(r"[-+]?[\d.,]+", compact) or not re.search(r"\d", compact):
        return None, False
    sign = -1.0 if compact.startswith("-") else 1.0
    digits = compact.lstrip("+-")
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        # "1.234,5" or "1,234.5": the last separator is the decimal one.
        dec = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if dec == "," else ","
        if not _groups_ok(digits.split(dec)[0], thousands):
            return None, False
        return sign * float(digits.replace(thousands, "").replace(dec, ".")), False
    sep = "," if commas else "." if dots else ""
    if not sep:
        return sign * float(digits), False
    parts = digits.split(sep)
    if len(parts) > 2:
        return (sign * float("".join(parts)), False) if _groups_ok(digits, sep) else (None, False)
    whole, frac = parts
    if not whole or not frac:
        return None, False
    # "1,234" / "1.234": three digits after one separator could be thousands or decimals,
    # unless spaces already group the thousands ("1 234,567" is a decimal).
    ambiguous = len(frac) == 3 and whole not in ("0", "-0") and not grouped_by_space
    return sign * float(f"{whole}.{frac}"), ambiguous


def _groups_ok(number: str, sep: str) -> bool:
    groups = number.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
