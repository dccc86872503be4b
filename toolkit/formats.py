"""Numbers, shares and dates as a reader expects them: «1 234,5» and «45 %» in Ukrainian,
"1,234.5" and "45%" in English — the one place where a language decides a format rather
than words. On the public page the machine value goes beside each shown number
(``<data value>``), so a reader's program — and the tests — never parse these."""

from __future__ import annotations

from datetime import date

from toolkit.messages import Lang

NBSP = "\u00a0"  # keeps «1 234» and «45 %» on one line


def num(value: float | None, lang: Lang, digits: int = 2) -> str:
    """Up to ``digits`` decimals, trailing zeros dropped; ``—`` for no value."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def pct(share: float | None, lang: Lang, digits: int = 0) -> str:
    """A share (0.45) as a percentage, whole numbers unless ``digits`` asks for more."""
    if share is None:
        return "—"
    shown = num(round(share * 100, digits), lang, digits)
    return f"{shown}%" if lang == "en" else f"{shown}{NBSP}%"


def day(d: date | None, lang: Lang) -> str:
    if d is None:
        return "—"
    return d.isoformat() if lang == "en" else f"{d:%d.%m.%Y}"


def machine(value: float | None) -> str:
    """The value for ``<data value>``: shortest exact form, empty for none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
