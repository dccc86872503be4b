"""Hostile text from returned workbooks stays inert text in the report: no formula, no
link, no control character, and a text too long for a cell is cut visibly, never a crash."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_report_data import MADE_ON, Dataset, random_dataset, submission
from toolkit.report.cells import CELL_LIMIT, fit
from toolkit.report.writer import write_report

PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1-2",
    "-2+3",
    "\tTAB",
    "ctl\x01\x07chars",
    "http://evil.example/phish",
    "mailto:boss@evil.example",
    "1e5",
    "x" * 40_000,
)


def hostile() -> Dataset:
    ds = random_dataset(9, earlier=())
    units = list(ds.accepted)[: len(PAYLOADS)]
    for i, (unit, payload) in enumerate(zip(units, PAYLOADS, strict=False)):
        old = ds.accepted[unit]
        assert old.answers is not None
        rows = {r.measure_id: {k: v.value for k, v in r.values.items()} for r in old.answers.rows}
        for values in rows.values():
            values.update(done=payload, reasons=payload, proposals=payload)
        rows[next(iter(rows))]["status"] = payload  # an impossible status still stays text
        warning = {
            "code": "W_NUMBER_AS_TEXT",
            "severity": "warning",
            "sheet": "Звіт",
            "cell": payload[:20],
            "measure": next(iter(rows)),
            "message": payload,
            "params": {"value": payload},
        }
        ds.accepted[unit] = submission(
            old.id,
            unit,
            "2025",
            rows,
            issues=(warning,),
            filename=f"{payload[:60]}.xlsx",
            verdict=("accepted_with_warnings" if i % 2 else "accepted"),
        )
    return ds


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    c = hostile().merge()
    return write_report(c, tmp_path_factory.mktemp("hostile") / "звіт.xlsx", made_on=MADE_ON)


def test_no_formula_and_no_link_in_the_package(report: Path) -> None:
    with zipfile.ZipFile(report) as z:
        names = z.namelist()
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == 8
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert not re.search(r"<f[ >]", xml), name
            assert "<hyperlink" not in xml, name
        for name in (n for n in names if n.endswith(".rels")):
            assert "hyperlink" not in z.read(name).decode("utf-8").lower(), name
        assert not [n for n in names if "externalLink" in n or "vbaProject" in n]


def test_payloads_read_back_as_the_text_typed(report: Path) -> None:
    wb = load_workbook(report)
    texts = [
        cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert all(
        cell.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
    )
    joined = "\n".join(texts)
    for payload in PAYLOADS[:6]:
        assert payload in joined
    assert "ctlchars" in joined
    assert not any(ch in joined for ch in "\x01\x07")
    long = [t for t in texts if len(t) > 30_000]
    assert long and all(len(t) <= CELL_LIMIT and t.endswith("… [скорочено]") for t in long)


def test_fit_counts_what_excel_counts() -> None:
    assert fit("a\x00b\x1fc\td\ne") == "abc\td\ne"
    emoji = "😀" * 20_000  # 40,000 UTF-16 units
    cut = fit(emoji)
    assert cut.endswith("… [скорочено]")
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert fit("x" * CELL_LIMIT) == "x" * CELL_LIMIT
    assert fit("x" * (CELL_LIMIT + 1), "en").endswith("… [truncated]")
