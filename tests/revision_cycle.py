"""A reporting season across an amendment, driven as a coordinator drives it: forms from
the command line, replies filled in as an executor fills them, ``collect``, the report.
Shared by the tests of plan revisions."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from tests.amend_support import EXAMPLES, Amendment, amended_plan
from tests.collect_support import measure_ids
from toolkit.cellref import a1
from toolkit.cli import cli
from toolkit.collect.outcome import FileOutcome
from toolkit.collect.run import collect
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.periods import Period
from toolkit.report.build import build_report
from toolkit.report.model import Consolidated, MeasureRow
from toolkit.workspace import Workspace, init_from_example

SHEET = "Звіт"
MADE_ON = date(2026, 2, 1)
Answer = dict[str, Any]  # column key → value typed


def workspace(root: Path, example: str) -> Workspace:
    return init_from_example(root / example, EXAMPLES / example)


def run(ws: Workspace, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def forms(ws: Workspace, period: Period, units: tuple[str, ...]) -> dict[str, Path]:
    """``zvit templates`` for the units: unit → its form."""
    out = ws.root / "forms" / f"{period}-{len(list((ws.root / 'forms').glob('*')))}"
    run(ws, "templates", "-p", str(period), "-o", str(out), *[f"--unit={u}" for u in units])
    found = {}
    for path in out.glob("*.xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        unit = wb.custom_doc_props["zvit.unit"].value
        wb.close()
        found[unit] = path
    assert set(found) == set(units), found
    return found


def rows(path: Path) -> dict[str, Answer]:
    """Measure id → what the form holds in its input columns (carried-over answers)."""
    ids = measure_ids(path.read_bytes())
    lay = L.Layout(load_definition("annual"), len(ids))
    ws = openpyxl.load_workbook(path)[SHEET]
    out = {}
    for i, mid in enumerate(ids):
        r = lay.data_row(i) + 1
        out[mid] = {
            key: ws.cell(r, lay.col(key) + 1).value for key in ("status", "done", "value", "note")
        }
    return out


def fill(path: Path, answers: dict[str, Answer], default: Answer | None = None) -> bytes:
    """The form with every row answered: ``answers`` by measure id, else ``default``."""
    ids = measure_ids(path.read_bytes())
    lay = L.Layout(load_definition("annual"), len(ids))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    head = L.VALUE_COLS[0]
    ws[a1(lay.header_row("person"), head)] = "Іваненко Олена Петрівна, начальниця відділу"
    ws[a1(lay.header_row("phone"), head)] = "(05444) 2-22-22"
    ws[a1(lay.header_row("filled_on"), head)] = date(2023, 1, 3)
    base = default or {"status": "виконується", "done": "Роботу продовжено.", "value": 1.0}
    for i, mid in enumerate(ids):
        for key, value in (base | answers.get(mid, {})).items():
            ws[a1(lay.data_row(i), lay.col(key))] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def send(ws: Workspace, period: Period, replies: dict[str, bytes], tag: str) -> list[FileOutcome]:
    """``collect`` the replies (unit → bytes) for the period; the files as checked."""
    inbox = ws.root / "inbox" / f"{period}-{tag}"
    inbox.mkdir(parents=True)
    for unit, data in replies.items():
        (inbox / f"{unit}.xlsx").write_bytes(data)
    return collect(ws, [inbox], period, jobs=1).files


def report(ws: Workspace, period: Period, fmt: str = "xlsx") -> tuple[bytes, Consolidated]:
    """The report of ``period`` — its frame too, for a period nobody reported on yet."""
    out = ws.root / "reports" / f"{period}.{fmt}"
    built = build_report(
        ws,
        period,
        fmt=fmt,  # type: ignore[arg-type]
        output=out,
        made_on=MADE_ON,
        force=True,
        empty=True,
    )
    return built.path.read_bytes(), built.consolidated


def row(c: Consolidated, mid: str) -> MeasureRow:
    found = [r for r in c.rows if r.measure.id == mid]
    assert len(found) == 1, (mid, [r.measure.id for r in c.rows])
    return found[0]


def amend(ws: Workspace, example: str, *extra: str) -> Amendment:
    """``zvit plan amend`` from 2022, the mapping confirmed as proposed."""
    source = ws.root.parent / f"{example}-amended.yaml"
    what = amended_plan(example, source)
    args = [
        "plan",
        "amend",
        str(source),
        "--effective",
        "2022",
        "--decision",
        "№ 45 від 12.03.2022",
    ]
    first = CliRunner().invoke(cli, ["-w", str(ws.root), *args, *extra])
    assert first.exit_code == 1, first.output
    mapping = ws.root / "plan-mapping-2022.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("confirmed: false", "confirmed: true"), encoding="utf-8")
    run(ws, *args, "--mapping", str(mapping), *extra)
    return what
