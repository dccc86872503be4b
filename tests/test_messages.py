"""The message catalog: complete in both languages, one file per topic, and every key the
code names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from toolkit.errors import CodedError, UsageError, ZvitError
from toolkit.issues import issue
from toolkit.messages import LANGS, Message, messages, placeholders, t
from toolkit.resources import data_path

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
_KEYISH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_FILE_ENDINGS = {"md", "j2", "json", "yaml", "docx", "pdf", "xlsx", "csv", "html", "toml", "db"}


def topics() -> set[str]:
    return {key.split(".", 1)[0] for key in messages()}


def used_keys() -> set[str]:
    """Every string in the code that looks like a key of one of the catalog's topics
    («plan.import.saved»): those handed to ``t``, raised in errors, given as help."""
    known = topics()
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if (
                    _KEYISH.match(text)
                    and text.split(".", 1)[0] in known
                    and text.rsplit(".", 1)[1] not in _FILE_ENDINGS
                ):
                    found.add(text)
    return found


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in messages().items():
        assert set(texts) == set(LANGS), key
        assert texts["uk"].strip() and texts["en"].strip(), key
        assert placeholders(texts["uk"]) == placeholders(texts["en"]), key


def test_one_file_per_topic_named_for_it() -> None:
    for path in sorted(data_path("messages").glob("*.yaml")):
        keys = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        assert keys, path.name
        strays = [k for k in keys if k.split(".", 1)[0] != path.stem]
        assert not strays, f"{path.name} holds keys of another topic: {strays}"


def test_every_key_named_in_the_code_is_in_the_catalog() -> None:
    missing = {key for key in used_keys() if key not in messages()}
    # a key's own prefix («report.sheet») may be named to build keys from it
    missing = {key for key in missing if not any(k.startswith(key + ".") for k in messages())}
    assert not missing, f"not in toolkit/data/messages: {sorted(missing)}"


def test_english_has_no_cyrillic() -> None:
    for key, texts in messages().items():
        assert not re.search(r"[а-яіїєґА-ЯІЇЄҐ]", texts["en"]), key


def test_unknown_key_and_missing_parameter_fail_at_once() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        t("no.such.key")
    key = next((k for k, v in messages().items() if placeholders(v["uk"])), None)
    if key is not None:
        with pytest.raises(KeyError):
            t(key, "uk")


def test_a_message_is_said_in_the_language_asked_and_nests() -> None:
    inner = Message("common.none")
    said = Message("plan.summary.first_last", {"first": inner, "last": "I.2"})
    assert said.text("uk") == "перший: немає; останній: I.2"
    assert said.text("en") == "first: none; last: I.2"


def test_errors_are_said_in_the_readers_language_and_survive_pickling() -> None:
    import pickle

    error = UsageError("plan.show.need_units")
    assert error.text("en").startswith("Choosing the measures")
    assert str(error) == error.text("uk")
    coded = CodedError(issue("E_REPORT_NOTHING_ACCEPTED", period="2025", expected=7))
    assert coded.text("en").startswith("[E_REPORT_NOTHING_ACCEPTED] ")
    for sent in (error, coded):
        back = pickle.loads(pickle.dumps(sent))
        assert isinstance(back, ZvitError) and type(back) is type(sent)
        assert back.text("en") == sent.text("en")
