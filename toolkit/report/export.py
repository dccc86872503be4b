"""The merged table for further analysis: one row per measure × executor, with the
measure's combined columns repeated on each of its rows (a measure without executors
still gets one row).

* CSV: UTF-8 with BOM, ``;`` between fields and ``,`` in decimals — what Excel in a
  Ukrainian locale opens by double click. Cells are texts from untrusted workbooks, so the
  formula-injection rule applies (OWASP ASVS 1.2.10, CWE-1236): a text starting with
  ``= + - @``, tab or CR gets a leading ``'``; control characters are removed.
* JSON: the same rows as objects, values as they are (numbers as numbers, flags as
  booleans); JSON is not executed, so no prefix is added."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from toolkit.report.model import Consolidated, MeasureRow, UnitAnswer
from toolkit.text import strip_control

SCHEMA = "zvit-report-table/1"
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def columns(c: Consolidated) -> list[str]:
    return [
        "measure_id",
        "section",
        "measure",
        "deadline",
        "carried",
        "unit_id",
        "unit",
        "executor",
        "submission",
        "sha256",
        "sheet",
        "row",
        "status",
        "value",
        *c.fund_keys,
        *c.text_keys,
        "combined_status",
        "partial",
        "overdue",
        "executors",
        "reported",
        "target",
        "target_unit",
        "period_value",
        "value_rule",
        "cumulative",
        *(f"measure_{k}" for k in c.fund_keys),
        "measure_funds_total",
    ]


def rows(c: Consolidated) -> Iterator[dict[str, Any]]:
    trace = _trace(c)
    for r in c.rows:
        combined = _combined(r, c.fund_keys)
        for a in r.answers or (None,):
            where = trace.get((a.unit, r.measure.id), _NOWHERE) if a else _NOWHERE
            yield _measure(r) | _unit(a, c.fund_keys, c.text_keys) | where | combined


_NOWHERE: dict[str, Any] = {"sha256": None, "sheet": None, "row": None}


def _trace(c: Consolidated) -> dict[tuple[str, str], dict[str, Any]]:
    """(unit, measure) → the file, sheet and row its answers of this period came from."""
    period = str(c.period)
    files = {s.submission: s for s in c.sources if s.period == period}
    return {
        (p.unit, p.measure_id): {
            "sha256": files[p.submission].sha256,
            "sheet": files[p.submission].sheet,
            "row": p.row,
        }
        for p in c.provenance
        if p.period == period
    }


def _measure(r: MeasureRow) -> dict[str, Any]:
    m = r.measure
    return {
        "measure_id": m.id,
        "section": m.section,
        "measure": m.text,
        "deadline": m.deadline.raw,
        "carried": r.carried,
    }


def _unit(a: UnitAnswer | None, funds: tuple[str, ...], texts: tuple[str, ...]) -> dict[str, Any]:
    if a is None:
        return {
            "unit_id": None,
            "unit": None,
            "executor": None,
            "submission": None,
            "status": None,
            "value": None,
            **dict.fromkeys(funds),
            **dict.fromkeys(texts),
        }
    out: dict[str, Any] = {
        "unit_id": a.unit,
        "unit": a.short,
        "executor": a.expected,
        "submission": a.submission,
        "status": a.status,
        "value": a.value,
    }
    out |= {k: a.funds.get(k) for k in funds}
    out |= {k: a.texts.get(k) for k in texts}
    return out


def _combined(r: MeasureRow, funds: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "combined_status": r.combined,
        "partial": r.partial,
        "overdue": r.overdue,
        "executors": r.expected,
        "reported": r.reported,
        "target": r.target,
        "target_unit": r.measure.indicator.unit,
        "period_value": r.value,
        "value_rule": r.value_rule,
        "cumulative": r.cumulative,
    }
    out |= {f"measure_{k}": r.funds.get(k) for k in funds}
    out["measure_funds_total"] = math.fsum(r.funds.values()) if r.funds else None
    return out


def to_json(c: Consolidated, made_on: date) -> bytes:
    names = columns(c)
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "plan": c.plan.id,
        "period": str(c.period),
        "made_on": made_on.isoformat(),
        "columns": names,
        "rows": [{k: row[k] for k in names} for row in rows(c)],
    }
    if c.amendment is not None:  # a plan never amended: the document as it always was
        doc["revision"] = {
            "decision": c.amendment.decision,
            "effective": str(c.amendment.effective),
            "changes": [change.to_dict() for change in c.amendment.changes],
        }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_csv(c: Consolidated) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    names = columns(c)
    writer.writerow(names)
    for row in rows(c):
        writer.writerow([csv_cell(row[k]) for k in names])
    return buf.getvalue().encode("utf-8-sig")


def csv_cell(value: Any) -> str:
    """One value as CSV text: numbers with a decimal comma, flags as 1/0, texts made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        text = repr(float(value))
        text = text[:-2] if text.endswith(".0") else text
        return text.replace(".", ",")
    return safe_text(str(value))


def safe_text(text: str) -> str:
    text = strip_control(text)
    return "'" + text if text.startswith(_RISKY) else text
