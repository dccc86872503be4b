"""``zvit status`` and ``zvit history``: who was expected to report for a period, who did,
how it went and whether on time; every submission of one unit.

Expected: every unit with at least one measure to report on in the period (the same rule
as the forms). For each, the submission in force (the latest) decides: accepted, with
errors, late (sent after the due date), or missing. Completeness = accepted / expected;
timeliness = received by the due date / expected, as DHIS2 counts reporting rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.forms.make import due_date
from toolkit.ledger.rows import iso
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import DueDay
from toolkit.plan.query import assignments
from toolkit.plan.registry import Registry
from toolkit.validate.result import VERDICT_LABELS
from toolkit.workspace import Workspace

MISSING = "missing"


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    name: str
    state: str  # a verdict of the latest submission, or "missing"
    latest: Submission | None = None
    late: bool = False

    @property
    def received(self) -> bool:
        return self.latest is not None

    @property
    def accepted(self) -> bool:
        return self.latest is not None and self.latest.accepted

    @property
    def on_time(self) -> bool:
        return self.received and not self.late


@dataclass
class PeriodStatus:
    period: Period
    due: date | None
    units: list[UnitStatus] = field(default_factory=list)
    unexpected: list[Submission] = field(default_factory=list)  # units with nothing due

    def count(self) -> dict[str, int]:
        u = self.units
        return {
            "expected": len(u),
            "received": sum(s.received for s in u),
            "accepted": sum(s.accepted for s in u),
            "with_errors": sum(s.received and not s.accepted for s in u),
            "late": sum(s.late for s in u),
            "on_time": sum(s.on_time for s in u),
            "missing": sum(not s.received for s in u),
        }

    def rates(self) -> dict[str, float | None]:
        c = self.count()
        if not c["expected"]:
            return {"completeness": None, "timeliness": None}
        return {
            "completeness": c["accepted"] / c["expected"],
            "timeliness": c["on_time"] / c["expected"],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "due": self.due.isoformat() if self.due else None,
            "counts": self.count(),
            "rates": self.rates(),
            "units": [_unit_json(s) for s in self.units],
            "unexpected": [{"unit": s.unit, "submission": s.id} for s in self.unexpected],
        }


def _unit_json(s: UnitStatus) -> dict[str, Any]:
    sub = s.latest
    return {
        "unit": s.unit,
        "name": s.name,
        "state": s.state,
        "late": s.late,
        "submission": sub.id if sub else None,
        "submitted_at": iso(sub.submitted_at) if sub else None,
        "errors": sub.errors if sub else None,
        "warnings": sub.warnings if sub else None,
        "file": sub.filename if sub else None,
        "sender": sub.sender if sub else None,
    }


def fallback_due(ws: Workspace) -> DueDay | None:
    return ws.executors_due()


def period_status(ws: Workspace, period: Period, ledger: Ledger | None = None) -> PeriodStatus:
    plan, registry = ws.plan(period), ws.registry()
    expected = assignments(plan, registry, period)
    report = PeriodStatus(period, due_date(plan, period, fallback_due(ws)))
    own = ledger is None
    ledger = ledger or Ledger.open(ws)
    try:
        latest = ledger.latest(str(period), with_answers=False)
    finally:
        if own:
            ledger.close()
    for unit_id in expected:
        sub = latest.get(unit_id)
        late = (
            sub is not None
            and report.due is not None
            and sub.submitted_at.astimezone().date() > report.due
        )
        unit = registry.units[unit_id]
        report.units.append(
            UnitStatus(unit_id, unit.short or unit.name, sub.verdict if sub else MISSING, sub, late)
        )
    report.unexpected = [s for u, s in latest.items() if u not in expected]
    return report


# --- text for a person ------------------------------------------------------------------

_STATES: dict[Lang, dict[str, str]] = {
    "uk": VERDICT_LABELS["uk"] | {"rejected": "з помилками", MISSING: "не надійшов"},
    "en": VERDICT_LABELS["en"] | {"rejected": "with errors", MISSING: "missing"},
}


def render_status(report: PeriodStatus, lang: Lang = "uk") -> str:
    uk = lang == "uk"
    c, r = report.count(), report.rates()
    due = f"{report.due:%d.%m.%Y}" if report.due else ("не встановлено" if uk else "not set")
    lines = [
        (
            f"Звітний період: {report.period.label('uk')}. Строк подання: {due}."
            if uk
            else f"Period: {report.period.label('en')}. Due: {due}."
        ),
        (
            f"Очікується звітів: {c['expected']}; отримано: {c['received']}; прийнято: "
            f"{c['accepted']}; з помилками: {c['with_errors']}; із запізненням: {c['late']}; "
            f"не надійшло: {c['missing']}."
            if uk
            else f"Expected: {c['expected']}; received: {c['received']}; "
            f"accepted: {c['accepted']}; "
            f"with errors: {c['with_errors']}; late: {c['late']}; missing: {c['missing']}."
        ),
        (
            f"Повнота: {_pct(r['completeness'], lang)} ({c['accepted']} з {c['expected']}). "
            f"Своєчасність: {_pct(r['timeliness'], lang)} ({c['on_time']} з {c['expected']})."
            if uk
            else f"Completeness: {_pct(r['completeness'], lang)} "
            f"({c['accepted']} of {c['expected']}). "
            f"Timeliness: {_pct(r['timeliness'], lang)} ({c['on_time']} of {c['expected']})."
        ),
        "",
    ]
    head = (
        ("Звітна одиниця", "Стан", "Надіслано", "Помилок", "Попереджень")
        if uk
        else ("Unit", "State", "Sent", "Errors", "Warnings")
    )
    rows = [_status_row(s, lang) for s in report.units]
    lines += _table(head, rows)
    if report.unexpected:
        lines.append("")
        lines.append(
            (
                "Надійшли також звіти одиниць, яким за цей період нічого не належало подавати: "
                if uk
                else "Also received from units with nothing due: "
            )
            + ", ".join(s.unit for s in report.unexpected)
        )
    return "\n".join(lines)


def _status_row(s: UnitStatus, lang: Lang) -> tuple[str, ...]:
    state = _STATES[lang][s.state]
    if s.late:
        state += ", із запізненням" if lang == "uk" else ", late"
    sub = s.latest
    if sub is None:
        return (s.name, state, "", "", "")
    return (s.name, state, f"{sub.submitted_at:%d.%m.%Y %H:%M}", str(sub.errors), str(sub.warnings))


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    out = []
    for row in [head, *rows]:
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return out


def _pct(value: float | None, lang: Lang) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.1f} %"
    return text.replace(".", ",") if lang == "uk" else text


def render_history(
    unit: str,
    name: str,
    period: Period,
    subs: list[Submission],
    registry: Registry | None = None,
    lang: Lang = "uk",
) -> str:
    uk = lang == "uk"
    title = (
        f"Подання {name} ({unit}) за {period.label('uk')}"
        if uk
        else f"Submissions of {name} ({unit}) for {period.label('en')}"
    )
    if not subs:
        return title + (": жодного." if uk else ": none.")
    lines = [title + ":", ""]
    for sub in subs:
        lines += _history_entry(sub, lang)
    return "\n".join(lines)


def _history_entry(sub: Submission, lang: Lang) -> list[str]:
    uk = lang == "uk"
    state = _STATES[lang][sub.verdict]
    if sub.superseded_by is not None:
        mark = (
            f"замінено записом № {sub.superseded_by}"
            if uk
            else f"replaced by no. {sub.superseded_by}"
        )
    elif sub.attributed:
        mark = "чинний" if uk else "in force"
    elif any(d.get("code") == "E_WRONG_PERIOD" for d in sub.issues):
        mark = "не зараховано: зібрано за інший період" if uk else "not counted: other period"
    else:
        mark = (
            "не зараховано: ідентичність форми сумнівна" if uk else "not counted: identity in doubt"
        )
    counts = (
        f"помилок {sub.errors}, попереджень {sub.warnings}"
        if uk
        else f"errors {sub.errors}, warnings {sub.warnings}"
    )
    sent, got = f"{sub.submitted_at:%d.%m.%Y %H:%M}", f"{sub.received_at:%d.%m.%Y %H:%M}"
    first = (
        f"№ {sub.id}: надіслано {sent}, отримано {got} — {state} ({counts}); {mark}"
        if uk
        else f"No. {sub.id}: sent {sent}, received {got} — {state} ({counts}); {mark}"
    )
    who = sub.sender or "—"
    second = (
        f"    файл «{sub.filename}», відправник {who}, джерело {sub.source}"
        if uk
        else f"    file '{sub.filename}', sender {who}, source {sub.source}"
    )
    return [first, second]


def submission_json(s: Submission) -> dict[str, Any]:
    return {
        "id": s.id,
        "unit": s.unit,
        "period": s.period,
        "form_id": s.form_id,
        "sha256": s.sha256,
        "verdict": s.verdict,
        "errors": s.errors,
        "warnings": s.warnings,
        "received_at": s.received_at.isoformat(),
        "submitted_at": s.submitted_at.isoformat(),
        "source": s.source,
        "sender": s.sender or None,
        "filename": s.filename,
        "superseded_by": s.superseded_by,
        "attributed": s.attributed,
        "application": s.application or None,
    }
