"""The words of which return counts: a unit's state («прийнято; виправлення від … має
помилки», «надійшло, але не прийнято: порожня форма»), why a file does not count, the part
each submission plays, the coordinator's decisions — and ``zvit status`` and ``zvit
history`` as text. Everything else that says these things (the report's list of units,
reminders, a collect run's notes) uses the functions here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from toolkit.errors import ZvitError
from toolkit.formats import pct
from toolkit.ledger.standing import Decision, Filed, Standing
from toolkit.ledger.status import PeriodStatus, UnitStatus
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.validate.result import verdict_label


def when(moment: datetime) -> str:
    """A moment as the coordinator's clock shows it (the ledger keeps time zones)."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local:%d.%m.%Y %H:%M}"


def period_label(text: str, lang: Lang) -> str:
    try:
        return Period.parse(text).label(lang)
    except ZvitError:
        return text


def why_not(f: Filed, period: str, lang: Lang) -> str:
    """Why a file does not count, in a few words («порожня форма»)."""
    b = f.block
    if b is None:
        return ""
    if b.kind == "stale" and f.own_period:
        return t(
            "counting.block.stale",
            lang,
            found=period_label(f.sub.period, lang),
            later=period_label(b.found, lang),
        )
    if b.kind in ("stale", "wrong_period"):
        return t(
            "counting.block.wrong_period",
            lang,
            found=period_label(b.found or f.sub.period, lang),
            expected=period_label(period, lang),
        )
    if b.kind == "format":
        return t("counting.block.format", lang, found=b.found or "?")
    if b.kind == "other_plan":
        return t("counting.block.other_plan", lang, found=b.found or "?")
    if b.kind == "unreadable":
        return t("counting.block.unreadable", lang, code=b.code or "?")
    return t(f"counting.block.{b.kind}", lang)


NO_REASON = "counting.decision.no_reason"


def reason(d: Decision | None, lang: Lang) -> str:
    return (d.reason if d is not None else "") or t(NO_REASON, lang)


def state_text(st: Standing, lang: Lang, *, late: bool = False) -> str:
    """What the rule says of a unit for a period, as one line."""
    state = st.state
    if state == "pinned":
        text = t("counting.state.pinned", lang, reason=reason(st.pin, lang))
    elif state == "unusable" and st.unusable is not None:
        text = t("counting.state.unusable", lang, why=why_not(st.unusable, st.period, lang))
    else:
        text = t(f"counting.state.{state}", lang)
        if st.pin is not None:
            pinned = t("counting.state.pinned_accepted", lang, reason=reason(st.pin, lang))
            text = f"{text} ({pinned})"
    newer = st.newer
    if newer is not None and st.in_force is not None:
        date = when(newer.sub.submitted_at)[:10]
        if st.pin is not None:
            more = t("counting.state.after_pin", lang, date=date, pinned=st.in_force.sub.id)
        else:
            more = t("counting.state.correction", lang, date=date)
        text = f"{text}; {more}"
    if late:
        text = f"{text}, {t('counting.state.late', lang)}"
    return text


def part_text(st: Standing, f: Filed, lang: Lang) -> str:
    part = st.part(f.sub.id)
    other = st.in_force.sub.id if st.in_force is not None else 0
    if part == "excluded":
        return t("counting.part.excluded", lang, reason=reason(st.excluded[f.sub.id], lang))
    if part == "blocked":
        key = "counting.part.blocked" if f.own_period else "counting.part.meant"
        return t(key, lang, why=why_not(f, st.period, lang))
    if part == "in_force" and st.pin is not None:
        pinned = t("counting.state.pinned_accepted", lang, reason=reason(st.pin, lang))
        return f"{t('counting.part.in_force', lang)} ({pinned})"
    return t(f"counting.part.{part}", lang, other=other)


def pin_text(d: Decision, lang: Lang) -> str:
    """A pin, where the submission it put in force is shown (the report's provenance)."""
    text = t("counting.state.pinned_accepted", lang, reason=reason(d, lang))
    return f"{text} ({d.by or '—'}, {when(d.at)})"


def decision_text(d: Decision, lang: Lang) -> str:
    return t(
        f"counting.decision.{d.kind}",
        lang,
        at=when(d.at),
        by=d.by or "—",
        submission=d.submission or "",
        unit=d.unit,
        period=period_label(d.period, lang),
        reason=reason(d, lang),
    )


# --- zvit status ----------------------------------------------------------------------


def render_status(report: PeriodStatus, lang: Lang = "uk") -> str:
    c, r = report.count(), report.rates()
    due = f"{report.due:%d.%m.%Y}" if report.due else t("counting.status.due_unset", lang)
    lines = [
        t("counting.status.period", lang, period=report.period.label(lang), due=due),
        t("counting.status.counts", lang, **c),
        t(
            "counting.status.rates",
            lang,
            completeness=pct(r["completeness"], lang, 1),
            timeliness=pct(r["timeliness"], lang, 1),
            **c,
        ),
        "",
    ]
    head = tuple(t("counting.status.head", lang).split("|"))
    lines += _table(head, [_status_row(s, lang) for s in report.units])
    if report.unexpected:
        units = ", ".join(s.unit for s in report.unexpected)
        lines += ["", t("counting.status.unexpected", lang, units=units)]
    if report.decisions:
        lines += ["", t("counting.status.decisions", lang)]
        lines += [f"  {decision_text(d, lang)}" for d in report.decisions]
    return "\n".join(lines)


def _status_row(s: UnitStatus, lang: Lang) -> tuple[str, ...]:
    state = state_text(s.standing, lang, late=s.late)
    sub = s.latest
    if sub is None:
        return (s.name, "", state, "", "", "")
    return (
        s.name,
        str(sub.id),
        state,
        when(sub.submitted_at),
        str(sub.errors),
        str(sub.warnings),
    )


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    out = []
    for row in [head, *rows]:
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return out


# --- zvit history ---------------------------------------------------------------------


def render_history(name: str, standings: Iterable[Standing], lang: Lang = "uk") -> str:
    """Every submission of a unit, period by period, newest first, with its part."""
    blocks = []
    for st in standings:
        title = t(
            "counting.history.title",
            lang,
            name=name,
            unit=st.unit,
            period=period_label(st.period, lang),
        )
        if not st.filed:
            blocks.append(f"{title}: {t('counting.history.none', lang)}.")
            continue
        lines = [f"{title}:", t("counting.history.now", lang, state=state_text(st, lang)), ""]
        for f in st.filed:
            lines += _entry(st, f, lang)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _entry(st: Standing, f: Filed, lang: Lang) -> list[str]:
    sub = f.sub
    first = t(
        "counting.history.entry",
        lang,
        id=sub.id,
        sent=when(sub.submitted_at),
        how=t(f"counting.sent.{sub.sent_how or 'collected'}", lang),
        received=when(sub.received_at),
        verdict=verdict_label(sub.verdict, lang),
        errors=sub.errors,
        warnings=sub.warnings,
        part=part_text(st, f, lang),
    )
    second = t(
        "counting.history.where",
        lang,
        file=sub.filename,
        sender=sub.sender or "—",
        source=sub.source,
    )
    return [first, second]
