"""Is a text in one language? English text must hold no Cyrillic letter; Ukrainian text no
English word — but codes (E_CODE), options (--lang), identifiers (plan_id, loda-osvita),
file names (units.yaml), addresses and a few names of things (Excel, SMTP) are neither
language and may stand in both. Plan data — titles, measures, units' names, what executors
wrote — is the plan's own: callers remove it first (``without``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

CYRILLIC = re.compile(r"[а-яіїєґА-ЯІЇЄҐ]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_STRIP = "«»“”„\"'()[]{}<>,;:!?…—–·*•|→✓✗"
# Names of programs, formats and protocols, and the few identifiers a person types
# («id»): the same words in any language.
NAMES = frozenset(
    (
        "zvit",
        "excel",
        "libreoffice",
        "calc",
        "word",
        "outlook",
        "thunderbird",
        "smtp",
        "imap",
        "ssl",
        "tls",
        "starttls",
        "pdf",
        "json",
        "csv",
        "yaml",
        "toml",
        "xlsx",
        "xls",
        "docx",
        "doc",
        "odt",
        "ods",
        "rtf",
        "txt",
        "eml",
        "mbox",
        "maildir",
        "zip",
        "html",
        "css",
        "utf",
        "keyring",
        "id",
        "uk",
        "en",
        "ctrl",
        "sha",
        "wcag",
        "qr",
        "mime",
        "tnef",
        "msg",
        "uid",
        "uidvalidity",
        "uv",
        "python",
        "windows",
        "linux",
        "macos",
    )
)


def cyrillic(text: str) -> list[str]:
    """The lines of ``text`` that hold a Cyrillic letter."""
    return [line for line in text.splitlines() if CYRILLIC.search(line)]


def english_words(text: str, allowed: Iterable[str] = ()) -> set[str]:
    """English words in ``text`` that are none of the things that may stand in Ukrainian."""
    ok = NAMES | {w.lower() for w in allowed}
    found: set[str] = set()
    after_section = False
    for raw in text.split():
        token = raw.strip(_STRIP).rstrip(".").strip(_STRIP)
        # a setting named as zvit.toml writes it: «[output] lang»
        section, after_section = after_section, _SECTION.match(raw) is not None
        if not token or _neutral(token) or after_section or (section and token.islower()):
            continue
        found |= {w for w in _LATIN_WORD.findall(token) if w.lower() not in ok}
    return found


_SECTION = re.compile(r"^\[[a-z_]+\]$")


def _neutral(token: str) -> bool:
    """An option, a code, an identifier, a file or a path, an address, a number."""
    return (
        token.startswith("-")
        or any(c in token for c in "_/\\@=.%$#+-")
        or any(c.isdigit() for c in token)
        or _ROMAN.fullmatch(token) is not None
    )


_ROMAN = re.compile(r"[IVXLC]+")  # a section's number


def without(text: str, data: Iterable[str]) -> str:
    """``text`` with every piece of plan data in it replaced by "_" (longest first): what
    is left of a word a piece was cut out of is then no word of either language."""
    for piece in sorted({d for d in data if d and d.strip()}, key=len, reverse=True):
        text = text.replace(piece, "_")
    return text
