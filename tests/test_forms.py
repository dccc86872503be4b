"""Forms for both examples: exactly the measures `zvit plan show` lists for each unit and
period; byte-stable output matching the golden files; the blank forms current."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from tests.forms_support import EXAMPLES, ROOT, example, form_ids
from toolkit.cli import cli
from toolkit.forms.blank import FORMS, render_blank
from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.messages import Lang
from toolkit.periods import Period

GOLDEN = Path(__file__).parent / "golden" / "forms"
UPDATE = os.environ.get("ZVIT_UPDATE_GOLDEN") == "1"
CASES = [
    (name, period)
    for name in ("luhansk-2018-2026", "hlukhiv-2020-2026")
    for period in ("2019", "2025", "2021-Q2")
]


def _show(name: str, *options: str) -> dict[str, Any]:
    """`zvit plan show ... --json` of an example, parsed."""
    folder = EXAMPLES / name
    args = ["plan", "show", str(folder / "plan.yaml"), "--units", str(folder / "units.yaml")]
    result = CliRunner().invoke(cli, [*args, *options, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _plan_show(name: str, period: str) -> dict[str, list[str]]:
    """Unit id → measure ids, as `zvit plan show --period P --json` lists them."""
    per_unit: dict[str, list[str]] = {}
    for m in _show(name, "--period", period)["measures"]:
        for unit in m["units"]:
            per_unit.setdefault(unit, []).append(m["id"])
    return per_unit


@pytest.mark.parametrize(("name", "period"), CASES)
def test_each_form_holds_what_plan_show_lists(name: str, period: str, tmp_path: Path) -> None:
    out = tmp_path / "forms"
    folder = EXAMPLES / name
    result = CliRunner().invoke(
        cli,
        [
            "templates",
            "--period",
            period,
            "-o",
            str(out),
            "--plan",
            str(folder / "plan.yaml"),
            "--units",
            str(folder / "units.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    expected = _plan_show(name, period)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["unit"] for e in manifest) == sorted(expected)
    form = "annual" if Period.parse(period).is_annual else "quarterly"
    for entry in manifest:
        ids = form_ids((out / entry["file"]).read_bytes(), form)
        assert ids == expected[entry["unit"]], entry["unit"]


def test_plan_show_for_one_unit_agrees() -> None:
    shown = _show("luhansk-2018-2026", "--period", "2025", "--unit", "otg-bilokurakynska")
    ids = [m["id"] for m in shown["measures"]]
    assert ids == _plan_show("luhansk-2018-2026", "2025")["otg-bilokurakynska"]


def _render(name: str, unit: str, period: str, lang: Lang = "uk") -> bytes:
    plan, registry = example(name)
    p = Period.parse(period)
    definition = load_definition("annual" if p.is_annual else "quarterly")
    [spec] = build_specs(plan, registry, definition, p, only=[unit])
    return render_form(spec, lang)


GOLDEN_FORMS = [
    ("luhansk-2018-2026", "loda-osvita", "2019", "uk"),
    ("luhansk-2018-2026", "rda-starobilsk", "2025", "uk"),
    ("hlukhiv-2020-2026", "hmr-tercentr", "2021-Q2", "uk"),
    ("luhansk-2018-2026", "rda-starobilsk", "2025", "en"),  # the English form
]


@pytest.mark.parametrize(("name", "unit", "period", "lang"), GOLDEN_FORMS)
def test_generated_form_matches_golden(name: str, unit: str, period: str, lang: Lang) -> None:
    data = _render(name, unit, period, lang)
    assert data == _render(name, unit, period, lang), "generation is not byte-stable"
    suffix = "" if lang == "uk" else f".{lang}"
    golden = GOLDEN / f"{name}_{unit}_{period}{suffix}.xlsx"
    if UPDATE:
        golden.write_bytes(data)
    _assert_same_package(data, golden.read_bytes(), golden.name)


@pytest.mark.parametrize("form", list(FORMS))
def test_blank_forms_are_current(form: str) -> None:
    path = ROOT / "templates" / "xlsx" / f"{form}.xlsx"
    _assert_same_package(render_blank(form), path.read_bytes(), path.name)


def _assert_same_package(new: bytes, old: bytes, label: str) -> None:
    """Part by part, so a failure names the part that changed (regenerate with
    ZVIT_UPDATE_GOLDEN=1, or `python -m toolkit.forms.blank` for the blank forms)."""
    a, b = zipfile.ZipFile(io.BytesIO(new)), zipfile.ZipFile(io.BytesIO(old))
    assert a.namelist() == b.namelist(), label
    for part in a.namelist():
        assert a.read(part) == b.read(part), f"{label}: {part} differs"
    assert new == old, label


def test_readers_open_the_forms() -> None:
    data = _render("luhansk-2018-2026", "rda-starobilsk", "2025")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Інструкція", "Звіт", "Довідники", "_zvit"]
    assert wb["_zvit"].sheet_state == "hidden" and wb["Звіт"].protection.sheet
    assert wb.custom_doc_props["zvit.unit"].value == "rda-starobilsk"
    assert "zvit_table" in wb.defined_names
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == wb.sheetnames
    ids = form_ids(data)
    plan, _ = example("luhansk-2018-2026")
    assert len(ids) == len(set(ids)) > 0
    assert all(plan.measure(i) for i in ids)
