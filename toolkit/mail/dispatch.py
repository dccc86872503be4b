"""``zvit mail send``: send the composed messages over SMTP, paced, each recorded in the
ledger as it goes, so that a run stopped anywhere is finished by running it again.

A message is sent to the addresses it has not reached yet: a refused address is tried
again next time, the others are not written to twice. A failure of the server itself
(unreachable, login refused, connection dropped) stops the run and leaves the rest for the
next one; a message the server refuses for good does not stop the others."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal

from toolkit.errors import SettingsError, UsageError
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.mail import Kind, MailLedger, OutMessage
from toolkit.mail import message as mm
from toolkit.mailio.headers import normalize_message_id
from toolkit.mailio.imap import MailServerError
from toolkit.mailio.settings import sender, smtp_settings, throttle_seconds
from toolkit.mailio.smtp import RecipientsRefused, SmtpSession, SmtpSettings, Throttle
from toolkit.periods import Period
from toolkit.workspace import Workspace

Status = Literal["sent", "failed", "refused", "would_send", "done"]


@dataclass(frozen=True)
class Delivery:
    """What became of one message in a run. ``recipients``: the addresses it was for in
    this run; ``refused``: those the server refused (address → its reply)."""

    message: OutMessage
    recipients: tuple[str, ...]
    status: Status
    error: str = ""
    refused: Mapping[str, str] = field(default_factory=dict)
    server_down: bool = False  # the failure was the server's, not this message's


@dataclass
class SendRun:
    period: str
    kind: Kind
    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)
    left: list[OutMessage] = field(default_factory=list)  # not tried: the run stopped
    stopped: str = ""  # why the run stopped early
    seconds: float = 0.0
    smtp: SmtpSettings | None = None  # a dry run: the settings a send would use, if usable

    def count(self, status: Status) -> int:
        return sum(d.status == status for d in self.deliveries)

    @property
    def clean(self) -> bool:
        return not (
            self.left
            or self.stopped
            or any(d.status in ("failed", "refused") for d in self.deliveries)
            or any(p.severity != "info" for p in self.problems)
        )


Sleep = Callable[[float], None]


def send_forms(
    ws: Workspace,
    period: Period,
    *,
    units: tuple[str, ...] = (),
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
) -> SendRun:
    """Send every composed form message not yet sent to all its recipients."""
    with MailLedger.open(ws) as ledger:
        composed = ledger.composed(str(period), "form")
        if not composed:
            raise UsageError("mail.send.nothing_composed", period=period)
        messages = [m for u, m in composed.items() if not units or u in units]
        return deliver(
            ws,
            ledger,
            messages,
            period=str(period),
            kind="form",
            dry_run=dry_run,
            env=env,
            command="mail send",
        )


def deliver(
    ws: Workspace,
    ledger: MailLedger,
    messages: Sequence[OutMessage],
    *,
    period: str,
    kind: Kind,
    dry_run: bool,
    env: Mapping[str, str] | None,
    command: str,
    sleep: Sleep = time.sleep,
) -> SendRun:
    """Send ``messages`` (each to the recipients it has not reached)."""
    run = SendRun(period, kind, dry_run)
    todo: list[tuple[OutMessage, tuple[str, ...]]] = []
    for m in messages:
        reached = ledger.sent_to(m.message_id)
        rest = tuple(a for a in m.recipients if a.lower() not in reached)
        if rest:
            todo.append((m, rest))
        else:
            run.deliveries.append(Delivery(m, m.recipients, "done"))
    if dry_run:
        run.deliveries += [Delivery(m, to, "would_send") for m, to in todo]
        if todo:
            rehearse(ws, todo, run, env)
        return run
    if not todo:
        return run
    settings = smtp_settings(ws, env)
    throttle = Throttle(throttle_seconds(ws), sleep=sleep)
    started = time.monotonic()
    run_id = ledger.start_run(command, period, [m.message_id for m, _ in todo])
    try:
        _send_all(ws, ledger, settings, throttle, todo, run, run_id)
    finally:
        run.seconds = time.monotonic() - started
        ledger.finish_run(
            run_id,
            {s: run.count(s) for s in ("sent", "failed", "refused")} | {"left": len(run.left)},
            None,
        )
    return run


def rehearse(
    ws: Workspace,
    todo: list[tuple[OutMessage, tuple[str, ...]]],
    run: SendRun,
    env: Mapping[str, str] | None,
) -> None:
    """What a real send would stumble on, found without sending: the settings (sender,
    server, password, pace), every message as composed, and every recipient against the
    registry as it is now (an address corrected since the messages were composed would
    otherwise still get the message)."""
    try:
        sender(ws)
        throttle_seconds(ws)
        run.smtp = smtp_settings(ws, env)
    except SettingsError as e:
        run.problems.append(e.issue)
    units = ws.registry().units
    for m, _ in todo:
        where = Location(unit=m.unit)
        try:
            if m.eml:  # a message composed by this very rehearsal has no file yet
                load(ws, m)
        except UsageError:
            run.problems.append(issue("E_MAIL_OUTBOX_CHANGED", where, file=m.eml))
        unit = units.get(m.unit)
        now = mm.split_addresses(unit.emails)[0] if unit is not None else []
        if {a.lower() for a in now} != {a.lower() for a in m.recipients}:
            run.problems.append(
                issue(
                    "W_MAIL_RECIPIENTS_CHANGED",
                    where,
                    composed=", ".join(m.recipients),
                    registry=", ".join(now) or "—",
                    period=run.period,
                )
            )


def _send_all(
    ws: Workspace,
    ledger: MailLedger,
    settings: SmtpSettings,
    throttle: Throttle,
    todo: list[tuple[OutMessage, tuple[str, ...]]],
    run: SendRun,
    run_id: int,
) -> None:
    with SmtpSession(settings) as smtp:
        _send_each(ws, ledger, smtp, throttle, todo, run, run_id)


def _send_each(
    ws: Workspace,
    ledger: MailLedger,
    smtp: SmtpSession,
    throttle: Throttle,
    todo: list[tuple[OutMessage, tuple[str, ...]]],
    run: SendRun,
    run_id: int,
) -> None:
    for index, (m, to) in enumerate(todo):
        try:
            msg = load(ws, m)
        except UsageError:  # the issue below says why; the record names the file
            ledger.record_send(m, to, "failed", m.eml, run_id)
            run.deliveries.append(Delivery(m, to, "failed", m.eml))
            run.problems.append(issue("E_MAIL_OUTBOX_CHANGED", Location(unit=m.unit), file=m.eml))
            continue
        throttle.wait()
        delivery = _send_one(ledger, smtp, m, msg, to, run_id)
        run.deliveries.append(delivery)
        if delivery.server_down:
            run.stopped = delivery.error
            run.left = [rest for rest, _ in todo[index + 1 :]]
            return


def _send_one(
    ledger: MailLedger,
    smtp: SmtpSession,
    m: OutMessage,
    msg: EmailMessage,
    to: tuple[str, ...],
    run_id: int,
) -> Delivery:
    try:
        smtp.send(mm.for_sending(msg), to)
    except RecipientsRefused as e:
        refused = {a.lower() for a in e.refused}
        got = tuple(a for a in to if a.lower() not in refused)
        lost = tuple(a for a in to if a.lower() in refused)
        if got:
            ledger.record_send(m, got, "sent", "", run_id)
        detail = "; ".join(f"{a}: {r}" for a, r in e.refused.items())
        ledger.record_send(m, lost, "failed", detail, run_id)
        return Delivery(m, to, "refused", detail, dict(e.refused))
    except MailServerError as e:
        ledger.record_send(m, to, "failed", str(e), run_id)
        return Delivery(m, to, "failed", str(e), server_down=not _permanent(e))
    ledger.record_send(m, to, "sent", "", run_id)
    return Delivery(m, to, "sent")


def _permanent(e: MailServerError) -> bool:
    """This one message cannot go (a 5xx refusal, or an address the server cannot take,
    such as Cyrillic letters before the @ without SMTPUTF8): the next may still go."""
    cause = e.__cause__
    if isinstance(cause, smtplib.SMTPNotSupportedError | UnicodeEncodeError):
        return True
    return (
        isinstance(cause, smtplib.SMTPDataError | smtplib.SMTPSenderRefused)
        and 500 <= cause.smtp_code < 600
    )


def load(ws: Workspace, m: OutMessage) -> EmailMessage:
    """The message as composed, checked against the ledger's record of it."""
    path = ws.root / m.eml
    try:
        msg = mm.read_eml(path)
    except OSError as e:
        raise UsageError("mail.send.unreadable", file=m.eml, detail=e.strerror or e) from e
    if normalize_message_id(str(msg["Message-ID"] or "")) != m.message_id:
        raise UsageError("mail.send.changed", file=m.eml)
    if mm.attachment_sha256(msg) != m.attachment_sha256:
        raise UsageError("mail.send.changed", file=m.eml)
    return msg
