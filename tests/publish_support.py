"""A workspace with several years of synthetic submissions for the publish tests: the
Luhansk plan, a registry whose units have contact persons and phones, and narratives that
hold personal data and hostile markup — everything the page must never show as it is."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import yaml

from tests.test_report_data import EXAMPLE, random_dataset
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.report.build import ReportInputs
from toolkit.validate.result import AnswerRow, Answers, Value
from toolkit.workspace import Workspace, init_from_example

MADE_ON = date(2026, 2, 1)
YEARS = (2023, 2024, 2025)
HOSTILE = (
    '<script>alert("zvit")</script> <a href="javascript:alert(1)">посилання</a> '
    '<b>жирний</b> <img src=x onerror=alert(2)> {{ 7*7 }} =HYPERLINK("http://x")'
)
PERSONAL = "Контактна особа Іваненко, тел. (0642) 55-12-34, ivanenko@osvita.example"
PERSON = "Петренко Оксана Миколаївна"
UNIT_PHONE = "+380 64 222 33 44"


def workspace(root: Path) -> Workspace:
    """The Luhansk example with a contact person and a phone for every unit."""
    ws = init_from_example(root, EXAMPLE)
    data = yaml.safe_load((ws.units_path).read_text(encoding="utf-8"))
    for i, unit in enumerate(data["units"]):
        unit["contact"] = {"person": f"{PERSON} {i}", "phone": f"{UNIT_PHONE}{i:02d}"}
    ws.units_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return ws


@functools.cache
def inputs(years: tuple[int, ...] = YEARS) -> Mapping[Period, ReportInputs]:
    """Each year's accepted submissions (with every earlier year's), the last year's first
    report saying something hostile and something personal."""
    out = {}
    for year in years:
        earlier = tuple(str(y) for y in range(2019, year))
        ds = random_dataset(year, str(year), earlier=earlier)
        accepted = dict(ds.accepted)
        if year == years[-1]:
            unit = next(iter(accepted))
            accepted[unit] = said(accepted[unit], "done", f"{HOSTILE} {PERSONAL}")
        out[Period(year)] = ReportInputs(accepted, ds.earlier)
    return out


def said(sub: Submission, key: str, text: str) -> Submission:
    """``sub`` with ``text`` in column ``key`` of its first row."""
    assert sub.answers is not None
    first, *rest = sub.answers.rows
    cell = Value(text, "L12", text)
    row = AnswerRow(first.measure_id, first.row, {**first.values, key: cell})
    answers = Answers(sheet=sub.answers.sheet, rows=[row, *rest])
    return dataclasses.replace(sub, answers=answers)


def site_text(folder: Path) -> str:
    """Every file the publish wrote, as one text."""
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()
    )
