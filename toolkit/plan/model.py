"""The plan as data: sections → optional tasks → measures.

Every field keeps the words of the plan (``raw``) beside what zvit understood of them,
so a person can always see what a parsed value came from. ``to_dict``/``from_dict``
mirror ``schemas/plan.schema.json``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from toolkit.messages import Lang, t
from toolkit.periods import Period

Repeat = Literal["once", "continuous", "monthly", "quarterly", "annually", "years"]


@dataclass(frozen=True)
class DueDay:
    """A day of the year something is due ("до 10 січня"); ``next_year`` when the plan
    says it falls in the year after the reported one."""

    month: int
    day: int
    next_year: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "day": self.day, "next_year": self.next_year}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DueDay:
        return cls(d["month"], d["day"], d.get("next_year", False))


@dataclass(frozen=True)
class Deadline:
    raw: str
    start: date
    end: date
    repeat: Repeat
    years: tuple[int, ...] = ()
    quarter: int | None = None
    due: DueDay | None = None

    def active_in(self, period: Period) -> bool:
        """Whether a measure with this deadline is reported on in ``period``."""
        if self.repeat == "years":
            return period.year in self.years
        if period.end < self.start or period.start > self.end:
            return False
        if self.quarter is not None and period.quarter is not None:
            return period.quarter == self.quarter
        return True

    def overdue_after(self, period: Period) -> bool:
        """True when the deadline has fully passed by the end of ``period`` (for a recurring
        measure: its last year or quarter) — what both the forms and the report call
        overdue when the measure is not done."""
        return self.end <= period.end

    def ended_before(self, period: Period) -> bool:
        """The deadline was over before ``period`` began."""
        return self.end < period.start

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "raw": self.raw,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "repeat": self.repeat,
        }
        if self.years:
            d["years"] = list(self.years)
        if self.quarter is not None:
            d["quarter"] = self.quarter
        if self.due is not None:
            d["due"] = self.due.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Deadline:
        return cls(
            raw=d["raw"],
            start=date.fromisoformat(d["start"]),
            end=date.fromisoformat(d["end"]),
            repeat=d["repeat"],
            years=tuple(d.get("years", ())),
            quarter=d.get("quarter"),
            due=DueDay.from_dict(d["due"]) if d.get("due") else None,
        )


@dataclass(frozen=True)
class Indicator:
    """``note`` says why an indicator with numbers has no single target."""

    raw: str
    target: float | None = None
    unit: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        target: float | int | None = self.target
        if target is not None and float(target).is_integer():
            target = int(target)
        d: dict[str, Any] = {"raw": self.raw, "target": target, "unit": self.unit}
        if self.note:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Indicator:
        target = d.get("target")
        return cls(
            d["raw"], float(target) if target is not None else None, d.get("unit"), d.get("note")
        )


@dataclass(frozen=True)
class ExecutorRef:
    """One executor named by the plan: a reporting unit or a group of them."""

    id: str
    phrase: str
    by_consent: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "phrase": self.phrase, "by_consent": self.by_consent}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExecutorRef:
        return cls(d["id"], d["phrase"], d.get("by_consent", False))


@dataclass(frozen=True)
class Executors:
    raw: str
    refs: tuple[ExecutorRef, ...] = ()
    unresolved: tuple[str, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.refs]

    def to_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "refs": [r.to_dict() for r in self.refs],
            "unresolved": list(self.unresolved),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Executors:
        return cls(
            d["raw"],
            tuple(ExecutorRef.from_dict(r) for r in d.get("refs", ())),
            tuple(d.get("unresolved", ())),
        )


@dataclass(frozen=True)
class Measure:
    """``id`` is the measure's printed place in the plan (what forms and reports show);
    ``key`` its identity across revisions of the plan (``toolkit.plan.revisions``), the
    same as ``id`` until an amendment renumbers it; ``follows``: keys of earlier measures
    merged into this one or split into it, whose history counts for it."""

    id: str
    number: str
    text: str
    deadline: Deadline
    executors: Executors
    indicator: Indicator
    section: str = ""
    task: str | None = None
    heading: str | None = None
    key: str = ""
    follows: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.id)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id}
        if self.key != self.id:  # a plan never amended is written as it always was
            d["key"] = self.key
        if self.follows:
            d["follows"] = list(self.follows)
        d["number"] = self.number
        if self.heading:
            d["heading"] = self.heading
        d |= {
            "text": self.text,
            "deadline": self.deadline.to_dict(),
            "executors": self.executors.to_dict(),
            "indicator": self.indicator.to_dict(),
        }
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], section: str, task: str | None) -> Measure:
        return cls(
            id=d["id"],
            number=d["number"],
            text=d["text"],
            deadline=Deadline.from_dict(d["deadline"]),
            executors=Executors.from_dict(d["executors"]),
            indicator=Indicator.from_dict(d["indicator"]),
            section=section,
            task=task,
            heading=d.get("heading"),
            key=d.get("key", ""),
            follows=tuple(d.get("follows", ())),
        )


@dataclass(frozen=True)
class Task:
    id: str
    number: str
    title: str
    measures: tuple[Measure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "measures": [m.to_dict() for m in self.measures],
        }


@dataclass(frozen=True)
class Section:
    id: str
    number: str
    title: str
    tasks: tuple[Task, ...] = ()
    measures: tuple[Measure, ...] = ()

    def all_measures(self) -> Iterator[Measure]:
        for task in self.tasks:
            yield from task.measures
        yield from self.measures

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "number": self.number, "title": self.title}
        if self.tasks:
            d["tasks"] = [t.to_dict() for t in self.tasks]
        if self.measures:
            d["measures"] = [m.to_dict() for m in self.measures]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        sid = d["id"]
        tasks = tuple(
            Task(
                t["id"],
                t["number"],
                t["title"],
                tuple(Measure.from_dict(m, sid, t["id"]) for m in t.get("measures", ())),
            )
            for t in d.get("tasks", ())
        )
        measures = tuple(Measure.from_dict(m, sid, None) for m in d.get("measures", ()))
        return cls(sid, d["number"], d["title"], tasks, measures)


@dataclass(frozen=True)
class Decision:
    kind: str
    number: str
    date: date

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "date": self.date.isoformat()}

    def kind_label(self, lang: Lang) -> str:
        """The kind of act in ``lang`` («розпорядження» is an order); one the catalog does
        not know, as the plan names it."""
        act = _ACTS.get(self.kind.strip().lower())
        return t(f"plan.act.{act}", lang) if act else self.kind

    def label(self, lang: Lang, day: str | None = None) -> str:
        """«розпорядження від 12.12.2018 № 1003»; ``day``: the date as the page shows it."""
        shown = day or f"{self.date:%d.%m.%Y}"
        return t("plan.decision", lang, kind=self.kind_label(lang), date=shown, number=self.number)


# the kinds of act a plan is approved by (plan.importers.meta reads them)
_ACTS = {
    "розпорядження": "order",
    "рішення": "decision",
    "наказ": "directive",
    "постанова": "resolution",
    "ухвала": "ruling",
}


@dataclass(frozen=True)
class ReportingRule:
    """Who reports to whom by when: ``raw`` is the plan's own sentence."""

    raw: str
    due: DueDay | None = None
    to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"raw": self.raw}
        if self.due:
            d["due"] = self.due.to_dict()
        if self.to:
            d["to"] = self.to
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReportingRule:
        return cls(d["raw"], DueDay.from_dict(d["due"]) if d.get("due") else None, d.get("to"))


@dataclass(frozen=True)
class Reporting:
    """``executors`` is None when the decision does not say when executors report."""

    executors: ReportingRule | None
    coordinator: ReportingRule
    cadence: Literal["annual", "quarterly"] = "annual"


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    issuer: str
    decision: Decision
    first_year: int
    last_year: int
    coordinator: str
    reporting: Reporting
    sections: tuple[Section, ...] = ()
    source: str = ""

    def measures(self) -> Iterator[Measure]:
        for s in self.sections:
            yield from s.all_measures()

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures():
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "zvit-plan/1",
            "id": self.id,
            "title": self.title,
            "issuer": self.issuer,
            "decision": self.decision.to_dict(),
            "span": {"first": self.first_year, "last": self.last_year},
            "coordinator": self.coordinator,
            "reporting": self._reporting_dict(),
            "source": self.source,
            "sections": [s.to_dict() for s in self.sections],
        }

    def _reporting_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"cadence": self.reporting.cadence}
        if self.reporting.executors:
            d["executors"] = self.reporting.executors.to_dict()
        d["coordinator"] = self.reporting.coordinator.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        rep = d["reporting"]
        return cls(
            id=d["id"],
            title=d["title"],
            issuer=d["issuer"],
            decision=Decision(
                d["decision"]["kind"],
                d["decision"]["number"],
                date.fromisoformat(d["decision"]["date"]),
            ),
            first_year=d["span"]["first"],
            last_year=d["span"]["last"],
            coordinator=d["coordinator"],
            reporting=Reporting(
                ReportingRule.from_dict(rep["executors"]) if rep.get("executors") else None,
                ReportingRule.from_dict(rep["coordinator"]),
                rep.get("cadence", "annual"),
            ),
            sections=tuple(Section.from_dict(s) for s in d["sections"]),
            source=d.get("source", ""),
        )
