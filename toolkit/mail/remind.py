"""``zvit mail remind``: a reminder to every unit whose report for the period does not
count, as ``zvit status`` says by the one rule (``toolkit.ledger.standing``): missing —
the form again; with errors — the feedback copy collect made of its own workbook;
received but not accepted (a blank form, last year's form, a CSV…) — what exactly was
wrong, and the right form; and to a unit whose accepted report stands while its later
correction has errors — the feedback copy of the correction. A pinned report needs no
reminder. A reminder answers the form message, so mail clients keep them in one thread.

One reminder a unit a day: a unit reminded today is skipped unless ``again``; a reminder
composed today but not sent (the run stopped) is sent by the next run, not made anew."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from toolkit.collect.feedback_run import feedback_path, needs_feedback
from toolkit.fsutil import relative
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.base import now
from toolkit.ledger.mail import MailLedger, OutMessage
from toolkit.ledger.rows import issue_from_dict, renderable
from toolkit.ledger.standing import Filed
from toolkit.ledger.status import MISSING, UnitStatus, period_status
from toolkit.ledger.status_text import why_not
from toolkit.ledger.submissions import Submission
from toolkit.mail import message as mm
from toolkit.mail.dispatch import SendRun, deliver
from toolkit.mail.outbox import (
    FormFile,
    addresses,
    form_files,
    letter_maker,
    no_form,
    outbox_folder,
)
from toolkit.mail.texts import (
    MAX_LISTED,
    Letter,
    due_text,
    errors_body,
    missing_body,
    reminder_subject,
)
from toolkit.mailio.settings import sender
from toolkit.messages import LANGS, Lang, t
from toolkit.periods import Period
from toolkit.plan.registry import Registry, Unit
from toolkit.workspace import Workspace

Reason = Literal["missing", "errors", "unusable", "correction"]


@dataclass(frozen=True)
class Target:
    unit: str
    reason: Reason
    attachment: str = ""  # what the reminder carries: the feedback copy or the form


@dataclass
class RemindRun:
    period: str
    targets: list[Target] = field(default_factory=list)
    send: SendRun | None = None
    problems: list[Issue] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return (self.send is None or self.send.clean) and not any(
            p.severity == "error" for p in self.problems
        )


@dataclass(frozen=True)
class _Context:
    ws: Workspace
    registry: Registry
    period: Period
    today: date
    sender: str
    letter: Callable[[Unit], Letter]
    forms: Mapping[str, FormFile]
    form_messages: Mapping[str, OutMessage]
    lang: Lang


def remind(
    ws: Workspace,
    period: Period,
    *,
    units: tuple[str, ...] = (),
    again: bool = False,
    dry_run: bool = False,
    lang: Lang | None = None,
    env: Mapping[str, str] | None = None,
) -> RemindRun:
    language: Lang = lang or ws.lang
    run = RemindRun(str(period))
    with MailLedger.open(ws) as ledger:
        status = period_status(ws, period, ledger)
        today = now().date()
        ctx = _Context(
            ws,
            ws.registry(),
            period,
            today,
            sender(ws),
            letter_maker(ws, period, language),
            form_files(ws, ledger, period),
            ledger.composed(str(period), "form"),
            language,
        )
        reminded = set() if again else ledger.reminded_on(str(period), today)
        earlier = {
            u: m
            for u, m in ledger.composed(str(period), "reminder").items()
            if m.composed_at.date() == today
        }
        messages: list[OutMessage] = []
        due = due_a_reminder(status.units, units)
        # a missing report of a unit never given a form: the form is what is missing
        run.problems += no_form(
            [s.unit for s in due if s.latest is None and s.unit not in ctx.forms], period
        )
        for s in due:
            if s.latest is None and s.unit not in ctx.forms:
                continue
            if s.unit in reminded:
                run.problems.append(issue("I_REMIND_ALREADY_TODAY", Location(unit=s.unit)))
                continue
            prev = earlier.get(s.unit)
            if (
                prev is not None
                and not again
                and ledger.sent_to(prev.message_id) < {a.lower() for a in prev.recipients}
            ):
                messages.append(prev)  # composed by a run that stopped: send that one
                run.targets.append(Target(s.unit, _reason(s), prev.attachment))
                continue
            made = _compose(ctx, s, run, dry_run)
            if made is not None:
                if not dry_run:
                    ledger.record_composed(made)
                messages.append(made)
        run.send = deliver(
            ws,
            ledger,
            messages,
            period=str(period),
            kind="reminder",
            dry_run=dry_run,
            env=env,
            command="mail remind",
        )
    return run


def due_a_reminder(statuses: list[UnitStatus], only: tuple[str, ...] = ()) -> list[UnitStatus]:
    """Units whose report does not count (missing, with errors, received but not
    accepted), and units whose accepted report stands while a later correction has
    errors; a pinned report needs none."""
    return [s for s in statuses if (not only or s.unit in only) and reason_of(s) is not None]


def reason_of(s: UnitStatus) -> Reason | None:
    st = s.standing
    if st.state == MISSING:
        return "missing"
    if st.state == "rejected":
        return "errors"
    if st.state == "unusable":
        return "unusable"
    if st.counted and st.pin is None and st.newer is not None:
        return "correction"
    return None


def _reason(s: UnitStatus) -> Reason:
    found = reason_of(s)
    assert found is not None
    return found


def _compose(ctx: _Context, s: UnitStatus, run: RemindRun, dry_run: bool) -> OutMessage | None:
    unit = ctx.registry.units[s.unit]
    to = addresses(unit, run.problems)
    if not to:
        return None
    letter = ctx.letter(unit)
    why = _reason(s)
    st = s.standing
    if why == "missing":
        name, data, body = _form_part(ctx, unit, letter)
    elif why == "unusable" and st.unusable is not None:
        name, data, body = _unusable_part(ctx, unit, letter, st.unusable, st.period)
    elif why == "correction" and st.newer is not None and st.in_force is not None:
        name, data, body = _correction_part(ctx, st.newer.sub, st.in_force.sub, letter, run)
    else:
        assert s.latest is not None
        name, data, body = _feedback_part(ctx, s.latest, letter, run)
    original = ctx.form_messages.get(s.unit)
    draft = mm.Draft(
        ctx.sender,
        to,
        _subject(letter, why),
        body,
        mm.new_message_id(ctx.sender),
        now(),
        name,
        data,
        original.message_id if original else None,
    )
    run.targets.append(Target(s.unit, why, name))
    eml = ""
    if not dry_run:
        folder = outbox_folder(ctx.ws, ctx.period) / f"reminders-{ctx.today.isoformat()}"
        path = mm.eml_path(folder, unit.short or unit.id, set())
        mm.write_eml(path, mm.build(draft))
        eml = relative(path, ctx.ws.root)
    return OutMessage(
        draft.message_id,
        s.unit,
        str(ctx.period),
        "reminder",
        to,
        draft.subject,
        name,
        draft.sha256,
        "",
        eml,
        draft.date,
    )


def _subject(letter: Letter, why: Reason) -> str:
    if why in ("missing", "errors"):
        return reminder_subject(letter, errors=why == "errors")
    return t(
        f"remind.subject.{why}", letter.lang, unit=letter.unit_short, period=letter.period_label
    )


def _unusable_part(
    ctx: _Context, unit: Unit, letter: Letter, f: Filed, period: str
) -> tuple[str, bytes, str]:
    """What was wrong with the file that came, and the right form again."""
    form = ctx.forms.get(unit.id)
    sub = f.sub
    issues = [issue_from_dict(d) for d in sub.issues if renderable(d)]
    body = t(
        "remind.unusable.body",
        letter.lang,
        sent_on=f"{sub.submitted_at.astimezone():%d.%m.%Y}",
        unit_name=letter.unit_name,
        file=sub.filename,
        period=letter.period_label,
        why=why_not(f, period, letter.lang),
        listed=_listed(issues, letter.lang) or f"- {why_not(f, period, letter.lang)}",
        form=form.path.name if form else t("remind.unusable.no_form", letter.lang),
        due=due_text(letter),
        signature=letter.signature,
    )
    if form is None:
        return "", b"", body + "\n"
    return form.path.name, form.path.read_bytes(), body + "\n"


def _correction_part(
    ctx: _Context, sub: Submission, held: Submission, letter: Letter, run: RemindRun
) -> tuple[str, bytes, str]:
    """The accepted report stands; the correction's feedback copy, if collect made one."""
    issues, found = _problems_and_copy(ctx, sub, run)
    if found is None:
        attached = t("remind.correction.plain", letter.lang)
    else:
        attached = t("remind.correction.attached", letter.lang, feedback=found.name)
    body = t(
        "remind.correction.body",
        letter.lang,
        unit_name=letter.unit_name,
        period=letter.period_label,
        accepted_on=f"{held.submitted_at.astimezone():%d.%m.%Y}",
        sent_on=f"{sub.submitted_at.astimezone():%d.%m.%Y}",
        attached=attached,
        listed=_listed(issues, letter.lang),
        signature=letter.signature,
    )
    if found is None:
        return "", b"", body + "\n"
    return found.name, found.read_bytes(), body + "\n"


def _listed(issues: list[Issue], lang: Lang) -> str:
    errors = [i for i in issues if i.severity == "error"] or issues
    lines = [f"- {i.message(lang)}" for i in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        lines.append(t("remind.more", lang, rest=len(errors) - MAX_LISTED))
    return "\n".join(lines)


def _form_part(ctx: _Context, unit: Unit, letter: Letter) -> tuple[str, bytes, str]:
    form = ctx.forms[unit.id]
    return form.path.name, form.path.read_bytes(), missing_body(letter, form.path.name, ctx.today)


def _feedback_part(
    ctx: _Context, sub: Submission, letter: Letter, run: RemindRun
) -> tuple[str, bytes, str]:
    issues, found = _problems_and_copy(ctx, sub, run)
    if found is None:
        return "", b"", errors_body(letter, sub.submitted_at.date(), issues, None)
    return (
        found.name,
        found.read_bytes(),
        errors_body(letter, sub.submitted_at.date(), issues, found.name),
    )


def _problems_and_copy(
    ctx: _Context, sub: Submission, run: RemindRun
) -> tuple[list[Issue], Path | None]:
    """What was wrong with a submission, and its feedback copy (a missing copy is noted:
    the letter then lists the problems without it)."""
    issues = [issue_from_dict(d) for d in sub.issues if renderable(d)]
    found = find_feedback(ctx.ws, sub, ctx.registry)
    if found is None:
        run.problems.append(
            issue("W_REMIND_NO_FEEDBACK", Location(unit=sub.unit), submission=sub.id)
        )
    return issues, found


def find_feedback(ws: Workspace, sub: Submission, registry: Registry) -> Path | None:
    """The feedback copy collect made for this very submission (its name holds the
    submission's number from the ledger; collect may have run in either language)."""
    if not needs_feedback(sub):
        return None
    for lang in LANGS:
        path = feedback_path(ws, sub, registry, lang)
        if path.is_file():
            return path
    return None
