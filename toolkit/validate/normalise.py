"""Cell values as typed → the values the form asks for, with a warning for every
harmless repair ("Виконано." → виконано, "12,5" → 12.5) and the raw value kept where
nothing sensible can be read, for the schema check to reject with its cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, partial
from typing import Any

from toolkit.forms.definition import Column, HeaderField
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Words
from toolkit.text import strip_control
from toolkit.validate.numbers import DASHES, parse_number
from toolkit.validate.reader import Cell

# A cell reference → where it is (file, sheet, measure): called only when there is
# something to report, so a form's hundreds of clean cells build no Location.
Where = Callable[[str], Location]
Here = Callable[[], Location]

_DATE_TEXT = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*(?:р\.?)?\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMERIC = ("number", "integer")
# text that needs no cleaning: starts and ends with a visible character, no control ones
_PLAIN = re.compile(r"[^\x00-\x20\x7f](?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\x00-\x20\x7f])?")


def normalise_cell(column: Column, cell: Cell, where: Where, issues: list[Issue]) -> Any:
    """The value of an input cell, or None when empty."""
    value = cell.value
    if not cell.formula and not cell.percent and usual(column, value):
        return value
    return _repaired(column, cell, partial(where, cell.ref), issues)


def usual(column: Column, value: Any) -> bool:
    """Empty, or typed as the form asks: nothing to repair or report (nearly every cell
    of a form, so the checks are ordered by how often they answer)."""
    kind = type(value)
    if kind is str:
        return (
            value in column.choices if column.choices else (column.type == "text" and _plain(value))
        )
    if kind is float:
        return column.type in _NUMERIC
    return value is None


def all_usual(column: Column, values: list[Any]) -> bool:
    """``usual`` for every value of a column at once, in loops that run in C for the
    common cases; False may still hold usual values (the caller then asks cell by
    cell), True never holds any other."""
    kinds = set(map(type, values))
    if column.choices:
        return kinds <= _STR_OR_NONE and set(values) <= _choices(column.choices)
    if column.type in _NUMERIC:
        return kinds <= _FLOAT_OR_NONE
    if column.type == "text" and kinds <= _STR_OR_NONE:
        return "" not in values and all(map(_plain, filter(None, values)))
    return kinds <= _NONE


_STR_OR_NONE = frozenset({str, type(None)})
_FLOAT_OR_NONE = frozenset({float, type(None)})
_NONE = frozenset({type(None)})


@cache
def _choices(choices: tuple[str, ...]) -> frozenset[str | None]:
    return frozenset((*choices, None))


def _plain(text: str) -> bool:
    """Text that needs no cleaning; isprintable (C) answers for nearly all at once."""
    if text.isprintable():
        return text[:1] not in ("", " ") and text[-1] != " "
    return _PLAIN.fullmatch(text) is not None


def _repaired(column: Column, cell: Cell, where: Here, issues: list[Issue]) -> Any:
    value = cell.value
    title = column.header
    if cell.formula:
        issues.append(issue("W_FORMULA_IN_INPUT", where(), formula=cell.formula[:80]))
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.type in ("number", "integer"):
        if cell.percent and isinstance(value, float | int) and not isinstance(value, bool):
            shown = f"{value * 100:g}"
            issues.append(issue("W_PERCENT_FRACTION", where(), value=f"{value:g}", percent=shown))
            return round(value * 100, 10)
        return _number(value, title, where, issues)
    if column.choices:
        return _choice(column, value, where, issues)
    if column.type == "date":
        return _date(value, title, where, issues)
    return _text(value, title, where, issues)


def normalise_header(field: HeaderField, cell: Cell, at: Where, issues: list[Issue]) -> Any:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    where = partial(at, cell.ref)
    if field.type == "date":
        return _date(value, field.label, where, issues)
    text = _text(value, field.label, where, issues)
    if field.type == "email" and not _EMAIL.match(text):
        issues.append(issue("W_EMAIL_INVALID", where(), value=text))
    return text


def _number(value: Any, title: Words, where: Here, issues: list[Issue]) -> Any:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()  # a date where a number belongs: the schema rejects it
    text = strip_control(str(value)).strip()
    if text in DASHES:
        return None  # a dash means "nothing"
    parsed = parse_number(text)
    if parsed.value is None:
        return text
    if parsed.ambiguous:
        issues.append(issue("E_NUMBER_AMBIGUOUS", where(), column=title, value=text))
        return None
    issues.append(
        issue("W_NUMBER_AS_TEXT", where(), column=title, value=text, number=f"{parsed.value:g}")
    )
    return parsed.value


def _choice(column: Column, value: Any, where: Here, issues: list[Issue]) -> Any:
    text = strip_control(str(value)).strip()
    found = column.choice_for(text)
    if found is None:
        return text  # not in the list: the schema check reports it
    choice, exact = found
    if not exact:
        issues.append(
            issue("W_CHOICE_NORMALISED", where(), column=column.header, value=text, choice=choice)
        )
    return choice


def _date(value: Any, title: Words, where: Here, issues: list[Issue]) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_TEXT.match(str(value))
    if m:
        try:
            parsed = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            parsed = None
        if parsed is not None:
            issues.append(issue("W_DATE_AS_TEXT", where(), column=title, value=str(value)))
            return parsed
    issues.append(issue("E_DATE_INVALID", where(), column=title, value=str(value)[:60]))
    return None


def _text(value: Any, title: Words, where: Here, issues: list[Issue]) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    cleaned = strip_control(text)
    if cleaned != text:
        issues.append(issue("W_CONTROL_CHAR_STRIPPED", where(), column=title))
    return cleaned.strip()
