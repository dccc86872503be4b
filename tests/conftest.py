"""Shared pytest fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.libreoffice import LibreOffice, LibreOfficeNotFound
from tests.support.mailservers import (
    Dovecot,
    MailCerts,
    MailServerUnavailable,
    SmtpServer,
    make_certs,
)


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[LibreOffice]:
    """One headless LibreOffice per xdist worker (own port and profile), shared by its tests.

    Missing LibreOffice fails the test (CI installs it); set ZVIT_NO_LIBREOFFICE=1 to skip.
    """
    if os.environ.get("ZVIT_NO_LIBREOFFICE") == "1":
        pytest.skip("ZVIT_NO_LIBREOFFICE=1: tests that need LibreOffice are skipped")
    try:
        office = LibreOffice()
        office.start()
    except LibreOfficeNotFound as exc:
        pytest.fail(f"{exc}\n(Set ZVIT_NO_LIBREOFFICE=1 to skip these tests.)", pytrace=False)
    with office:
        yield office


@pytest.fixture(scope="session")
def mail_certs(tmp_path_factory: pytest.TempPathFactory) -> MailCerts:
    """A throwaway CA and a certificate for localhost/127.0.0.1, per xdist worker."""
    try:
        return make_certs(Path(tmp_path_factory.mktemp("mailcerts")))
    except MailServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def dovecot(mail_certs: MailCerts) -> Iterator[Dovecot]:
    """A private Dovecot (IMAP, IMAPS, STARTTLS) per xdist worker; tests take their own
    account with ``dovecot.add_user()``. Missing Dovecot fails the test (CI installs
    dovecot-imapd); set ZVIT_NO_DOVECOT=1 to skip."""
    if os.environ.get("ZVIT_NO_DOVECOT") == "1":
        pytest.skip("ZVIT_NO_DOVECOT=1: tests that need an IMAP server are skipped")
    server = Dovecot(mail_certs)
    try:
        server.start()
    except MailServerUnavailable as exc:
        server.cleanup()
        pytest.fail(f"{exc}\n(Set ZVIT_NO_DOVECOT=1 to skip these tests.)", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def smtp_server(mail_certs: MailCerts) -> Iterator[SmtpServer]:
    """An aiosmtpd server requiring STARTTLS and AUTH (user ``mailer``), fresh per test."""
    with SmtpServer(mail_certs) as server:
        yield server
