"""The statuses, days and moments as the report shows them (one date format: ДД.ММ.РРРР).
Every word of the report is in the message catalog (``toolkit/data/messages/report.yaml``,
statuses in ``status.yaml``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.statuses import status_label

__all__ = ["day", "heading", "moment", "status_label"]


class HasPeriod(Protocol):
    """The consolidated report, as far as its heading needs it."""

    @property
    def period(self) -> Period: ...


def day(d: date | datetime | None) -> str:
    return "" if d is None else d.strftime("%d.%m.%Y")


def moment(d: datetime | None) -> str:
    """A moment as the coordinator's clock shows it (the ledger keeps time zones)."""
    if d is None:
        return ""
    return (d.astimezone() if d.tzinfo is not None else d).strftime("%d.%m.%Y %H:%M")


def heading(c: HasPeriod, lang: Lang) -> str:
    """The report's title, on its title sheet and at the top of every printed page."""
    return f"{t('report.title.heading', lang)} — {c.period.label(lang)}"
