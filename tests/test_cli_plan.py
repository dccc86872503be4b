"""The plan commands through click's runner: exit codes, JSON shape, workspace use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.query import active_measures, units_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LUHANSK = EXAMPLES / "luhansk-2018-2026"


def run(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    runner = CliRunner()
    if cwd is None:
        result = runner.invoke(cli, list(args))
    else:
        with runner.isolated_filesystem(temp_dir=cwd):
            result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("name", "count"), [("luhansk-2018-2026", 95), ("hlukhiv-2020-2026", 47)])
def test_show_json_lists_every_measure(name: str, count: int) -> None:
    code, out = run(
        "plan",
        "show",
        str(EXAMPLES / name / "plan.yaml"),
        "--units",
        str(EXAMPLES / name / "units.yaml"),
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["count"] == count == len(data["measures"])
    first = data["measures"][0]
    assert {"id", "number", "section", "text", "deadline", "executors", "indicator"} <= set(first)
    assert {"raw", "start", "end", "repeat"} <= set(first["deadline"])
    assert {"raw", "target", "unit"} <= set(first["indicator"])


def test_show_by_period_and_unit_matches_the_query() -> None:
    plan = load_plan(LUHANSK / "plan.yaml")
    registry = load_registry(LUHANSK / "units.yaml")
    code, out = run(
        "plan",
        "show",
        str(LUHANSK / "plan.yaml"),
        "--units",
        str(LUHANSK / "units.yaml"),
        "--period",
        "2019",
        "--unit",
        "rda-starobilsk",
        "--json",
    )
    assert code == 0
    ids = [m["id"] for m in json.loads(out)["measures"]]
    expected = [
        m.id
        for m in active_measures(plan, Period(2019))
        if "rda-starobilsk" in units_of(m, registry)
    ]
    assert ids == expected and ids


def test_check_exit_codes(tmp_path: Path) -> None:
    code, out = run(
        "plan", "check", str(LUHANSK / "plan.yaml"), "--units", str(LUHANSK / "units.yaml")
    )
    assert code == 0, out
    text = (LUHANSK / "plan.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "plan.yaml"
    broken.write_text(
        text.replace("raw: I квартал 2019 року", "raw: I квартал 2029 року", 1), encoding="utf-8"
    )
    code, out = run("plan", "check", str(broken))
    assert code == 1
    assert "E_DEADLINE_MISMATCH" in out


def test_import_writes_the_plan_and_prints_the_review(tmp_path: Path) -> None:
    out_file = tmp_path / "plan.yaml"
    code, out = run(
        "plan",
        "import",
        str(LUHANSK / "source.txt"),
        "-o",
        str(out_file),
        "--units",
        str(LUHANSK / "units.yaml"),
        "--overrides",
        str(LUHANSK / "overrides.yaml"),
    )
    assert code == 0, out
    assert "I_REPAIR_DUPLICATE" in out and "заходів 95" in out
    assert out_file.read_bytes() == (LUHANSK / "plan.yaml").read_bytes()


def test_import_without_registry_reports_every_phrase(tmp_path: Path) -> None:
    code, out = run("plan", "import", str(LUHANSK / "source.txt"), "-o", str(tmp_path / "p.yaml"))
    assert code == 1
    assert out.count("E_EXECUTOR_UNRESOLVED") == 95


def test_workspace_init_and_commands_inside_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    code, out = run("init", str(ws), "--from", str(LUHANSK))
    assert code == 0, out
    assert (ws / "zvit.toml").is_file() and (ws / "plan.yaml").is_file()
    code, out = run("-w", str(ws), "plan", "check")
    assert code == 0, out
    code, out = run("-w", str(ws), "plan", "show", "--period", "2025-Q1", "--json")
    assert code == 0 and json.loads(out)["period"] == "2025-Q1"
    code, _ = run("init", str(ws), "--from", str(LUHANSK))
    assert code == 2  # refuses to overwrite without --force


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _ = run("plan", "show", str(LUHANSK / "plan.yaml"), "--period", "20x5")
    assert code == 2
    code, out = run("-w", str(tmp_path), "plan", "check")
    assert code == 2 and "zvit init" in out


def test_english_messages(tmp_path: Path) -> None:
    _, out = run(
        "--lang",
        "en",
        "plan",
        "import",
        str(LUHANSK / "source.txt"),
        "-o",
        str(tmp_path / "p.yaml"),
    )
    assert "matches no unit in the registry" in out
