"""The page's tables as rows with stable column names: what ``opendata`` writes as CSV,
JSON and their structure. Names are Latin lowerCamelCase (the data.gov.ua convention) and
never change with the page's language or the plan; a column named after the form's own
(a narrative, a funding source) takes its key (``done`` → ``narrativeDone``,
``fund_state`` → ``fundState``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from toolkit.publish.changes import Changes
from toolkit.publish.view import MeasureView, PeriodView

Datatype = Literal["string", "integer", "decimal", "boolean", "date"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Field:
    name: str
    datatype: Datatype
    required: bool = True
    key: str = ""  # a column named after the form's: its key there
    about: str = ""  # and what it is ("narrative", "fund"), for its description
    header: str = ""  # and its header on the form


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    rows: tuple[Row, ...]


def _f(name: str, datatype: Datatype, required: bool = True) -> Field:
    return Field(name, datatype, required)


_COUNTS = (
    _f("measures", "integer"),
    _f("measuresDone", "integer"),
    _f("measuresInProgress", "integer"),
    _f("measuresNotDone", "integer"),
    _f("measuresLost", "integer"),
    _f("measuresNoReport", "integer"),
    _f("measuresOverdue", "integer"),
    _f("shareDone", "decimal", False),
)


def tables(
    views: tuple[PeriodView, ...], changes: tuple[Changes, ...], *, contacts: bool
) -> tuple[Table, ...]:
    last = views[-1]
    out = [
        _summary(views),
        _sections(views),
        _measures(views, last),
        _executors(views),
        _bodies(views, contacts),
        _indicators(views),
    ]
    if changes:
        out.append(_changes(changes))
    return tuple(out)


def _period(v: PeriodView) -> Row:
    return {"period": str(v.period)}


def _counts(c: Any) -> Row:
    return {
        "measures": c.measures,
        "measuresDone": c.done,
        "measuresInProgress": c.in_progress,
        "measuresNotDone": c.not_done,
        "measuresLost": c.lost,
        "measuresNoReport": c.no_report,
        "measuresOverdue": c.overdue,
        "shareDone": c.share_done,
    }


def _summary(views: tuple[PeriodView, ...]) -> Table:
    fields = (
        _f("period", "string"),
        _f("periodStart", "date"),
        _f("periodEnd", "date"),
        *_COUNTS,
        _f("measuresDue", "integer"),
        _f("measuresCarried", "integer"),
        _f("unitsExpected", "integer"),
        _f("unitsReported", "integer"),
        _f("unitsOnTime", "integer"),
        _f("unitsLate", "integer"),
        _f("unitsMissing", "integer"),
        _f("reportsDue", "date", False),
        _f("fundsTotal", "decimal", False),
    )
    rows = []
    for v in views:
        s = v.summary
        rows.append(
            _period(v)
            | {"periodStart": v.period.start, "periodEnd": v.period.end}
            | _counts(s.counts)
            | {
                "measuresDue": s.due,
                "measuresCarried": s.carried,
                "unitsExpected": s.units_expected,
                "unitsReported": s.units_reported,
                "unitsOnTime": s.units_on_time,
                "unitsLate": s.units_late,
                "unitsMissing": s.units_missing,
                "reportsDue": v.due,
                "fundsTotal": s.funds,
            }
        )
    return Table("summary", fields, ("period",), tuple(rows))


def _sections(views: tuple[PeriodView, ...]) -> Table:
    fields = (
        _f("period", "string"),
        _f("sectionNumber", "string"),
        _f("sectionTitle", "string"),
        *_COUNTS,
        _f("fundsTotal", "decimal", False),
    )
    rows = tuple(
        _period(v)
        | {"sectionNumber": s.id, "sectionTitle": s.title}
        | _counts(s.counts)
        | {"fundsTotal": s.funds}
        for v in views
        for s in v.sections
    )
    return Table("sections", fields, ("period", "sectionNumber"), rows)


def _measures(views: tuple[PeriodView, ...], last: PeriodView) -> Table:
    """A column for every narrative and funding source of the form, named after its key
    (``done`` → ``narrativeDone``, ``fund_state`` → ``fundState``)."""
    texts = tuple(
        Field(_camel("narrative", k), "string", False, k, "narrative", last.headers[k])
        for k in last.narrative_keys
    )
    funds = tuple(
        Field(_camel("fund", k.removeprefix("fund_")), "decimal", False, k, "fund", last.headers[k])
        for k in last.fund_keys
    )
    fields = (
        _f("period", "string"),
        _f("measureNumber", "string"),
        _f("sectionNumber", "string"),
        _f("measureText", "string"),
        _f("deadline", "string"),
        _f("carried", "boolean"),
        _f("status", "string"),
        _f("partial", "boolean"),
        _f("overdue", "boolean"),
        _f("executors", "string", False),
        _f("executorsReported", "integer"),
        *texts,
        *funds,
        _f("fundsTotal", "decimal", False),
    )
    rows = tuple(_measure_row(v, m, texts, funds) for v in views for m in v.measures)
    return Table("measures", fields, ("period", "measureNumber"), rows)


def _measure_row(
    v: PeriodView, m: MeasureView, texts: tuple[Field, ...], funds: tuple[Field, ...]
) -> Row:
    said = {n.key: n for n in m.narratives}
    row = _period(v) | {
        "measureNumber": m.number,
        "sectionNumber": m.section,
        "measureText": m.text,
        "deadline": m.deadline,
        "carried": m.carried,
        "status": m.status,
        "partial": m.partial,
        "overdue": m.overdue,
        "executors": "; ".join(e.name for e in m.executors) or None,
        "executorsReported": sum(1 for e in m.executors if e.status),
    }
    for f in texts:
        n = said.get(f.key)
        row[f.name] = "\n".join(f"{who}: {text}" for who, text in n.parts) if n else None
    for f in funds:
        row[f.name] = m.funds.get(f.key)
    return row | {"fundsTotal": m.funds_total}


def _executors(views: tuple[PeriodView, ...]) -> Table:
    fields = (
        _f("period", "string"),
        _f("measureNumber", "string"),
        _f("executor", "string"),
        _f("executorStatus", "string", False),
    )
    rows = tuple(
        _period(v) | {"measureNumber": m.number, "executor": e.name, "executorStatus": e.status}
        for v in views
        for m in v.measures
        for e in m.executors
    )
    return Table("executors", fields, ("period", "measureNumber", "executor"), rows)


def _bodies(views: tuple[PeriodView, ...], contacts: bool) -> Table:
    fields = (
        _f("period", "string"),
        _f("bodyName", "string"),
        _f("bodyShortName", "string"),
        _f("bodyMeasures", "integer"),
        _f("reported", "boolean"),
        _f("onTime", "boolean"),
        *((_f("email", "string", False), _f("phone", "string", False)) if contacts else ()),
    )
    rows = []
    for v in views:
        for b in v.bodies:
            row = _period(v) | {
                "bodyName": b.name,
                "bodyShortName": b.short,
                "bodyMeasures": b.measures,
                "reported": b.reported,
                "onTime": b.reported and not b.late,
            }
            if contacts:
                row |= {"email": "; ".join(b.emails) or None, "phone": b.phone or None}
            rows.append(row)
    return Table("bodies", fields, ("period", "bodyName"), tuple(rows))


def _indicators(views: tuple[PeriodView, ...]) -> Table:
    fields = (
        _f("period", "string"),
        _f("measureNumber", "string"),
        _f("indicator", "string"),
        _f("target", "decimal", False),
        _f("targetUnit", "string", False),
        _f("value", "decimal", False),
        _f("valueRule", "string"),
        _f("cumulative", "decimal", False),
        _f("shareOfTarget", "decimal", False),
    )
    rows = tuple(
        _period(v)
        | {
            "measureNumber": i.measure,
            "indicator": i.text,
            "target": i.target,
            "targetUnit": i.unit,
            "value": i.value,
            "valueRule": i.rule,
            "cumulative": i.cumulative,
            "shareOfTarget": i.share,
        }
        for v in views
        for i in v.indicators
    )
    return Table("indicators", fields, ("period", "measureNumber"), rows)


def _changes(changes: tuple[Changes, ...]) -> Table:
    fields = (
        _f("period", "string"),
        _f("previousPeriod", "string"),
        _f("measureNumber", "string"),
        _f("previousStatus", "string", False),
        _f("status", "string", False),
    )
    rows = tuple(
        {
            "period": str(c.period),
            "previousPeriod": str(c.previous),
            "measureNumber": s.number,
            "previousStatus": s.before,
            "status": s.after,
        }
        for c in changes
        for s in c.statuses
    )
    return Table("changes", fields, ("period", "measureNumber"), rows)


def _camel(prefix: str, key: str) -> str:
    parts = [p for p in key.replace("-", "_").split("_") if p]
    return prefix + "".join(p[:1].upper() + p[1:] for p in parts)
