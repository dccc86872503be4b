"""Targets read from indicator wording: "створення 115 прийомних сімей" → 115 прийомних сімей.

Only an indicator with exactly one quantity gets a target; years, year ranges, Roman
numerals and numbers inside names are not quantities. An indicator with several
quantities ("1 дефектолог, 3 логопеди") is left without a target for a person to decide."""

from __future__ import annotations

import re

from toolkit.plan.model import Indicator
from toolkit.text import clean

_NUMBER = re.compile(r"(?<![\w./№-])(\d{1,3}(?:[  ]\d{3})+|\d+)(?:[.,](\d+))?(?![\w/-])")
_YEAR_CONTEXT = re.compile(r"(?:19|20)\d\d")
_STOP = {
    "у", "в", "для", "з", "із", "зі", "на", "до", "від", "які", "який", "яка", "що", "та",
    "і", "й", "по", "при", "за", "як", "щодо", "між", "через", "шляхом", "відповідно",
}  # fmt: skip
_MAX_UNIT_WORDS = 6  # "дитячого будинку сімейного типу"; stop words end it sooner


def quantities(text: str) -> list[tuple[float, int, int]]:
    """Numbers that may be quantities: (value, start, end) in the text."""
    found = []
    for m in _NUMBER.finditer(text):
        whole = re.sub(r"\s", "", m.group(1))
        if len(whole) == 4 and _YEAR_CONTEXT.fullmatch(whole) and not m.group(2):
            continue  # a year, not a quantity
        value = float(f"{whole}.{m.group(2)}" if m.group(2) else whole)
        found.append((value, m.start(), m.end()))
    return found


def parse_indicator(raw: str) -> Indicator:
    text = clean(raw)
    found = quantities(text)
    if len(found) != 1:
        return Indicator(text)
    value, _, end = found[0]
    return Indicator(text, value, _unit_after(text[end:]))


def looks_numeric(raw: str) -> bool:
    return bool(quantities(clean(raw)))


def _unit_after(tail: str) -> str | None:
    tail = tail.lstrip()
    if tail.startswith("%"):
        return "%"
    words = []
    for word in re.split(r"\s+", tail):
        bare = word.strip("«»\"'")
        if not bare or bare.lower() in _STOP:
            break
        stop_after = bool(re.search(r"[,.;:()]$", word))
        words.append(bare.rstrip(",.;:()"))
        if stop_after or len(words) == _MAX_UNIT_WORDS:
            break
    return " ".join(w for w in words if w) or None


# Units whose values are amounts rather than counts of things: money, and staff
# positions (half a position — «0,5 ставки» — is an ordinary answer).
_AMOUNT_WORDS = ("грн", "посад", "ставк", "км", "га", "кг", "тонн", "м2", "м²", "год")


def value_kind(unit: str | None) -> str:
    """How an indicator's value is read: "percent" (0–100), "count" (a whole number of
    things: сімей, груп, ІРЦ…) or "amount" (any number not below zero)."""
    text = (unit or "").strip().lower()
    if text == "%":
        return "percent"
    if not text or any(word in text for word in _AMOUNT_WORDS):
        return "amount"
    return "count"
