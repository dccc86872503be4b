"""A form in English is a whole form: its sheets, titles, list and prompts in English, and
read back like a Ukrainian one — its English choices are the stored Ukrainian words."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from tests.collect_support import answers, new_workspace
from tests.support.language import CYRILLIC
from toolkit.forms.definition import load_definition
from toolkit.forms.generate import GeneratedForm
from toolkit.forms.make import FormRequest, make_forms
from toolkit.periods import Period
from toolkit.statuses import REPORTED, status_label
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context
from toolkit.workspace import Workspace

UNIT = "loda-osvita"


def english_form(ws: Workspace) -> GeneratedForm:
    request = FormRequest(Period(2025), ws.root / "forms", (UNIT,), lang="en", jobs=1)
    [form] = make_forms(ws.plan(), ws.registry(), request)
    return form


def fill_english(form: GeneratedForm, cells: dict[tuple[str, str], object]) -> bytes:
    """The Ukrainian test answers typed into the English form: its sheet is «Report»."""
    wb = openpyxl.load_workbook(form.path)
    for (_sheet, ref), value in cells.items():
        wb["Report"][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_status_words_of_the_form_are_the_catalogs() -> None:
    status = load_definition("annual").column("status")
    assert tuple(status.choices) == REPORTED
    for choice in status.choices:
        assert status.shown(choice, "en") == status_label(choice, "en")
        assert status.shown(choice, "uk") == choice


def test_an_english_form_says_nothing_in_ukrainian_but_the_plan(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = english_form(ws)
    assert form.path.name.endswith("— report 2025.xlsx")
    wb = openpyxl.load_workbook(form.path)
    assert wb.sheetnames == ["Instructions", "Report", "Lists", "_zvit"]
    plan = ws.plan()
    data = {plan.title, ws.registry().units[UNIT].name}
    for m in plan.measures():
        data |= {m.text, m.deadline.raw, m.indicator.raw, m.indicator.unit or ""}
    for sheet in wb.worksheets[:3]:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value not in data:
                    assert not CYRILLIC.search(cell.value), (sheet.title, cell.coordinate)
        for rule in sheet.data_validations.dataValidation:
            for text in (rule.prompt, rule.error, rule.promptTitle, rule.errorTitle):
                assert not CYRILLIC.search(text or ""), (sheet.title, text)
    lists = wb["Lists"]
    assert [c.value for c in lists["A"]][1:] == [status_label(s, "en") for s in REPORTED]
    required = [r.formula1 for r in wb["Report"].data_validations.dataValidation if r.formula1]
    assert any('"not done"' in f for f in required), required


def test_an_english_form_comes_back_in_the_stored_words(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = english_form(ws)
    cells = answers(ws, form, status="in progress", note="Meetings held.")
    checked = validate_bytes(
        fill_english(form, cells), form.path.name, Context(ws.plan(), ws.registry())
    )
    assert checked.verdict == "accepted", [i.code for i in checked.issues]
    assert checked.answers is not None
    statuses = {r.values["status"].value for r in checked.answers.rows}
    assert statuses == {"виконується"}
    assert not [i for i in checked.issues if i.code == "W_CHOICE_NORMALISED"]
    # the stored Ukrainian word typed into an English form is the same answer
    cells = answers(ws, form, status="виконується")
    again = validate_bytes(
        fill_english(form, cells), form.path.name, Context(ws.plan(), ws.registry())
    )
    assert again.verdict == "accepted", [i.code for i in again.issues]


def test_issues_name_the_forms_words_in_the_readers_language(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = english_form(ws)
    cells = answers(ws, form, status="almost")
    checked = validate_bytes(
        fill_english(form, cells), form.path.name, Context(ws.plan(), ws.registry())
    )
    [wrong, *_] = [i for i in checked.issues if i.code == "E_CHOICE_INVALID"]
    # (its location names the file, after the unit: data)
    english, ukrainian = wrong.what("en") + wrong.fix("en"), wrong.what("uk")
    assert "'Status'" in english and "'not started'" in english, english
    assert not CYRILLIC.search(english), english
    assert "«Стан виконання»" in ukrainian and "«не розпочато»" in ukrainian, ukrainian
