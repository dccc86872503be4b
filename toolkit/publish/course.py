"""The plan's course over the published periods: each indicator's value in every period,
side by side, and where it stood at the end (the report's cumulative figure)."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.publish.view import IndicatorView, PeriodView


@dataclass(frozen=True)
class IndicatorCourse:
    latest: IndicatorView  # as of the last period that shows the indicator
    values: tuple[float | None, ...]  # the value of each published period, oldest first


def course(views: tuple[PeriodView, ...]) -> tuple[IndicatorCourse, ...]:
    """Every indicator shown in any period, in the order of the latest period that shows it
    (the plan's order), with its values across all the periods."""
    by_period = [{i.key: i for i in v.indicators} for v in views]  # by key: across revisions
    latest: dict[str, IndicatorView] = {}
    for found in reversed(by_period):
        for key, indicator in found.items():
            latest.setdefault(key, indicator)
    return tuple(
        IndicatorCourse(
            indicator,
            tuple(found[key].value if key in found else None for found in by_period),
        )
        for key, indicator in latest.items()
    )
