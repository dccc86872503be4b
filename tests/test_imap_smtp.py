"""The mail layer against real servers on 127.0.0.1: aiosmtpd (STARTTLS, implicit TLS,
AUTH) and Dovecot (IMAPS, STARTTLS, plain), including the whole loop out and back."""

from __future__ import annotations

import socket
import time
import tracemalloc
from datetime import date

import pytest

from tests.support.mailfiles import XLSX_TYPE, message, xlsx_bytes
from tests.support.mailservers import Dovecot, MailCerts, SmtpServer
from toolkit.mailio.imap import (
    ImapSettings,
    MailServerError,
    fetch,
    move,
    quote_mailbox,
    uid_set,
)
from toolkit.mailio.parse import attachments_from_message
from toolkit.mailio.smtp import SmtpSession, SmtpSettings, Throttle, send

XLSX = xlsx_bytes("imap-smtp")


def imap_settings(
    dovecot: Dovecot, certs: MailCerts, user: str, password: str, **kw: object
) -> ImapSettings:
    kw.setdefault("security", "ssl")
    port = dovecot.imaps_port if kw["security"] == "ssl" else dovecot.imap_port
    return ImapSettings("127.0.0.1", user, password, port=port, ca_file=certs.ca, timeout=20, **kw)  # type: ignore[arg-type]


def smtp_settings(server: SmtpServer, certs: MailCerts, **kw: object) -> SmtpSettings:
    base: dict[str, object] = {
        "security": "starttls",
        "user": "mailer",
        "password": "s3cret-Pass",
        "ca_file": certs.ca,
        "timeout": 10,
    }
    return SmtpSettings("127.0.0.1", server.port, **(base | kw))  # type: ignore[arg-type]


def raw_mail(i: int, with_form: bool = False, pad: int = 0) -> bytes:
    attachments = [(f"форма-{i}.xlsx", XLSX, XLSX_TYPE)] if with_form else []
    msg = message(
        subject=f"Звіт {i}", attachments=attachments, message_id=f"<m{i}.{pad}@example.gov.ua>"
    )
    if pad:
        msg.add_attachment(
            b"x" * pad, maintype="application", subtype="octet-stream", filename="pad.bin"
        )
    return msg.as_bytes()


def message_files(dovecot: Dovecot, user: str) -> list[str]:
    """The maildir's messages by their unique name (flags, after ':', may change)."""
    box = dovecot.maildir(user)
    return sorted(p.name.split(":")[0] for sub in ("new", "cur") for p in (box / sub).iterdir())


# ---------------------------------------------------------------- SMTP


def test_send_starttls_with_auth(smtp_server: SmtpServer, mail_certs: MailCerts) -> None:
    msg = message(attachments=[("Форма.xlsx", XLSX, XLSX_TYPE)])
    del msg["Message-ID"], msg["Date"]
    mid = send(smtp_settings(smtp_server, mail_certs), msg)
    assert mid.startswith("<") and mid.endswith("@example.gov.ua>")
    assert msg["Message-ID"] == mid and msg["Date"] is not None
    [got] = smtp_server.messages
    assert got.login == "mailer"
    assert got.rcpt_tos == ("coordinator@example.gov.ua",)
    assert smtp_server.parsed()["Message-ID"] == mid
    [att], _ = attachments_from_message(got.data, "smtp")
    assert att.data == XLSX and att.filename == "Форма.xlsx"


def test_send_implicit_tls(mail_certs: MailCerts) -> None:
    with SmtpServer(mail_certs, implicit_tls=True) as server:
        send(smtp_settings(server, mail_certs, security="ssl"), message())
        assert [m.login for m in server.messages] == ["mailer"]


@pytest.mark.parametrize(
    "change",
    [{"password": "wrong"}, {"user": None}, {"ca_file": None}, {"security": "plain"}],
    ids=["wrong-password", "no-login", "untrusted-cert", "no-tls"],
)
def test_send_refused(
    smtp_server: SmtpServer, mail_certs: MailCerts, change: dict[str, object]
) -> None:
    with pytest.raises(MailServerError, match=r"SMTP 127\.0\.0\.1"):
        send(smtp_settings(smtp_server, mail_certs, **change), message())
    assert smtp_server.messages == []


def test_session_keeps_one_connection_and_reopens_a_dropped_one(
    smtp_server: SmtpServer, mail_certs: MailCerts
) -> None:
    with SmtpSession(smtp_settings(smtp_server, mail_certs), per_connection=3) as session:
        for _ in range(4):
            session.send(message())
        assert session._conn is not None
        session._conn.sock.shutdown(socket.SHUT_RDWR)  # the line drops while it waits
        session.send(message())
    peers = [m.peer for m in smtp_server.messages]
    # 3 on the first connection, 1 on the second (the limit), 1 after the drop
    assert len(peers) == 5 and len(set(peers)) == 3 and len(set(peers[:3])) == 1


def test_send_to_a_closed_port(mail_certs: MailCerts) -> None:
    server = SmtpServer(mail_certs)
    with server:
        port = server.port
    settings = SmtpSettings("127.0.0.1", port, security="starttls", timeout=5)
    with pytest.raises(MailServerError):
        send(settings, message())


def test_throttle_keeps_the_interval() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(2.0, clock=lambda: now[0], sleep=sleep)
    assert throttle.wait() == 0.0
    now[0] += 0.5
    assert throttle.wait() == pytest.approx(1.5)
    now[0] += 5
    assert throttle.wait() == 0.0
    assert slept == [pytest.approx(1.5)]


# ---------------------------------------------------------------- IMAP


def test_fetch_300_in_batches_then_nothing_new(dovecot: Dovecot, mail_certs: MailCerts) -> None:
    user, password = dovecot.add_user()
    sent = {}
    for i in range(300):
        raw = raw_mail(i, with_form=i % 50 == 0)
        sent[f"<m{i}.0@example.gov.ua>"] = raw
        dovecot.deliver(raw, user=user, seen=i % 7 == 0)
    flags_before = dovecot.flags(user=user)
    files_before = message_files(dovecot, user)
    settings = imap_settings(dovecot, mail_certs, user, password, batch_size=40)

    started = time.monotonic()
    got = list(fetch(settings, set()))
    first = time.monotonic() - started
    assert len(got) == 300
    assert {m.message_id: m.raw.replace(b"\r\n", b"\n") for m in got} == sent  # IMAP: CRLF
    assert [m.uid for m in got] == sorted(m.uid for m in got)
    assert len({m.uidvalidity for m in got}) == 1
    assert got[0].source == f"imap:INBOX;uidvalidity={got[0].uidvalidity};uid={got[0].uid}"
    forms = [a for m in got for a in attachments_from_message(m.raw, m.source)[0]]
    assert len(forms) == 6 and all(a.data == XLSX for a in forms)

    seen = {(m.uidvalidity, m.uid) for m in got}
    started = time.monotonic()
    assert list(fetch(settings, seen)) == []
    second = time.monotonic() - started

    assert dovecot.flags(user=user) == flags_before  # \Seen untouched (43 were seen)
    assert sum("\\Seen" in f for f in flags_before.values()) == 43
    assert message_files(dovecot, user) == files_before  # nothing deleted or moved
    print(f"IMAPS fetch of 300: {first:.2f} s; second pass: {second:.3f} s")


def test_fetch_memory_stays_bounded(dovecot: Dovecot, mail_certs: MailCerts) -> None:
    user, password = dovecot.add_user()
    for i in range(120):
        dovecot.deliver(raw_mail(i, pad=60_000), user=user)  # ~ 10 MB in all, base64
    settings = imap_settings(dovecot, mail_certs, user, password, batch_bytes=400_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in fetch(settings, set()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 120
    assert peak < 2_500_000, peak  # unbatched: ~8.5 MB


def test_seen_by_message_id_and_by_function(dovecot: Dovecot, mail_certs: MailCerts) -> None:
    user, password = dovecot.add_user()
    for i in range(3):
        dovecot.deliver(raw_mail(i), user=user)
    dovecot.deliver(raw_mail(1), user=user)  # the same message delivered twice
    settings = imap_settings(dovecot, mail_certs, user, password)
    got = list(fetch(settings, {"<m1.0@example.gov.ua>"}))
    assert [m.message_id for m in got] == ["<m0.0@example.gov.ua>", "<m2.0@example.gov.ua>"]

    calls: list[tuple[int, int, str]] = []

    def seen(validity: int, uid: int, message_id: str) -> bool:
        calls.append((validity, uid, message_id))
        return message_id.startswith("<m2")

    got = list(fetch(settings, seen))
    assert sorted(m.message_id or "" for m in got) == [
        "<m0.0@example.gov.ua>",
        "<m1.0@example.gov.ua>",
        "<m1.0@example.gov.ua>",
    ]
    assert len(calls) == 4 and all(c[0] == got[0].uidvalidity for c in calls)


@pytest.mark.parametrize("security", ["starttls", "plain"])
def test_fetch_starttls_and_plain(dovecot: Dovecot, mail_certs: MailCerts, security: str) -> None:
    user, password = dovecot.add_user("Пароль-ЗВІТ-2025")  # UTF-8: SASL PLAIN, not LOGIN
    dovecot.append(raw_mail(1), user=user)
    settings = imap_settings(dovecot, mail_certs, user, password, security=security)
    [m] = fetch(settings, set(), since=date(2000, 1, 1))
    assert m.message_id == "<m1.0@example.gov.ua>"


def test_oversized_message_is_reported_not_downloaded(
    dovecot: Dovecot, mail_certs: MailCerts
) -> None:
    user, password = dovecot.add_user()
    dovecot.deliver(raw_mail(1, pad=50_000), user=user)
    dovecot.deliver(raw_mail(2), user=user)
    settings = imap_settings(dovecot, mail_certs, user, password, max_message_bytes=20_000)
    big, small = fetch(settings, set())
    assert big.raw == b"" and big.size > 50_000
    assert [i.code for i in big.issues] == ["E_MAIL_TOO_LARGE"]
    assert small.raw and small.issues == ()


def test_fetch_never_moves_and_move_only_when_asked(
    dovecot: Dovecot, mail_certs: MailCerts
) -> None:
    user, password = dovecot.add_user()
    for i in range(3):
        dovecot.deliver(raw_mail(i), user=user)
    target = "Оброблені 2025"
    settings = imap_settings(dovecot, mail_certs, user, password, move_to=target)
    fetched = list(fetch(settings, set()))
    assert len(fetched) == 3
    assert len(dovecot.flags(user=user)) == 3  # a move_to setting alone changes nothing
    validity = fetched[0].uidvalidity
    assert move(settings, validity + 1, [fetched[0].uid], target) == 0  # other UIDs now
    assert len(dovecot.flags(user=user)) == 3
    assert move(settings, validity, [m.uid for m in fetched[:2]], target) == 2
    assert len(dovecot.flags(user=user)) == 1
    assert len(dovecot.flags(folder=quote_mailbox(target), user=user)) == 2


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"password": "wrong"}, "AUTHENTICATIONFAILED"),
        ({"ca_file": None}, "CERTIFICATE_VERIFY_FAILED"),
        ({"folder": "Немає такої"}, "папка «Немає такої»"),
    ],
)
def test_fetch_errors(
    dovecot: Dovecot, mail_certs: MailCerts, change: dict[str, object], pattern: str
) -> None:
    user, password = dovecot.add_user()
    settings = imap_settings(dovecot, mail_certs, user, password)
    settings = ImapSettings(**(vars(settings) | change))  # type: ignore[arg-type]
    with pytest.raises(MailServerError, match=pattern):
        list(fetch(settings, set()))


def test_stopping_early_logs_out(dovecot: Dovecot, mail_certs: MailCerts) -> None:
    user, password = dovecot.add_user()
    for i in range(5):
        dovecot.deliver(raw_mail(i), user=user)
    gen = fetch(imap_settings(dovecot, mail_certs, user, password, batch_size=2), set())
    next(gen)
    gen.close()  # no ResourceWarning (warnings are errors here) and no server error


# ---------------------------------------------------------------- the whole loop


def test_form_out_by_smtp_back_by_imap(dovecot: Dovecot, mail_certs: MailCerts) -> None:
    user, password = dovecot.add_user()
    with SmtpServer(mail_certs, deliver_to=dovecot, deliver_user=user) as server:
        reply = message(
            subject="Re: Форма за I квартал",
            sender="Відділ освіти <osvita@example.gov.ua>",
            attachments=[("Форма_I_кв.xlsx", XLSX, XLSX_TYPE)],
        )
        mid = send(smtp_settings(server, mail_certs), reply)
    [fetched] = fetch(imap_settings(dovecot, mail_certs, user, password), set())
    assert fetched.message_id == mid
    [att], issues = attachments_from_message(fetched.raw, fetched.source)
    assert issues == []
    assert (att.filename, att.data, att.sender) == (
        "Форма_I_кв.xlsx",
        XLSX,
        "osvita@example.gov.ua",
    )
    assert att.source.startswith("imap:INBOX;uidvalidity=")


# ---------------------------------------------------------------- protocol helpers


def test_uid_set() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set([5]) == "5"


def test_quote_mailbox() -> None:
    assert quote_mailbox("INBOX") == '"INBOX"'
    assert quote_mailbox("Оброблені") == '"&BB4EMQRABD4EMQQ7BDUEPQRW-"'
    assert quote_mailbox('A&B "x"') == '"A&-B \\"x\\""'
