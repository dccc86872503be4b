"""A title typed in capitals, given its ordinary capitals back.

The decision that approves a plan repeats its title in ordinary letters ("Про
затвердження Регіонального … плану … Глухівської міської ради …"), inflected. A word
of the title keeps its capital when every occurrence of its stem inside a sentence in
the document's ordinary text starts with a capital (names of places and bodies); an
abbreviation keeps its capitals when the text writes it so; every other word is lower
case, the first word capitalised. The import warns that it did this."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-zА-ЯҐЄІЇа-яґєії'’]+")
_STEM = 5


def restore_case(title: str, text: str) -> str:
    seen = _usage(text)
    words: list[str] = []
    for i, token in enumerate(re.split(r"(\s+)", title)):
        if not _WORD.fullmatch(token.strip('«»"(),.:;')) or not token.strip():
            words.append(token.lower() if token.isupper() and not token.isdigit() else token)
            continue
        words.append(_cased(token, seen, first=i == 0))
    return "".join(words)


def _cased(token: str, seen: dict[str, set[str]], first: bool) -> str:
    core = token.strip('«»"(),.:;')
    low = core.lower()
    kinds = seen.get(low, set()) if len(low) <= 3 else seen.get(low[:_STEM], set())
    if core.isupper() and kinds == {"caps"}:
        cased = core
    elif kinds == {"capital"} or first:
        cased = low[:1].upper() + low[1:]
    else:
        cased = low
    return token.replace(core, cased)


def _usage(text: str) -> dict[str, set[str]]:
    """How each stem is written inside sentences of the text's ordinary (not capitals)
    paragraphs: "capital", "lower" or "caps"."""
    found: dict[str, set[str]] = {}
    for para in re.split(r"\n\s*\n", text):
        letters = re.sub(r"[^A-Za-zА-ЯҐЄІЇа-яґєії]", "", para)
        if not letters or letters.isupper():
            continue
        for m in _WORD.finditer(para):
            before = para[: m.start()].rstrip()
            if not before or before.endswith((".", "!", "?", ":", "«", '"', "(")):
                continue  # a sentence's first word is capitalised whatever it is
            word = m.group()
            key = word.lower() if len(word) <= 3 else word.lower()[:_STEM]
            kind = (
                "caps"
                if len(word) > 1 and word.isupper()
                else "capital"
                if word[:1].isupper()
                else "lower"
            )
            found.setdefault(key, set()).add(kind)
    return found
