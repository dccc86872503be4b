"""A workspace's own settings: its form definition, its language, its due day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.errors import InvalidFileError
from toolkit.workspace import open_workspace

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hlukhiv-2020-2026"

OWN_FORM = """\
schema: zvit-form/1
extends: annual
id: annual
version: "1.1"
columns:
  - key: done
    header: {uk: "Що зроблено (коротко)"}
    type: text
"""


def _init(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    result = CliRunner().invoke(cli, ["init", str(ws), "--from", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return ws


def test_own_form_is_used_to_make_and_to_check(tmp_path: Path) -> None:
    ws = _init(tmp_path)
    (ws / "form.yaml").write_text(OWN_FORM, encoding="utf-8")
    run = CliRunner().invoke
    assert run(cli, ["-w", str(ws), "templates", "-p", "2025", "--unit", "hmr-ssd"]).exit_code == 0
    [form] = (ws / "forms" / "2025").glob("*.xlsx")
    result = run(cli, ["-w", str(ws), "validate", str(form), "--json"])
    assert "E_COLUMN_MISSING" not in result.output
    assert "Що зроблено (коротко)" not in result.output  # nothing wrong with that column
    # an empty form: one finding says so, not a «required» for every cell
    assert "E_FORM_BLANK" in result.output and "E_VALUE_REQUIRED" not in result.output


def test_language_from_the_workspace(tmp_path: Path) -> None:
    ws = _init(tmp_path)
    toml = ws / "zvit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('lang = "uk"', 'lang = "en"'), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["-w", str(ws), "plan", "show", "--period", "2025"])
    assert "Measures reported for 2025" in result.output
    result = CliRunner().invoke(cli, ["-w", str(ws), "--lang", "uk", "plan", "show", "-p", "2025"])
    assert "Заходи, що звітуються за 2025 рік" in result.output


def test_a_wrong_due_day_is_a_plain_message(tmp_path: Path) -> None:
    ws = _init(tmp_path)
    toml = ws / "zvit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"01-05"', '"13-05"'), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["-w", str(ws), "status", "--period", "2025"])
    assert result.exit_code == 2
    assert "executors_due" in result.output and "Traceback" not in result.output


def test_a_text_without_a_table_is_a_coded_error(tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text("Розпорядження\n\nПлан заходів без таблиці.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "import", str(text), "-o", str(tmp_path / "p.yaml")])
    assert result.exit_code == 1
    assert "E_TABLE_NOT_FOUND" in result.output


def test_checked_plan_and_registry_are_kept_and_follow_every_edit(tmp_path: Path) -> None:
    root = _init(tmp_path)
    [entry] = (root / ".cache").glob("units-*.json")  # kept when the workspace was made
    kept = json.loads(entry.read_text(encoding="utf-8"))
    first = kept["units"][0]
    # the next command takes the kept data, not the YAML (changed here to tell them apart)
    first["name"] = "Назва з кешу"
    entry.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    assert open_workspace(root).registry().units[first["id"]].name == "Назва з кешу"
    # any edit of units.yaml is read and checked afresh, and replaces the kept copy
    units = root / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert open_workspace(root).registry().units[first["id"]].name != "Назва з кешу"
    assert [p.name for p in (root / ".cache").glob("units-*.json")] != [entry.name]
    assert len(list((root / ".cache").glob("units-*.json"))) == 1
    # a damaged copy is only read again, and kept anew
    [entry] = (root / ".cache").glob("units-*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert first["id"] in open_workspace(root).registry().units
    assert json.loads(entry.read_text(encoding="utf-8"))["units"][0]["id"] == first["id"]
    # a file that fails its checks is never kept: it fails every time
    units.write_text("schema: zvit-units/1\nunits: []\ngroups: 5\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InvalidFileError):
            open_workspace(root).registry()
    assert [p.name for p in (root / ".cache").glob("units-*.json")] == [entry.name]


def test_forms_for_a_period_outside_the_plan_come_with_a_warning(tmp_path: Path) -> None:
    """«2019» typed for «2021» (the plan runs 2020–2026) makes no forms, and says why."""
    ws = _init(tmp_path)
    run = CliRunner().invoke
    typo = run(cli, ["-w", str(ws), "templates", "-p", "2019"])
    assert typo.exit_code == 0 and "W_PERIOD_OUTSIDE_PLAN" in typo.output
    assert "2020–2026" in typo.output
    fine = run(cli, ["-w", str(ws), "templates", "-p", "2025", "--unit", "hmr-ssd"])
    assert fine.exit_code == 0 and "W_PERIOD_OUTSIDE_PLAN" not in fine.output
