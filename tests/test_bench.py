"""The benchmarks still run: each at a tiny size, in a process of its own, as
``uv run python bench/…`` would (their numbers are read by a person, never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# each starts worker processes
pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("script", "args", "says"),
    [
        ("bench_templates.py", ["--units", "6", "--baseline", "2"], "ratio:"),
        ("bench_collect.py", ["--units", "6", "--rounds", "2"], "ratio:"),
        ("bench_report.py", ["--units", "6"], "ratio naive / zvit:"),
    ],
)
def test_benchmark_runs(script: str, args: list[str], says: str, tmp_path: Path) -> None:
    extra = ["--data", str(tmp_path / "data")] if script == "bench_report.py" else []
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert says in done.stdout
