"""The catalog of everything a person reads that is not an issue: command output, labels
of workbooks, documents and pages, help texts. Ukrainian first, complete English.

Built like the issue-code catalog (``toolkit.issues``): ``toolkit/data/messages/*.yaml``,
one file per topic, merged; each key has a ``uk`` and an ``en`` text with the same
``{placeholders}``. ``t(key, lang, **params)`` gives the text. An unknown key or a missing
parameter is a programming error and fails at once (tests walk every key).

A text said before its reader's language is known — an error raised deep in the library —
is a ``Message`` (key and parameters), put into words where it is shown."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import yaml

from toolkit.resources import data_path

Lang = Literal["uk", "en"]
LANGS: tuple[Lang, ...] = ("uk", "en")
DEFAULT_LANG: Lang = "uk"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def as_lang(value: object) -> Lang:
    """A language from a setting or an option; anything else is Ukrainian, the default."""
    return "en" if value == "en" else "uk"


@cache
def messages() -> dict[str, Mapping[Lang, str]]:
    """Every message by key, in catalog order."""
    found: dict[str, Mapping[Lang, str]] = {}
    for path in sorted(data_path("messages").glob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            part: dict[str, dict[str, str]] | None = yaml.load(f, Loader=_YAML_LOADER)
        for key, texts in (part or {}).items():
            if key in found:
                raise ValueError(f"message {key} is defined twice ({path.name})")
            if set(texts) != set(LANGS):
                raise ValueError(f"message {key} ({path.name}) needs exactly uk and en")
            found[key] = {lang: str(texts[lang]) for lang in LANGS}
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(key: str, lang: Lang = DEFAULT_LANG, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled from ``params``."""
    try:
        template = messages()[key][lang]
    except KeyError:
        raise KeyError(f"message {key!r} ({lang}) is not in the catalog") from None
    return template.format(**params) if params or "{" in template else template


@dataclass(frozen=True)
class Message:
    """A text of the catalog not yet put into words: its key and parameters. A parameter
    may itself be a Message, or a list of them, said in the same language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return t(self.key, lang, **said(self.params, lang))


@dataclass(frozen=True)
class Words:
    """A text given in both languages by something other than the catalog — a label of a
    form definition, which a workspace may rewrite — said like a Message. Without an
    English text, the Ukrainian one serves."""

    uk: str
    en: str | None = None

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return (self.en or self.uk) if lang == "en" else self.uk


Sayable = Message | Words


def said(params: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """``params`` with every Message or Words among them put into words, and a list
    joined by commas; anything else as it is."""
    return {k: _said(v, lang) for k, v in params.items()}


def _said(value: Any, lang: Lang) -> Any:
    if isinstance(value, Message | Words):
        return value.text(lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(_said(v, lang)) for v in value)
    return value
