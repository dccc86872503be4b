"""What the units read: subjects and bodies of the form message and of the reminders, in
the workspace's ``[output] lang`` (``toolkit/data/messages/letter.yaml``). Plain text only:
everything quoted here (unit names, issue texts) goes into the message as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.issues import Issue
from toolkit.messages import Lang, t

MAX_LISTED = 15  # issues listed in a reminder; the feedback workbook has them all


@dataclass(frozen=True)
class Letter:
    """What every message of the exchange says about the plan and the period."""

    unit_name: str
    unit_short: str
    plan_title: str
    period_label: str
    due: date | None
    signature: str
    lang: Lang = "uk"


def form_subject(letter: Letter) -> str:
    return t("letter.form.subject", letter.lang, period=letter.period_label, unit=letter.unit_short)


def reminder_subject(letter: Letter, *, errors: bool) -> str:
    what = t("letter.reminder.errors" if errors else "letter.reminder.missing", letter.lang)
    return t(
        "letter.reminder.subject",
        letter.lang,
        unit=letter.unit_short,
        period=letter.period_label,
        what=what,
    )


def form_body(letter: Letter, filename: str, rows: int) -> str:
    return t(
        "letter.form.body",
        letter.lang,
        plan=letter.plan_title,
        period=letter.period_label,
        unit=letter.unit_name,
        file=filename,
        rows=rows,
        due=_due(letter),
        signature=letter.signature,
    )


def missing_body(letter: Letter, filename: str, today: date) -> str:
    past = letter.due is not None and letter.due < today
    due_line = t(
        "letter.missing.overdue" if past else "letter.missing.due", letter.lang, due=_due(letter)
    )
    return t(
        "letter.missing.body",
        letter.lang,
        unit=letter.unit_name,
        period=letter.period_label,
        due_line=due_line,
        file=filename,
        signature=letter.signature,
    )


def errors_body(letter: Letter, sent_on: date, issues: list[Issue], feedback: str | None) -> str:
    lang = letter.lang
    errors = [i for i in issues if i.severity == "error"] or issues
    listed = [f"- {i.message(lang)}" for i in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        listed.append(t("letter.errors.more", lang, more=len(errors) - MAX_LISTED))
    attached = (
        t("letter.errors.attached", lang, file=feedback)
        if feedback
        else t("letter.errors.not_attached", lang)
    )
    return t(
        "letter.errors.body",
        lang,
        unit=letter.unit_name,
        period=letter.period_label,
        sent=f"{sent_on:%d.%m.%Y}",
        due=_due(letter),
        attached=attached,
        errors="\n".join(listed),
        signature=letter.signature,
    )


def due_text(letter: Letter) -> str:
    """The due date as a letter says it."""
    return _due(letter)


def _due(letter: Letter) -> str:
    if letter.due is None:
        return t("letter.due.plan", letter.lang)
    return t("letter.due.date", letter.lang, date=f"{letter.due:%d.%m.%Y}")
