"""Personal data in the executors' own words: e-mail addresses and phone numbers are taken
out of every narrative before it is published, and each removal is reported to the
coordinator (``W_PUBLISH_EMAIL_REMOVED``, ``W_PUBLISH_PHONE_REMOVED``); a person's name
cannot be told from any other word, so the narratives still need a person's reading.

What counts as a phone number is kept narrow on purpose: a Ukrainian number of ten digits
beginning with 0 (with or without +38, spaces, hyphens or brackets), or any run of digits
after a word that says it is one ("тел.", "моб.", "phone"). Amounts ("1 250 000 грн"),
dates ("05.01.2026") and document numbers ("№ 1003") are none of these, and stay."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.messages import Lang, t

EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_SEP = r"[\s\-()]{0,3}"  # no dot: "01.09.2025 30 дітей" is a date and a count
PHONE = re.compile(
    # ten digits from a 0, however grouped ("050 123 45 67", "(0642) 55-12-34"), maybe +38
    r"(?<![\w+])(?:\+?\s*3\s*8"
    + _SEP
    + r")?\(?0(?:"
    + _SEP
    + r"\d){9}(?!\d)"
    # or digits after a word that says they are a number to call
    + r"|(?<!\w)(?:тел(?:ефон)?|моб(?:ільний)?|факс|tel|phone|mob|fax)\.?\s*[:№]?\s*"
    + r"\+?[\d(][\d\s\-().]{3,}\d",
    re.IGNORECASE | re.UNICODE,
)


@dataclass(frozen=True)
class Scrubbed:
    text: str
    found: tuple[str, ...]  # "email", "phone": what was taken out


def scrub(text: str, lang: Lang) -> Scrubbed:
    """``text`` with every e-mail address and phone number replaced by a mark that says so."""
    found: list[str] = []
    mark = t("publish.redacted", lang)

    def out(kind: str) -> str:
        found.append(kind)
        return mark

    text = EMAIL.sub(lambda _m: out("email"), text)
    text = PHONE.sub(lambda _m: out("phone"), text)
    return Scrubbed(text, tuple(dict.fromkeys(found)))
