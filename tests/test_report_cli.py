"""``zvit report`` and ``build_report``: a workspace, its plan and registry, the ledger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.test_report_data import EXAMPLE, MADE_ON, random_dataset
from toolkit.cli import cli
from toolkit.periods import Period
from toolkit.report.build import ReportInputs, build_report, late_units
from toolkit.workspace import Workspace, init_from_example


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_from_example(tmp_path / "ws", EXAMPLE)


def test_build_report_from_given_inputs(ws: Workspace) -> None:
    ds = random_dataset(31)
    inputs = ReportInputs(ds.accepted, ds.earlier)
    built = build_report(ws, Period(2025), inputs=inputs, made_on=MADE_ON)
    assert built.path == ws.root / "reports" / "Зведений звіт 2025.xlsx"
    # The example sets no executors' due date in the plan; the workspace says 01-05.
    assert built.consolidated.due is not None and built.consolidated.due.isoformat() == (
        "2026-01-05"
    )
    again = build_report(ws, Period(2025), inputs=inputs, made_on=MADE_ON)
    assert again.path.name == "Зведений звіт 2025 (2).xlsx"
    assert again.path.read_bytes() == built.path.read_bytes()
    data = build_report(ws, Period(2025), inputs=inputs, made_on=MADE_ON, fmt="json")
    assert json.loads(data.path.read_text(encoding="utf-8"))["plan"] == "luhansk-2018-2026"


def test_late_units_are_those_sent_after_the_due_date() -> None:
    ds = random_dataset(32)
    first = next(iter(ds.accepted))
    sent = ds.accepted[first].submitted_at
    assert late_units(ds.accepted, None) == {}
    assert late_units(ds.accepted, sent.date()) == {}
    assert set(late_units(ds.accepted, sent.date().replace(day=1))) == set(ds.accepted)


def test_cli_report_with_an_empty_ledger(ws: Workspace) -> None:
    """Nothing accepted: a coded error and no file (a report of «0 of 58» looks like one);
    the empty frame only when asked for, with a warning saying what it is."""
    pytest.importorskip("toolkit.ledger.store")
    out = ws.root / "out.xlsx"
    refused = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "-p", "2025", "-o", str(out)])
    assert refused.exit_code == 2, refused.output
    assert "[E_REPORT_NOTHING_ACCEPTED]" in refused.output and "--empty" in refused.output
    assert not out.exists()
    english = CliRunner().invoke(cli, ["-w", str(ws.root), "--lang", "en", "report", "-p", "2025"])
    assert "no report of any of the 58 reporting units counts" in english.output
    args = ["-w", str(ws.root), "report", "-p", "2025", "--empty", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "[W_REPORT_EMPTY]" in result.output
    assert "out.xlsx" in result.output
    facts = {
        r[0]: r[1]
        for r in load_workbook(out)["Титульний аркуш"].iter_rows(values_only=True)
        if r[0]
    }
    assert facts["Подали звіт (прийнято)"] == 0
    assert facts["Не подали"] == facts["Звітних одиниць мали подати звіт"] > 0
    table = CliRunner().invoke(
        cli, ["-w", str(ws.root), "report", "-p", "2025", "--empty", "-o", str(ws.root / "out.csv")]
    )
    assert table.exit_code == 0, table.output
    assert (ws.root / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfmeasure_id;")
    clash = CliRunner().invoke(
        cli,
        [
            "-w",
            str(ws.root),
            "report",
            "-p",
            "2025",
            "-o",
            str(ws.root / "out.csv"),
            "--format",
            "json",
        ],
    )
    assert clash.exit_code == 2


def test_cli_rejects_an_unknown_format(ws: Workspace) -> None:
    result = CliRunner().invoke(
        cli, ["-w", str(ws.root), "report", "-p", "2025", "--format", "odt"]
    )
    assert result.exit_code == 2


def test_cli_report_reads_the_ledger(ws: Workspace) -> None:
    """Through the real ledger: what was recorded is what the report shows."""
    ledger_mod = pytest.importorskip("toolkit.ledger.store")
    rows_mod = pytest.importorskip("toolkit.ledger.rows")
    from toolkit.validate.result import Identity, Validation

    ds = random_dataset(33)
    chosen = list(ds.accepted)[:3]
    with ledger_mod.Ledger.open(ws) as ledger:
        for unit in chosen:
            sub = ds.accepted[unit]
            v = Validation(
                file=sub.filename,
                sha256=sub.sha256,
                size=1,
                fmt="xlsx",
                identity=Identity(form_id=sub.form_id, unit=unit, period="2025", form="annual"),
                answers=sub.answers,
            )
            ledger.record(
                v,
                rows_mod.Source("file", f"/in/{sub.filename}", sub.filename),
                archive=f"archive/{sub.sha256}.xlsx",
                received_at=sub.received_at,
            )
    out = ws.root / "from-ledger.json"
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "-p", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    got = {(r["measure_id"], r["unit_id"]): r for r in doc["rows"] if r["submission"]}
    want: dict[tuple[str, str], Any] = {}
    for unit in chosen:
        answers = ds.accepted[unit].answers
        assert answers is not None
        want |= {(row.measure_id, unit): row for row in answers.rows}
    assert got.keys() == want.keys()
    for key, row in want.items():
        assert got[key]["status"] == row.get("status")
        assert got[key]["fund_state"] == row.get("fund_state")
