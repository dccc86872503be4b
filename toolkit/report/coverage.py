"""Who reported, what validation let through with a warning, and where every value came
from: the parts of the consolidated report that are about the submissions themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from toolkit.cellref import column_of
from toolkit.forms.definition import FormDefinition
from toolkit.issues import stored_params
from toolkit.ledger.standing import Decision, Standing
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.registry import Registry
from toolkit.report.inputs import VALUE, Screened, number
from toolkit.report.model import (
    AcceptedWarning,
    MeasureRow,
    Provenance,
    Source,
    UnitCoverage,
)

CARRIED_SEVERITIES = ("warning", "info")


def coverage(
    registry: Registry,
    rows: Iterable[MeasureRow],
    current: Mapping[str, Submission],
    expected: list[str],
    late: Mapping[str, datetime],
    attempts: Mapping[str, Standing],
) -> tuple[UnitCoverage, ...]:
    """Every expected unit and every unit that reported, in registry order. A unit whose
    only row is a measure carried over as overdue is expected too: its form had that row."""
    due: dict[str, int] = {}
    for r in rows:
        for a in r.answers:
            if a.expected:
                due[a.unit] = due.get(a.unit, 0) + 1
    wanted = set(expected) | set(due)
    out = []
    for uid, unit in registry.units.items():
        if uid not in wanted and uid not in current:
            continue
        sub = current.get(uid)
        standing = attempts.get(uid)
        out.append(
            UnitCoverage(
                unit=uid,
                name=unit.name,
                short=unit.short,
                emails=unit.emails,
                person=unit.contact.get("person", ""),
                phone=unit.contact.get("phone", ""),
                expected=uid in wanted,
                measures=due.get(uid, 0),
                submission=sub.id if sub else None,
                submitted_at=sub.submitted_at if sub else None,
                received_at=sub.received_at if sub else None,
                late=late.get(uid) if sub else None,
                standing=standing
                if standing is not None and (sub is None or standing.pin is not None)
                else None,
            )
        )
    return tuple(out)


def warnings(current: Mapping[str, Submission]) -> tuple[AcceptedWarning, ...]:
    """The warnings (and notes) validation accepted each submission with, in its order."""
    out = []
    for unit, sub in current.items():
        for d in sub.issues:
            if d.get("severity") not in CARRIED_SEVERITIES:
                continue
            out.append(
                AcceptedWarning(
                    unit=unit,
                    submission=sub.id,
                    code=str(d.get("code", "")),
                    severity=str(d.get("severity", "")),
                    measure=str(d.get("measure") or ""),
                    sheet=str(d.get("sheet") or ""),
                    cell=str(d.get("cell") or ""),
                    message=str(d.get("message") or ""),
                    params=stored_params(d.get("params") or {}),
                )
            )
    return tuple(out)


def provenance(
    screened: Screened, chosen: set[str], definition: FormDefinition, period: Period
) -> tuple[tuple[Source, ...], tuple[Provenance, ...]]:
    """The submissions used and, per row of each, the cell of every value used: every
    filled input cell of the period's submissions on the report's rows, then every earlier
    indicator value counted into a cumulative figure (oldest period first)."""
    sources: list[Source] = []
    rows: list[Provenance] = []
    keys = tuple(c.key for c in definition.input_columns)
    pins = screened.pins
    for sub in screened.current.values():
        _trace(sub, str(period), keys, chosen, sources, rows, pins, numbers_only=False)
    for label, subs in screened.earlier:
        for sub in subs.values():
            _trace(sub, label, (VALUE,), chosen, sources, rows, pins, numbers_only=True)
    return tuple(sources), tuple(rows)


def _trace(
    sub: Submission,
    label: str,
    keys: tuple[str, ...],
    chosen: set[str],
    sources: list[Source],
    out: list[Provenance],
    pins: Mapping[int, Decision],
    *,
    numbers_only: bool,
) -> None:
    if sub.answers is None:
        return
    wanted = frozenset(keys)
    letters: dict[str, set[str]] = {}
    first = len(out)
    for row in sub.answers.rows:
        if row.measure_id not in chosen:
            continue
        cells = {
            k: v.cell
            for k, v in row.values.items()
            if k in wanted
            and v.value is not None
            and v.value != ""
            and (not numbers_only or number(v.value) is not None)
        }
        if cells:
            out.append(Provenance(label, sub.unit, row.measure_id, sub.id, row.row, cells))
            _letters(cells, str(row.row), letters)
    if len(out) > first:
        sources.append(
            Source(
                submission=sub.id,
                period=label,
                unit=sub.unit,
                sha256=sub.sha256,
                sheet=sub.answers.sheet,
                received_at=sub.received_at,
                submitted_at=sub.submitted_at,
                filename=sub.filename,
                columns={k: "/".join(sorted(letters[k])) for k in keys if k in letters},
                pin=pins.get(sub.id),
            )
        )


def _letters(cells: dict[str, str], suffix: str, letters: dict[str, set[str]]) -> None:
    """Add the sheet column of each cell. The reader reads a whole table through one
    column map, so after the first row this finds nothing new; should a file ever disagree
    with itself, every letter seen is listed."""
    for key, cell in cells.items():
        known = letters.get(key)
        if known is None:
            letters[key] = {column_of(cell)}
        elif len(known) == 1 and next(iter(known)) + suffix == cell:
            continue
        else:
            known.add(column_of(cell))
