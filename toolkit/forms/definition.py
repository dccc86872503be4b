"""The form definition: one description of a reporting form, read from YAML.

The shipped definitions live in ``toolkit/data/forms``; a workspace may hold its own
``form.yaml`` (relabelled or extra columns). The generator, the reader and the validator
all take their columns, types and rules from here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import InvalidFileError, UsageError
from toolkit.messages import Lang, Words
from toolkit.resources import data_path
from toolkit.schema import schema_issues
from toolkit.text import norm
from toolkit.yamlio import load

FieldType = Literal["text", "number", "integer", "date", "choice", "email", "phone"]
NUMERIC = ("number", "integer")


@dataclass(frozen=True)
class Label(Words):
    """A label of the form in both languages (an issue may carry it as a parameter)."""

    @classmethod
    def of(cls, d: dict[str, str] | None) -> Label | None:
        return cls(d["uk"], d.get("en")) if d else None


@dataclass(frozen=True)
class Condition:
    column: str | None = None
    values: tuple[str, ...] = ()
    has_target: bool | None = None


@dataclass(frozen=True)
class Column:
    key: str
    header: Label
    source: str | None = None
    type: FieldType = "text"
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    required: bool = False
    required_when: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    unit: Label | None = None
    group: Label | None = None
    width: float = 14
    help: Label | None = None
    carry_over: bool = False
    sum: bool = False
    choice_labels: tuple[tuple[str, Label], ...] = ()  # a choice → its words in each language

    @property
    def is_input(self) -> bool:
        return self.source is None

    def choice_for(self, text: str) -> tuple[str, bool] | None:
        """The list value a typed text stands for, and whether it was typed exactly so (as
        the list of the form's language shows it)."""
        found = _choice_keys(self).get(norm(text))
        if found is None:
            return None
        return found, text == found or text in _choice_words(self).get(found, ())

    def shown(self, value: Any, lang: Lang) -> Any:
        """A value of this column as a form in ``lang`` shows it: a choice in the words of
        the list (a stored choice is its Ukrainian word), anything else as it is."""
        if not self.choices or not isinstance(value, str):
            return value
        label = dict(self.choice_labels).get(value)
        return label.text(lang) if label is not None else value


@dataclass(frozen=True)
class HeaderField:
    key: str
    label: Label
    type: FieldType = "text"
    prefill: str | None = None
    required: bool = False
    help: Label | None = None


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: str
    period: Literal["annual", "quarterly"]
    title: Label
    sheets: dict[str, Label]
    header: tuple[HeaderField, ...]
    columns: tuple[Column, ...]
    instructions: Label
    fingerprint: str

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @cached_property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_input)

    @cached_property
    def plan_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.is_input)

    def sheet(self, role: str, lang: Lang = "uk") -> str:
        """The name of the sheet for ``role`` in a form in ``lang``."""
        return self.sheets[role].text(lang)

    def sheet_names(self, role: str) -> tuple[str, ...]:
        """Its names in every language: a returned form may be in either."""
        label = self.sheets[role]
        return (label.uk, label.en) if label.en and label.en != label.uk else (label.uk,)


@cache
def _choice_keys(column: Column) -> dict[str, str]:
    keys = {norm(alias): choice for alias, choice in column.aliases}
    keys |= {
        norm(word): choice for choice, words in _choice_words(column).items() for word in words
    }
    return keys | {norm(choice): choice for choice in column.choices}


@cache
def _choice_words(column: Column) -> dict[str, tuple[str, ...]]:
    """Each choice's words in the languages other than Ukrainian."""
    return {c: tuple(w for w in (label.en,) if w) for c, label in column.choice_labels}


_SHEETS = {
    "instructions": Label("Інструкція", "Instructions"),
    "report": Label("Звіт", "Report"),
    "lists": Label("Довідники", "Lists"),
    "meta": Label("_zvit"),
}


def load_definition(name_or_path: str | Path = "annual") -> FormDefinition:
    """A shipped definition by id ("annual", "quarterly") or a form.yaml file."""
    if not Path(name_or_path).suffix:
        return _shipped(str(name_or_path))
    return _build(_raw(name_or_path))


@cache
def _shipped(name: str) -> FormDefinition:
    """A definition shipped with zvit: package data, read once a process (every check
    worker needs them, and a fork starts with what its parent read)."""
    return _build(_shipped_raw(name))


def definition_for(period_is_annual: bool, workspace_form: Path | None = None) -> FormDefinition:
    """The workspace's own form when there is one for this kind of period, else the
    shipped standard form."""
    kind = "annual" if period_is_annual else "quarterly"
    if workspace_form is not None and workspace_form.is_file():
        own = load_definition(workspace_form)
        if own.period == kind:
            return own
    return load_definition(kind)


def custom_definition(workspace_form: Path) -> FormDefinition | None:
    """A workspace's ``form.yaml`` (whatever period it is for), if it has one."""
    return load_definition(workspace_form) if workspace_form.is_file() else None


def _raw(name_or_path: str | Path, depth: int = 0) -> dict[str, Any]:
    path = Path(name_or_path)
    if not path.suffix:
        path = data_path("forms") / f"{name_or_path}.yaml"
        if not path.is_file():
            raise UsageError("forms.definition.unknown", name=name_or_path)
    data, lines = load(path)
    found = schema_issues(data, "form.schema.json", path.name, lines)
    if found:
        raise InvalidFileError(
            found, "common.file.schema", file=path.name, schema="form.schema.json"
        )
    if "extends" in data and depth < 3:
        base = (
            _raw(data["extends"], depth + 1)
            if Path(data["extends"]).suffix
            else (_shipped_raw(data["extends"]))
        )
        data = _merge(base, data)
    return dict(data)


@cache
def _shipped_raw(name: str) -> dict[str, Any]:
    """Kept as read: ``_merge`` and ``_build`` make new dicts and lists of it."""
    return _raw(name)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys win; columns and header fields are replaced or appended by key."""
    out = dict(base) | {k: v for k, v in child.items() if k not in ("columns", "header")}
    for part in ("columns", "header"):
        merged = {item["key"]: item for item in base.get(part, [])}
        for item in child.get(part, []):
            merged[item["key"]] = item
        out[part] = list(merged.values())
    out.pop("extends", None)
    return out


def _build(d: dict[str, Any]) -> FormDefinition:
    columns = tuple(_column(c) for c in d.get("columns", []))
    keys = [c.key for c in columns]
    if len(set(keys)) != len(keys) or "measure_id" not in keys:
        raise UsageError("forms.definition.keys")
    canonical = json.dumps(d, ensure_ascii=False, sort_keys=True)
    return FormDefinition(
        id=d["id"],
        version=str(d["version"]),
        period=d.get("period", "annual"),
        title=Label.of(d.get("title")) or Label("Звіт", "Report"),
        sheets=_SHEETS | {role: _label(name) for role, name in d.get("sheets", {}).items()},
        header=tuple(
            HeaderField(
                h["key"],
                Label(h["label"]["uk"], h["label"].get("en")),
                h.get("type", "text"),
                h.get("prefill"),
                h.get("required", False),
                Label.of(h.get("help")),
            )
            for h in d.get("header", [])
        ),
        columns=columns,
        instructions=Label.of(d.get("instructions")) or Label(""),
        fingerprint=hashlib.sha256(canonical.encode()).hexdigest()[:16],
    )


def _column(c: dict[str, Any]) -> Column:
    when = c.get("required_when")
    return Column(
        key=c["key"],
        header=Label(c["header"]["uk"], c["header"].get("en")),
        source=c.get("source"),
        type=c.get("type", "choice" if c.get("choices") else "text"),
        choices=tuple(c.get("choices", ())),
        aliases=tuple(c.get("aliases", {}).items()),
        required=c.get("required", False),
        required_when=Condition(
            when.get("column"), tuple(when.get("in", ())), when.get("has_target")
        )
        if when
        else None,
        min=c.get("min"),
        max=c.get("max"),
        max_length=c.get("max_length"),
        unit=Label.of(c.get("unit")),
        group=Label.of(c.get("group")),
        width=c.get("width", 14),
        help=Label.of(c.get("help")),
        carry_over=c.get("carry_over", False),
        sum=c.get("sum", False),
        choice_labels=tuple(
            (choice, Label(choice, c.get("choice_labels", {}).get("en", {}).get(choice)))
            for choice in c.get("choices", ())
        ),
    )


def _label(name: str | dict[str, str]) -> Label:
    """A sheet's name: the same in every language, or given for each."""
    return Label(name) if isinstance(name, str) else Label(name["uk"], name.get("en"))
