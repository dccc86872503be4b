"""What the coordinator reads after ``zvit mail compose | send | remind`` and ``zvit
collect --imap``: counts first, then a line per unit, then the problems with their codes.
Nothing printed here ever holds a password (the settings hide it from their repr)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.collect.imap import ImapRun
from toolkit.collect.outcome import render_run
from toolkit.fsutil import relative
from toolkit.issues import Issue, Location, issue, render_text
from toolkit.mail.dispatch import Delivery, SendRun
from toolkit.mail.outbox import Composed
from toolkit.mail.remind import RemindRun
from toolkit.mailio.smtp import SmtpSettings
from toolkit.messages import Lang, t

_MARK = {"sent": "✓", "failed": "✗", "refused": "!", "would_send": "→", "done": "·"}


def render_compose(c: Composed, root: Path, lang: Lang = "uk") -> str:
    where = relative(c.outbox, root) if c.outbox else ""
    lines = [t("mail.compose.done", lang, made=len(c.made), kept=len(c.kept), folder=where)]
    lines += [f"  + {m.unit}: {', '.join(m.recipients)} — {Path(m.eml).name}" for m in c.made]
    return _with_problems(lines, c.problems, lang)


def render_send(run: SendRun, lang: Lang = "uk") -> str:
    if run.dry_run:
        head = t("mail.send.dry_run", lang, send=run.count("would_send"), done=run.count("done"))
    else:
        head = t(
            "mail.send.done",
            lang,
            sent=run.count("sent"),
            refused=run.count("refused"),
            failed=run.count("failed"),
            left=len(run.left),
            done=run.count("done"),
            seconds=f"{run.seconds:.1f}",
        )
    lines = [head]
    if run.dry_run and run.count("would_send"):
        lines.append(_settings_line(run.smtp, lang))
    lines += [_delivery_line(d, lang) for d in run.deliveries if d.status != "done"]
    return _with_problems(lines, run.problems + send_issues(run), lang)


def _settings_line(smtp: SmtpSettings | None, lang: Lang) -> str:
    """A dry run's word on the settings a send would use (never the password)."""
    if smtp is None:
        return t("mail.send.settings_bad", lang)
    server = f"{smtp.host}:{smtp.effective_port} ({smtp.security})"
    who = t("mail.check.as", lang, user=smtp.user) if smtp.user else t("mail.check.no_login", lang)
    return t("mail.send.settings_ok", lang, server=server, who=who)


def render_remind(run: RemindRun, lang: Lang = "uk") -> str:
    counts = {
        reason: sum(target.reason == reason for target in run.targets)
        for reason in ("missing", "errors", "unusable", "correction")
    }
    lines = [t("remind.counts", lang, **counts)]
    if run.send is not None:
        lines.append(render_send(run.send, lang))
    return _with_problems(lines, run.problems, lang)


def render_imap(run: ImapRun, root: Path, lang: Lang = "uk") -> str:
    key = "mail.imap.fetched_moved" if run.moved else "mail.imap.fetched"
    line = t(
        key,
        lang,
        mailbox=run.mailbox,
        fetched=run.fetched,
        moved=run.moved,
        seconds=f"{run.seconds:.1f}",
    )
    return _with_problems([line, render_run(run.collect, root, lang)], run.problems, lang)


def send_issues(run: SendRun) -> list[Issue]:
    """The failures of a send run as coded issues (for the text and for JSON)."""
    found: list[Issue] = []
    for d in run.deliveries:
        where = Location(unit=d.message.unit)
        if d.status == "failed":
            found.append(
                issue(
                    "E_MAIL_SEND_FAILED",
                    where,
                    recipients=", ".join(d.recipients),
                    detail=d.error[:300],
                )
            )
        elif d.status == "refused":
            found += [
                issue("E_MAIL_REFUSED", where, address=a, detail=r) for a, r in d.refused.items()
            ]
    if run.left:
        found.append(issue("W_MAIL_SEND_STOPPED", Location(), left=len(run.left)))
    return found


def send_json(run: SendRun, lang: Lang = "uk") -> dict[str, Any]:
    return {
        "period": run.period,
        "kind": run.kind,
        "dry_run": run.dry_run,
        "deliveries": [
            {
                "unit": d.message.unit,
                "message_id": d.message.message_id,
                "recipients": list(d.recipients),
                "status": d.status,
                "attachment": d.message.attachment or None,
                "error": d.error or None,
            }
            for d in run.deliveries
        ],
        "left": [m.unit for m in run.left],
        "settings_ok": None if not run.dry_run else run.smtp is not None,
        "problems": [i.to_dict(lang) for i in run.problems + send_issues(run)],
    }


def _delivery_line(d: Delivery, lang: Lang) -> str:
    m = d.message
    attached = f" [{m.attachment}]" if m.attachment else ""
    return (
        f"  {_MARK[d.status]} {m.unit} → {', '.join(d.recipients)}{attached}: "
        f"{t(f'mail.delivery.{d.status}', lang)}"
    )


def _with_problems(lines: list[str], problems: list[Issue], lang: Lang) -> str:
    if problems:
        lines += ["", render_text(problems, lang)]
    return "\n".join(lines)
