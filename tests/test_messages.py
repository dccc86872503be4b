"""The message catalog: complete in both languages, and every key the code names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.messages import LANGS, messages, placeholders, t

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
# t("some.key" …) or t('some.key' …) written out in the code
_USED = re.compile(r"""\bt\(\s*["']([a-z0-9_.-]+)["']""")


def used_keys() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        found |= set(_USED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in messages().items():
        assert set(texts) == set(LANGS), key
        assert texts["uk"].strip() and texts["en"].strip(), key
        assert placeholders(texts["uk"]) == placeholders(texts["en"]), key


def test_every_key_named_in_the_code_is_in_the_catalog() -> None:
    missing = used_keys() - set(messages())
    assert not missing, f"not in toolkit/data/messages: {sorted(missing)}"


def test_english_has_no_cyrillic_and_ukrainian_is_not_english() -> None:
    for key, texts in messages().items():
        assert not re.search(r"[а-яіїєґА-ЯІЇЄҐ]", texts["en"]), key


def test_unknown_key_and_missing_parameter_fail_at_once() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        t("no.such.key")
    key = next((k for k, v in messages().items() if placeholders(v["uk"])), None)
    if key is not None:
        with pytest.raises(KeyError):
            t(key, "uk")
