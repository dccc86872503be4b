"""Excel data validations of a form, with prompts and error messages in its language.

The form prevents what the checks of a returned file reject, wherever Excel and
LibreOffice can: a choice from the list; numbers not below their minimum; on the rows
whose indicator is in percent, 0–100 (``E_PERCENT_OVER_100``); on rows counting things,
whole numbers (``W_NUMBER_NOT_WHOLE``); texts within their length; dates within the
years around the period; and a column required when the status says so («Причини
невиконання» when «не виконано» or «не розпочато») by a formula over the row.

They guide a person typing; they do not protect anything — pasting bypasses them in
every client — so the validator checks every value again on return."""

from __future__ import annotations

from datetime import date
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.cellref import column_letter
from toolkit.forms import layout as L
from toolkit.forms.definition import Column
from toolkit.forms.spec import FormSpec
from toolkit.messages import Lang, t
from toolkit.plan.indicators import value_kind

_TITLE_MAX = 32
_MESSAGE_MAX = 255
VALUE = "value"  # the indicator's value: its rule follows each row's indicator
PERCENT_MAX = 100
DATE_YEARS_AFTER = 2  # a report may be filled in this many years after its period


def add_validations(wb: Workbook, ws: Worksheet, spec: FormSpec, lay: L.Layout, lang: Lang) -> None:
    definition = spec.definition
    if lay.n_rows:
        for c, column in enumerate(definition.columns):
            if not column.is_input:
                continue
            if column.key == VALUE:
                _value_rules(ws, spec, lay, c, column, lang)
                continue
            rule = _required_rule(column, lay, lang, spec) or _column_rule(column, lang, spec)
            if rule:
                ws.data_validation(lay.first_data_row, c, lay.last_data_row, c, rule)
    for field in definition.header:
        if field.type == "date" and not field.prefill:
            r = lay.header_row(field.key)
            ws.data_validation(r, L.VALUE_COLS[0], r, L.VALUE_COLS[0], _date_rule(lang, spec))


def _value_rules(
    ws: Worksheet, spec: FormSpec, lay: L.Layout, c: int, column: Column, lang: Lang
) -> None:
    """The indicator's value row by row: one rule for each kind of indicator, over every
    run of rows of that kind (one validation with several ranges, not one a run: a form
    alternating percent and count rows would otherwise carry dozens)."""
    kinds = [value_kind(row.measure.indicator.unit) for row in spec.rows]
    runs: dict[str, list[tuple[int, int]]] = {}
    start = 0
    for i in range(1, len(kinds) + 1):
        if i == len(kinds) or kinds[i] != kinds[start]:
            runs.setdefault(kinds[start], []).append((lay.data_row(start), lay.data_row(i - 1)))
            start = i
    for kind, ranges in runs.items():
        rule = _kind_rule(kind, column, lang, spec)
        (top, bottom), letter = ranges[0], column_letter(c)
        rule["multi_range"] = " ".join(f"{letter}{a + 1}:{letter}{b + 1}" for a, b in ranges)
        ws.data_validation(top, c, bottom, c, rule)


def _kind_rule(kind: str, column: Column, lang: Lang, spec: FormSpec) -> dict[str, Any]:
    low = column.min if column.min is not None else 0
    if kind == "percent":
        rule: dict[str, Any] = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": low,
            "maximum": PERCENT_MAX,
            "error_message": t("forms.check.percent", lang),
        }
        return _dressed(rule, column, lang)
    if kind == "count":
        rule = {
            "validate": "integer",
            "criteria": ">=",
            "value": int(low),
            "error_message": t("forms.check.count", lang, low=f"{low:g}"),
        }
        return _dressed(rule, column, lang)
    found = _column_rule(column, lang, spec)
    assert found is not None  # a number column always has one
    return found


def _required_rule(
    column: Column, lay: L.Layout, lang: Lang, spec: FormSpec
) -> dict[str, Any] | None:
    """A text column required by the status of its row: a formula over the row, so that
    leaving it empty (or clearing it) while the status asks for it is refused. The status
    is compared as the form's list shows it."""
    when = column.required_when
    if when is None or not when.column or not when.values or column.type != "text":
        return None
    top = lay.first_data_row + 1  # 1-based row of the range's first cell
    status = f"${column_letter(lay.col(when.column))}{top}"
    cell = f"{column_letter(lay.col(column.key))}{top}"
    listed = spec.definition.column(when.column)
    shown = [str(listed.shown(v, lang)) for v in when.values]
    free = ",".join(f'{status}<>"{v}"' for v in shown)
    need = f"OR(AND({free}),LEN(TRIM({cell}))>0)"
    formula = f"=AND({need},LEN({cell})<={column.max_length})" if column.max_length else f"={need}"
    states = ", ".join(t("forms.check.state", lang, state=v) for v in shown)
    title = column.header.text(lang)
    message = (
        t("forms.check.required_long", lang, states=states, title=title, limit=column.max_length)
        if column.max_length
        else t("forms.check.required", lang, states=states, title=title)
    )
    rule = {"validate": "custom", "value": formula, "ignore_blank": False, "error_message": message}
    return _dressed(rule, column, lang)


def _column_rule(column: Column, lang: Lang, spec: FormSpec | None = None) -> dict[str, Any] | None:
    rule: dict[str, Any]
    if column.choices:
        rule = {
            "validate": "list",
            "source": f"={L.NAME_LIST_PREFIX}{column.key}",
            "error_message": t("forms.check.choice", lang),
        }
    elif column.type in ("number", "integer"):
        low = column.min if column.min is not None else -1e12
        rule = {
            "validate": "decimal" if column.type == "number" else "integer",
            "error_message": t("forms.check.number", lang, low=f"{low:g}"),
        }
        if column.max is not None:
            rule |= {"criteria": "between", "minimum": low, "maximum": column.max}
        else:
            rule |= {"criteria": ">=", "value": low}
    elif column.type == "date":
        return _date_rule(lang, spec)
    elif column.max_length:
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": t("forms.check.too_long", lang, limit=column.max_length),
        }
    else:
        return None
    return _dressed(rule, column, lang)


def _dressed(rule: dict[str, Any], column: Column, lang: Lang) -> dict[str, Any]:
    title = _cut(column.header.text(lang), _TITLE_MAX)
    help_text = column.help.text(lang) if column.help else ""
    rule["input_title"] = title
    rule["input_message"] = _cut(help_text or title, _MESSAGE_MAX)
    rule["error_title"] = _cut(t("forms.check.invalid", lang), _TITLE_MAX)
    rule["error_message"] = _cut(rule["error_message"], _MESSAGE_MAX)
    return rule


def _date_rule(lang: Lang, spec: FormSpec | None = None) -> dict[str, Any]:
    """From the period's start to the end of the second year after it."""
    low = spec.period.start if spec is not None else date(2000, 1, 1)
    high = date(spec.period.end.year + DATE_YEARS_AFTER, 12, 31) if spec else date(2100, 12, 31)
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": low,
        "maximum": high,
        "input_title": t("forms.check.date_title", lang),
        "input_message": t("forms.check.date_hint", lang),
        "error_title": t("forms.check.date_invalid", lang),
        "error_message": t(
            "forms.check.date", lang, low=f"{low:%d.%m.%Y}", high=f"{high:%d.%m.%Y}"
        ),
    }


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
