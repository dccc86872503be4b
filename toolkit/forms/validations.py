"""Excel data validations of a form, with Ukrainian prompts and error messages.

They guide a person typing; they do not protect anything — pasting bypasses them in
every client — so the validator checks every value again on return."""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.forms import layout as L
from toolkit.forms.definition import Column, FormDefinition
from toolkit.messages import Lang

_TITLE_MAX = 32
_MESSAGE_MAX = 255


def add_validations(
    wb: Workbook, ws: Worksheet, definition: FormDefinition, lay: L.Layout, lang: Lang
) -> None:
    if lay.n_rows:
        for c, column in enumerate(definition.columns):
            if column.is_input:
                rule = _column_rule(column, lang)
                if rule:
                    ws.data_validation(lay.first_data_row, c, lay.last_data_row, c, rule)
    for field in definition.header:
        if field.type == "date" and not field.prefill:
            r = lay.header_row(field.key)
            ws.data_validation(r, L.VALUE_COLS[0], r, L.VALUE_COLS[0], _date_rule(lang))


def _column_rule(column: Column, lang: Lang) -> dict[str, Any] | None:
    uk = lang == "uk"
    title = _cut(column.header.text(lang), _TITLE_MAX)
    help_text = column.help.text(lang) if column.help else ""
    rule: dict[str, Any]
    if column.choices:
        rule = {
            "validate": "list",
            "source": f"={L.NAME_LIST_PREFIX}{column.key}",
            "error_message": "Оберіть значення зі списку."
            if uk
            else "Choose a value from the list.",
        }
    elif column.type in ("number", "integer"):
        low = column.min if column.min is not None else -1e12
        rule = {
            "validate": "decimal" if column.type == "number" else "integer",
            "criteria": ">=",
            "value": low,
            "error_message": (
                f"Введіть число не менше {low:g}, без одиниць виміру і знака %."
                if uk
                else f"Enter a number of at least {low:g}, without units or %."
            ),
        }
    elif column.type == "date":
        return _date_rule(lang)
    elif column.max_length:
        rule = {
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": (
                f"Текст задовгий: не більше {column.max_length} символів."
                if uk
                else f"Text too long: at most {column.max_length} characters."
            ),
        }
    else:
        return None
    rule["input_title"] = title
    rule["input_message"] = _cut(help_text or title, _MESSAGE_MAX)
    rule["error_title"] = _cut("Невірне значення" if uk else "Invalid value", _TITLE_MAX)
    rule["error_message"] = _cut(rule["error_message"], _MESSAGE_MAX)
    return rule


def _date_rule(lang: Lang) -> dict[str, Any]:
    from datetime import date

    uk = lang == "uk"
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": date(2000, 1, 1),
        "maximum": date(2100, 12, 31),
        "input_title": "Дата" if uk else "Date",
        "input_message": "Дата у форматі ДД.ММ.РРРР" if uk else "Date as DD.MM.YYYY",
        "error_title": "Невірна дата" if uk else "Invalid date",
        "error_message": "Введіть дату у форматі ДД.ММ.РРРР."
        if uk
        else "Enter a date as DD.MM.YYYY.",
    }


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
