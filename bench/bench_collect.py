"""Collect + validate of N returned forms: ``zvit collect`` into a fresh workspace (every
file sniffed, checked, archived and recorded in the ledger, across cores) against a naive
loop of ``pandas.read_excel`` over the same files, in the same run.

    uv run python bench/bench_collect.py [--units 1000] [--jobs N] [--rounds 5]

The speed of a shared machine drifts by tens of percent from one second to the next, so
the two are interleaved: each round collects every file into a new workspace, and reads
its share of the baseline's files with pandas, half just before and half just after; the
round's ratio compares the two. Every file is read by the baseline once over the rounds
(``--baseline`` fewer: a sample, extrapolated). The ratio printed is the median of the
rounds' ratios; the times, the median of zvit's rounds and the baseline's total.

The returned forms are the report benchmark's: real forms, every input cell filled (see
bench/bench_report.py), made once and cached in the temporary folder."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from bench.bench_report import FORM_YAML, generate, synthetic
from toolkit.collect.run import collect
from toolkit.periods import Period
from toolkit.plan.io import save_plan, save_registry
from toolkit.plan.registry import Registry
from toolkit.workspace import init_workspace, open_workspace


def main() -> None:
    args = _args()
    cache = Path(tempfile.gettempdir()) / f"zvit-bench-returns-{args.units}"
    files = generate(cache, args.units, seed=7)
    naive_files = files[: args.baseline or len(files)]
    ours: list[float] = []
    ratios: list[float] = []
    naive_total = 0.0
    counts: dict[str, int] = {}
    for round_ in range(args.rounds):
        share = naive_files[round_ :: args.rounds]
        naive_seconds = _read_naively(share[: len(share) // 2])
        seconds, counts = _collect_once(files, args.units, args.jobs)
        naive_seconds += _read_naively(share[len(share) // 2 :])
        ours.append(seconds)
        naive_total += naive_seconds
        per_file = naive_seconds / len(share)
        ratios.append(per_file * len(files) / seconds)
        print(
            f"round {round_ + 1}: zvit {seconds:5.2f} s, pandas {per_file * 1000:5.1f} ms a "
            f"file, ratio {ratios[-1]:4.1f}x"
        )
    peak_mb = _peak_mb()
    mine = statistics.median(ours)
    naive = naive_total / len(naive_files) * len(files)
    print(f"files: {len(files)}, cores: {os.cpu_count()}, outcome: {counts}")
    print(
        f"zvit collect (sniff + check + archive + ledger, {args.jobs or os.cpu_count()} "
        f"processes): {mine:6.2f} s = {len(files) / mine:6.1f} files/s (median of "
        f"{args.rounds} rounds), peak memory {peak_mb:.0f} MB"
    )
    sampled = (
        "" if len(naive_files) == len(files) else (f" (timed on {len(naive_files)}, extrapolated)")
    )
    print(
        f"naive pandas.read_excel loop: {naive:6.2f} s = {len(files) / naive:6.1f} files/s{sampled}"
    )
    print(f"ratio: {statistics.median(ratios):.1f}x (median of the rounds' ratios)")


def _collect_once(files: list[Path], units: int, jobs: int | None) -> tuple[float, dict[str, int]]:
    root = Path(tempfile.mkdtemp(prefix="zvit-bench-ws-"))
    try:
        ws = _workspace(root, units)
        start = time.perf_counter()
        run = collect(ws, files, Period(2025), jobs=jobs)
        return time.perf_counter() - start, run.counts()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _read_naively(files: list[Path]) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            pd.read_excel(path, sheet_name="Звіт")
    return time.perf_counter() - start


def _workspace(root: Path, units: int):  # type: ignore[no-untyped-def]
    plan, registry = synthetic(units)
    save_plan(plan, root / "src-plan.yaml")
    save_registry(_registry_dict(registry), root / "src-units.yaml")
    ws = init_workspace(root / "ws", root / "src-plan.yaml", root / "src-units.yaml")
    (ws.root / "form.yaml").write_text(FORM_YAML, encoding="utf-8")
    # opened afresh, as by a `zvit collect` after `zvit init`: the plan and registry are
    # read from the workspace (their checked copies in .cache), not from this process
    return open_workspace(ws.root)


def _registry_dict(registry: Registry) -> dict[str, object]:
    units = [
        {"id": u.id, "name": u.name, "short": u.short, "kind": u.kind, "emails": list(u.emails)}
        for u in registry.units.values()
    ]
    groups = [
        {"id": g.id, "name": g.name, "members": list(g.members)} for g in registry.groups.values()
    ]
    return {"schema": "zvit-units/1", "units": units, "groups": groups}


def _peak_mb() -> float:
    """Resident peak of this process and of its finished workers (Linux: kilobytes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument(
        "--baseline", type=int, default=None, help="files timed for the baseline (default: all)"
    )
    p.add_argument(
        "--rounds", type=int, default=5, help="collects, each with its share of the baseline"
    )
    return p.parse_args()


if __name__ == "__main__":
    main()
