"""The data export: one row per measure × executor with the combined columns, as CSV
(BOM, «;», decimal comma, formula-injection rule) and as JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_report_data import (
    FUNDS,
    MADE_ON,
    expected_combined,
    expected_value,
    random_dataset,
    statuses_of,
)
from tests.test_report_safety import PAYLOADS, hostile
from toolkit.report.export import columns, csv_cell, rows, safe_text, to_csv, to_json


def test_json_holds_every_measure_unit_pair_with_the_inputs() -> None:
    ds = random_dataset(21)
    c = ds.merge()
    doc = json.loads(to_json(c, MADE_ON))
    assert doc["period"] == "2025" and doc["made_on"] == "2026-01-12"
    assert doc["columns"] == columns(c)
    pairs = {(r["measure_id"], r["unit_id"]): r for r in doc["rows"]}
    assert len(pairs) == len(doc["rows"]) == sum(len(r.answers) or 1 for r in c.rows)
    for unit, sub in ds.accepted.items():
        assert sub.answers is not None
        for row in sub.answers.rows:
            out = pairs[(row.measure_id, unit)]
            assert out["status"] == row.get("status")
            assert out["submission"] == sub.id
            assert (out["sha256"], out["sheet"], out["row"]) == (sub.sha256, "Звіт", row.row)
            for key in ("value", *FUNDS):
                assert out[key] == row.get(key)
            assert out["done"] == (row.get("done") or None)
    for r in doc["rows"]:
        assert list(r) == doc["columns"]
        mid = r["measure_id"]
        assert r["combined_status"] == expected_combined(list(statuses_of(ds, mid).values()))
        assert r["period_value"] == pytest.approx(expected_value(ds, mid))


def test_csv_is_excel_ready_and_matches_the_json() -> None:
    c = random_dataset(22).merge()
    raw = to_csv(c)
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert table[0] == columns(c)
    data = list(rows(c))
    assert len(table) == len(data) + 1
    for got, want in zip(table[1:], data, strict=True):
        assert got == [csv_cell(want[k]) for k in columns(c)]


def test_csv_defuses_formulas() -> None:
    c = hostile().merge()
    text = to_csv(c).decode("utf-8-sig")
    cells = [
        cell for line in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in line
    ]
    assert not [x for x in cells if x[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + PAYLOADS[0] in cells
    assert "\x01" not in text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "1"),
        (False, "0"),
        (12.5, "12,5"),
        (3.0, "3"),
        (7, "7"),
        ("=1+1", "'=1+1"),
        ("+3", "'+3"),
        ("-3", "'-3"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("ok\x07", "ok"),
    ],
)
def test_csv_cells(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_safe_text_strips_control_characters_first() -> None:
    assert safe_text("\x01=1") == "'=1"
