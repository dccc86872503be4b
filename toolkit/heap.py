"""The process's heap while a command holds a large, settled set of objects (the plan and
registry a collect feeds its workers with; the answers a report was made from): set aside
from Python's cyclic garbage collector, and young collections less often, so that no full
collection walks all of it again while the command works. Undone after: the process may
live on (tests, a program using the library).

The one place zvit tunes the collector. What it buys, measured on the shared 2-core
machine:
- ``zvit collect`` (bench/bench_collect.py's 1,000 forms, 6 runs of each alternated): the
  parent spent 16 ms (median) in the collector with it, 131 ms without — every other run
  then made one full collection of 250–330 ms, a stall of the one process that feeds the
  workers.
- ``zvit report`` from the ledger (1,000 units × 40 measures, 6 single runs of each,
  alternated): writing the workbook took 0.74–0.82 s with it, 1.07–1.15 s without — a full
  collection walked the 1,000 reports' answers every time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between young collections while settled (Python's default: 700).
_THRESHOLD = 20_000


@contextmanager
def settled() -> Iterator[None]:
    """Everything alive now is set aside from the collector until the block ends. No
    collection first: it would walk all of it once more."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
