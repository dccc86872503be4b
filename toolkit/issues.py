"""Coded issues: what a check found, where, and how to fix it.

Every issue names a code from the one catalog (``toolkit/data/codes/*.yaml``, one file per
topic, merged; ids are stable and never reused). The catalog holds, per language, a title,
a "what is wrong" template and a "how to fix it" text; an issue's message is always
*where → what → how to fix*. ``issue()`` takes exactly the parameters the catalog names
(those listed as ``optional`` may be left out); a retired code is kept in the catalog so
that stored issues still read, but is never raised again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, Literal

import yaml

from toolkit.messages import LANGS, Lang, Message, Words, said, t
from toolkit.resources import data_path

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    topic: str
    params: tuple[str, ...]
    texts: Mapping[Lang, Mapping[str, str]]
    optional: frozenset[str] = frozenset()  # params given only in some cases
    retired: bool = False  # never raised again; kept so the id is not reused

    def text(self, part: str, lang: Lang) -> str:
        return self.texts[lang][part]

    @cached_property
    def params_set(self) -> frozenset[str]:
        return frozenset(self.params)


@cache
def catalog() -> dict[str, CodeInfo]:
    """All codes by id, in catalog order."""
    raw: dict[str, dict[str, Any]] = {}
    for path in sorted(data_path("codes").glob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            # libyaml when present: every worker process loads the catalog
            part: dict[str, dict[str, Any]] = yaml.load(f, Loader=_YAML_LOADER)
        for code, entry in part.items():
            if code in raw:
                raise ValueError(f"issue code {code} is defined twice ({path.name})")
            raw[code] = entry | {"topic": path.stem}
    return {
        code: CodeInfo(
            code=code,
            severity=entry["severity"],
            topic=entry["topic"],
            params=tuple(entry.get("params", ())),
            texts={lang: entry[lang] for lang in LANGS},
            optional=frozenset(entry.get("optional", ())),
            retired=bool(entry.get("retired", False)),
        )
        for code, entry in raw.items()
    }


@dataclass(frozen=True)
class Location:
    file: str | None = None
    unit: str | None = None
    sheet: str | None = None
    cell: str | None = None
    measure: str | None = None
    path: str | None = None
    line: int | None = None

    def describe(self, lang: Lang = "uk") -> str:
        parts = [
            t(f"issue.where.{name}", lang, value=getattr(self, name))
            for name in _WHERE_ORDER
            if getattr(self, name) not in (None, "")
        ]
        text = ", ".join(parts)
        return text[:1].upper() + text[1:] if text else ""


_WHERE_ORDER = ("file", "line", "path", "unit", "sheet", "cell", "measure")


@dataclass(frozen=True)
class Issue:
    code: str
    where: Location = field(default_factory=Location)
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def info(self) -> CodeInfo:
        return catalog()[self.code]

    @property
    def severity(self) -> Severity:
        return self.info.severity

    def what(self, lang: Lang = "uk") -> str:
        return self.info.text("what", lang).format_map(_Params(said(self.params, lang)))

    def fix(self, lang: Lang = "uk") -> str:
        return self.info.text("fix", lang).format_map(_Params(said(self.params, lang)))

    def message(self, lang: Lang = "uk") -> str:
        where = self.where.describe(lang)
        body = f"{self.what(lang)} {self.fix(lang)}".strip()
        return f"{where}: {body}" if where else body

    def to_dict(self, lang: Lang = "uk") -> dict[str, Any]:
        loc = {k: v for k, v in vars(self.where).items() if v is not None}
        return {
            "code": self.code,
            "severity": self.severity,
            **loc,
            "message": self.message(lang),
            "params": {k: _jsonable(v) for k, v in self.params.items()},
        }


class _Params(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of raising mid-report."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Message):  # kept as words to say in any language (``stored_params``)
        return {_STORED: value.key, "params": {k: _jsonable(v) for k, v in value.params.items()}}
    if isinstance(value, Words):
        return {"uk": value.uk, "en": value.en}
    return str(value)


_STORED = "message"


def stored_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """An issue's parameters as ``to_dict`` stored them, with their messages again."""
    return {k: _restored(v) for k, v in params.items()}


def _restored(value: Any) -> Any:
    if isinstance(value, list):
        return [_restored(v) for v in value]
    if isinstance(value, dict) and set(value) == {_STORED, "params"}:
        return Message(str(value[_STORED]), stored_params(value["params"]))
    if isinstance(value, dict) and set(value) == {"uk", "en"}:
        return Words(str(value["uk"]), None if value["en"] is None else str(value["en"]))
    return value


def issue(code: str, where: Location | None = None, **params: Any) -> Issue:
    """Make an issue. An unknown or retired code, a parameter the catalog does not name or
    one it requires left out, is a programming error and fails at once."""
    info = catalog().get(code)
    if info is None or info.retired:
        state = "retired" if info else "not in the catalog"
        raise KeyError(f"issue code {code!r} is {state}")
    if params.keys() != info.params_set:
        _wrong_params(info, params)
    return Issue(code, where or Location(), params)


def _wrong_params(info: CodeInfo, params: Mapping[str, Any]) -> None:
    unexpected = sorted(set(params) - set(info.params))
    missing = sorted(set(info.params) - set(params) - info.optional)
    if unexpected or missing:
        raise TypeError(
            f"issue {info.code}: unexpected parameters {unexpected}, missing {missing} "
            f"(the catalog names {list(info.params)})"
        )


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)


def count_by_severity(issues: Iterable[Issue]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for i in issues:
        counts[i.severity] += 1
    return counts


def render_text(issues: Iterable[Issue], lang: Lang = "uk") -> str:
    """One line per issue, worst first: «[E_CODE] where: what. how to fix»."""
    order = {"error": 0, "warning": 1, "info": 2}
    ranked = sorted(issues, key=lambda i: order[i.severity])
    return "\n".join(f"[{i.code}] {i.message(lang)}" for i in ranked)
