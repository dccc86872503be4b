"""Benchmark: the consolidated report for N units × ~40 measures, against a naive baseline.

    uv run python bench/bench_report.py [--units 1000] [--jobs 2] [--skip-naive]

Once per (units, seed) it generates N filled forms as real .xlsx files: the zvit form
generator, with every input cell pre-filled through the carry-over path (the answers of a
fake earlier report), for a synthetic registry of N units that all execute the same 40
measures of the Luhansk example plan. The files are cached in a temporary folder.

Then, in the same run, it times
  (a) zvit: every file read and validated (``validate_bytes``, across ``--jobs``
      processes), the accepted answers merged, the report rendered and written;
  (b) the naive baseline: ``pandas.read_excel`` of every file, ``concat``, ``to_excel``
      (default engines, as a spreadsheet-minded script would do it);
and prints both times, the ratio and peak memory (tracemalloc for Python allocations of
this process, ru_maxrss for the resident peak, workers included)."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit import heap
from toolkit.forms.definition import FormDefinition, load_definition
from toolkit.forms.spec import RowSpec, build_specs
from toolkit.forms.writer import render_form
from toolkit.issues import Location
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.io import load_plan
from toolkit.plan.model import ExecutorRef, Executors, Plan, Section
from toolkit.plan.query import active_measures
from toolkit.plan.registry import Group, Registry, Unit
from toolkit.report.merge import merge
from toolkit.report.writer import write_report
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context
from toolkit.validate.identity import read_identity
from toolkit.validate.normalise import normalise_cell
from toolkit.validate.reader import open_package, read_table
from toolkit.validate.result import AnswerRow, Answers, Validation, Value

ROOT = Path(__file__).resolve().parents[1]
PERIOD = Period(2025)
MEASURES = 40
STATUSES = ("виконано", "виконується", "не виконано", "не розпочато", "втратив актуальність")
# The bench's form: the standard one with the header (person, phone, date) optional, so
# that generated files, whose header nobody typed, are accepted like real returns.
FORM_YAML = """\
schema: zvit-form/1
extends: annual
id: annual
version: "1.0.1"
header:
  - {key: person, label: {uk: "Відповідальна особа (ПІБ, посада)"}, type: text}
  - {key: phone, label: {uk: Телефон}, type: phone}
  - {key: filled_on, label: {uk: Дата заповнення}, type: date}
"""


def synthetic(units: int) -> tuple[Plan, Registry]:
    """The first 40 measures of the example due in 2025, each executed by all N units."""
    base = load_plan(ROOT / "examples" / "luhansk-2018-2026" / "plan.yaml")
    ids = tuple(f"u{i:05d}" for i in range(units))
    every = Executors("усі звітні одиниці", (ExecutorRef("all", "усі звітні одиниці"),))
    chosen = [
        dataclasses.replace(m, executors=every, task=None)
        for m in active_measures(base, PERIOD)[:MEASURES]
    ]
    sections = tuple(
        Section(s.id, s.number, s.title, (), tuple(m for m in chosen if m.section == s.id))
        for s in base.sections
    )
    plan = dataclasses.replace(base, sections=tuple(s for s in sections if s.measures))
    registry = Registry(
        {
            u: Unit(u, f"Звітна одиниця № {i}", f"ЗО-{i}", "other", emails=(f"{u}@example.org",))
            for i, u in enumerate(ids)
        },
        {"all": Group("all", "усі звітні одиниці", ids)},
    )
    return plan, registry


def answers(rng: random.Random) -> dict[str, Any]:
    """A row as a diligent unit fills it: every rule of the form satisfied."""
    status = rng.choice(STATUSES)
    return {
        "status": status,
        "done": f'Проведено {rng.randint(1, 50)} заходів; =HYPERLINK("x") лишається текстом',
        "value": float(rng.randint(0, 100)),
        "fund_state": round(rng.uniform(0, 900), 2),
        "fund_oblast": round(rng.uniform(0, 900), 2),
        "fund_local": round(rng.uniform(0, 900), 2),
        "fund_other": round(rng.uniform(0, 900), 2),
        "reasons": "Недостатнє фінансування" if status in STATUSES[2:4] else "",
        "proposals": "" if rng.random() < 0.8 else "Продовжити у 2026 році",
    }


def generate(folder: Path, units: int, seed: int) -> list[Path]:
    """N filled forms, made once and cached."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / "complete"
    if done.exists():
        return sorted(folder.glob("*.xlsx"))
    (folder / "form.yaml").write_text(FORM_YAML, encoding="utf-8")
    plan, registry = synthetic(units)
    definition = load_definition(folder / "form.yaml")
    rng = random.Random(seed)
    for spec in build_specs(plan, registry, definition, PERIOD):
        rows = tuple(
            RowSpec(r.measure, carried={k: v for k, v in answers(rng).items() if v != ""})
            for r in spec.rows
        )
        data = render_form(dataclasses.replace(spec, rows=rows))
        (folder / f"{spec.unit.id}.xlsx").write_bytes(data)
    done.write_text("ok")
    return sorted(folder.glob("*.xlsx"))


# ---- (a) zvit ------------------------------------------------------------------------

_CTX: Context | None = None


def _init(units: int, form: str) -> None:
    global _CTX
    plan, registry = synthetic(units)
    _CTX = Context(plan, registry, PERIOD, custom_form=load_definition(Path(form)))


def _validate(path: str) -> Validation:
    """The whole intake check of one file (what ``zvit collect`` does once per file)."""
    assert _CTX is not None
    data = Path(path).read_bytes()
    return validate_bytes(data, Path(path).name, _CTX)


def _read(path: str) -> Validation:
    """Only what the report needs from a file: its identity and its answers, normalised,
    with their cells; the rules are not checked again (intake did that)."""
    assert _CTX is not None
    data = Path(path).read_bytes()
    name = Path(path).name
    result = Validation(file=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    pkg = open_package(data)
    try:
        identity, result.issues = read_identity(pkg, name)
        table = None
        if identity is not None:
            definition = _CTX.definition(identity.form)
            table = read_table(pkg, definition)
        if identity is None or table is None:
            return result
        result.identity = identity
        result.answers = Answers(sheet=table.sheet)
        for row in table.rows:  # rows by the measure id in their first column
            mid = str(row.value("measure_id") or "")
            values = {}
            for column in definition.input_columns:
                cell = row.cell(column.key)
                where = Location(file=name, sheet=table.sheet, cell=cell.ref, measure=mid)
                value = normalise_cell(column, cell, where, result.issues)
                values[column.key] = Value(value, cell.ref, cell.value)
            result.answers.rows.append(AnswerRow(mid, row.row, values))
    finally:
        pkg.close()
    return result


def read_all(files: list[Path], units: int, form: Path, jobs: int, how: str) -> list[Validation]:
    one = _validate if how == "validate" else _read
    if jobs <= 1:
        _init(units, str(form))
        return [one(str(f)) for f in files]
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(units, str(form))) as pool:
        return list(pool.map(one, [str(f) for f in files], chunksize=25))


def to_submission(i: int, v: Validation) -> Submission:
    when = datetime(2026, 1, 3, 9, 0)
    assert v.identity is not None
    return Submission(
        id=i,
        unit=v.identity.unit,
        period=v.identity.period,
        form_id=v.identity.form_id,
        sha256=v.sha256,
        received_at=when,
        submitted_at=when,
        verdict=v.verdict,
        errors=sum(1 for x in v.issues if x.severity == "error"),
        warnings=sum(1 for x in v.issues if x.severity == "warning"),
        answers=v.answers,
        issues=tuple(x.to_dict() for x in v.issues),
        source=v.file,
        filename=v.file,
    )


def run_zvit(
    files: list[Path], units: int, form: Path, jobs: int, out: Path, how: str
) -> dict[str, Any]:
    plan, registry = synthetic(units)
    definition: FormDefinition = load_definition(form)
    t0 = time.perf_counter()
    checked = read_all(files, units, form, jobs, how)
    t1 = time.perf_counter()
    subs = [to_submission(i, v) for i, v in enumerate(checked, start=1) if v.identity]
    accepted = {s.unit: s for s in subs if s.accepted}
    c = merge(plan, registry, PERIOD, accepted, {}, list(registry.units), {}, definition)
    t2 = time.perf_counter()
    path = write_report(c, out, made_on=date(2026, 1, 12), force=True)
    t3 = time.perf_counter()
    ledger = _from_stored(accepted, plan, registry, definition, out.with_name("ledger.xlsx"))
    return {
        "read": t1 - t0,
        "merge": t2 - t1,
        "write": t3 - t2,
        "total": t3 - t0,
        "accepted": len(accepted),
        "rows": len(c.rows),
        "provenance": len(c.provenance),
        "size": path.stat().st_size,
        "ledger": ledger,
    }


def _from_stored(
    accepted: dict[str, Submission],
    plan: Plan,
    registry: Registry,
    definition: FormDefinition,
    out: Path,
) -> float:
    """What ``zvit report`` itself does: the answers as the ledger stores them (JSON text,
    ``Answers.to_json``) loaded back, merged and written. Files are not read again."""
    stored = {
        u: json.dumps(s.answers.to_json() if s.answers else None, ensure_ascii=False)
        for u, s in accepted.items()
    }
    t0 = time.perf_counter()
    loaded = {
        u: dataclasses.replace(accepted[u], answers=Answers.from_json(json.loads(text)))
        for u, text in stored.items()
    }
    with heap.settled():  # as build_report does once the answers are read
        c = merge(plan, registry, PERIOD, loaded, {}, list(registry.units), {}, definition)
        write_report(c, out, made_on=date(2026, 1, 12), force=True)
    return time.perf_counter() - t0


# ---- (b) naive -------------------------------------------------------------------------


def run_naive(files: list[Path], out: Path) -> dict[str, Any]:
    import pandas as pd

    t0 = time.perf_counter()
    frames = [pd.read_excel(f, sheet_name="Звіт", header=None) for f in files]
    t1 = time.perf_counter()
    merged = pd.concat(frames, ignore_index=True)
    merged.to_excel(out, index=False)
    t2 = time.perf_counter()
    return {
        "read": t1 - t0,
        "write": t2 - t1,
        "total": t2 - t0,
        "rows": len(merged),
        "size": out.stat().st_size,
    }


def _peak_rss_mb() -> float | None:
    """The resident-memory high-water mark of this process and of its finished workers."""
    try:
        import resource
    except ImportError:  # Windows: no getrusage
        return None
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return max(own, kids) * scale / 2**20


def run_side(args: argparse.Namespace, folder: Path, files: list[Path]) -> dict[str, Any]:
    """One side, in this (fresh) process, so that its memory peak is its own."""
    out = folder / "out"
    out.mkdir(exist_ok=True)
    if args.tracemalloc:
        tracemalloc.start()
    if args.side == "zvit":
        result = run_zvit(
            files, args.units, folder / "form.yaml", args.jobs, out / "zvit.xlsx", args.read
        )
    else:
        result = run_naive(files, out / "naive.xlsx")
    if args.tracemalloc:
        result["py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["rss_mb"] = _peak_rss_mb()
    return result


def spawn(side: str, argv: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), *argv, "--side", side]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument(
        "--read",
        choices=("reader", "validate"),
        default="reader",
        help="reader: identity + answers only (the report's need; default); "
        "validate: the full intake check of every file",
    )
    ap.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations (slows both sides several times)",
    )
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "zvit-bench-report")
    ap.add_argument("--side", choices=("zvit", "naive"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    key = hashlib.sha256(f"{args.units}:{args.seed}:{FORM_YAML}".encode()).hexdigest()[:8]
    folder = args.data / f"{args.units}-units-{key}"
    if args.side:
        print(json.dumps(run_side(args, folder, sorted(folder.glob("*.xlsx")))))
        return
    t = time.perf_counter()
    files = generate(folder, args.units, args.seed)
    print(f"{len(files)} filled forms in {folder} ({time.perf_counter() - t:.1f} s to prepare)")
    z = spawn("zvit", argv)
    print(
        _line("zvit", z) + f"  ({z['accepted']} accepted, {z['rows']} measures, "
        f"{z['provenance']} rows traced; {args.read} {z['read']:.2f} s with {args.jobs} "
        f"jobs, merge {z['merge']:.2f} s, write {z['write']:.2f} s)"
    )
    print(
        f"       the same report from the answers as the ledger stores them: "
        f"{z['ledger']:.2f} s (what `zvit report` runs; files are validated once, at intake)"
    )
    if args.skip_naive:
        return
    n = spawn("naive", argv)
    print(
        _line("naive", n) + f"  ({n['rows']} rows; read {n['read']:.2f} s, "
        f"concat + write {n['write']:.2f} s)"
    )
    print(f"ratio naive / zvit: {n['total'] / z['total']:.1f}x")


def _line(name: str, r: dict[str, Any]) -> str:
    rss = "n/a" if r["rss_mb"] is None else f"{r['rss_mb']:.0f} MiB"
    py = f", python heap peak {r['py_peak_mb']:.0f} MiB" if "py_peak_mb" in r else ""
    return f"{name:>5}: {r['total']:6.2f} s, peak RSS {rss}{py}, output {r['size'] / 2**20:.1f} MiB"


if __name__ == "__main__":
    main()
