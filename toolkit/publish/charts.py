"""The geometry of the page's charts; the markup is the template's (``charts.html.j2``).

A chart is one bar split by combined status, in the order of ``COMBINED``, on a 0–100
scale the SVG stretches to any width. The numbers are always in the table beside it and
in the chart's own description: a chart never carries a number alone."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.publish.view import Counts
from toolkit.report.status import COMBINED, DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE

# CSS class of each status: the stylesheet colours them (and prints them).
STATUS_CLASS = {
    DONE: "done",
    IN_PROGRESS: "progress",
    NOT_DONE: "notdone",
    LOST: "lost",
    NO_REPORT: "noreport",
}


@dataclass(frozen=True)
class Segment:
    status: str
    css: str
    count: int
    x: float  # where it starts, 0–100
    width: float


def segments(counts: Counts) -> tuple[Segment, ...]:
    """The bar of ``counts``: one segment per status with measures, none when empty."""
    total = counts.measures
    if not total:
        return ()
    out, x = [], 0.0
    for status in COMBINED:
        n = counts.by_status.get(status, 0)
        if n:
            width = 100 * n / total
            out.append(Segment(status, STATUS_CLASS[status], n, round(x, 3), round(width, 3)))
            x += width
    return tuple(out)


def bar(share: float | None) -> float:
    """The filled width (0–100) of a progress bar toward a target; past the target it is
    full (the text says by how much)."""
    if share is None or share <= 0:
        return 0.0
    return round(min(share, 1.0) * 100, 3)
