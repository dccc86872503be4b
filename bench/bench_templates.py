"""Forms per second: zvit's generator (xlsxwriter, across cores) against a straightforward
openpyxl generator of the same form, in the same run.

    uv run python bench/bench_templates.py [--units 1000] [--baseline 100]

The baseline is timed on a sample of units (``--baseline``) and its rate extrapolated,
so a run stays short; both numbers are printed with the ratio."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_report import synthetic
from bench.naive_form import write_naive
from toolkit.forms.definition import load_definition
from toolkit.forms.generate import write_forms
from toolkit.forms.spec import build_specs
from toolkit.periods import Period


def main() -> None:
    args = _args()
    plan, registry = synthetic(args.units)  # N units, each on the same 40 real measures
    definition = load_definition("annual")
    out = Path(tempfile.mkdtemp(prefix="zvit-bench-"))
    try:
        start = time.perf_counter()
        specs = build_specs(plan, registry, definition, Period(2025))
        forms = write_forms(specs, out / "zvit", jobs=args.jobs)
        ours = time.perf_counter() - start
        sample = specs[: args.baseline]
        (out / "naive").mkdir()
        start = time.perf_counter()
        for spec in sample:
            write_naive(spec, out / "naive" / f"{spec.unit.id}.xlsx")
        naive = (time.perf_counter() - start) / len(sample) * len(specs)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    rows = sum(f.rows for f in forms)
    print(f"units: {len(forms)}, measure rows: {rows}, cores: {os.cpu_count()}")
    print(
        f"zvit (xlsxwriter, {args.jobs or os.cpu_count()} processes): {ours:6.2f} s "
        f"= {len(forms) / ours:7.1f} forms/s"
    )
    print(
        f"naive openpyxl, one by one:   {naive:6.2f} s "
        f"= {len(forms) / naive:7.1f} forms/s (timed on {len(sample)}, extrapolated)"
    )
    print(f"ratio: {naive / ours:.1f}x")


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--baseline", type=int, default=100, help="units timed for the baseline")
    p.add_argument("--jobs", type=int, default=None)
    return p.parse_args()


if __name__ == "__main__":
    main()
