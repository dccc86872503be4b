"""Shared pytest fixtures, the ``slow`` marker, and what to do when a real client is missing.

LibreOffice, Dovecot and Chromium are real parts the tests drive. On a developer's machine without
them those tests are skipped, with the packages to install named; under ``CI=true``
(``.ci/run``) they are required and fail when missing, so CI never passes by skipping."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from tests.support.browser import CHROMIUM_ARGS, CHROMIUM_PACKAGES, chromium_path
from tests.support.libreoffice import LibreOffice, LibreOfficeNotFound
from tests.support.mailservers import (
    Dovecot,
    MailCerts,
    MailServerUnavailable,
    SmtpServer,
    dovecot_installed,
    make_certs,
)

# Tests that start a real client or server (LibreOffice, Dovecot, an SMTP server, openssl)
# are slow by what they use: `pytest -m "not slow"` is the quick loop.
SLOW_FIXTURES = frozenset({"libreoffice", "dovecot", "smtp_server", "mail_certs", "chromium"})
LIBREOFFICE_PACKAGES = "libreoffice-calc-nogui libreoffice-writer-nogui python3-uno"
DOVECOT_PACKAGES = "dovecot-imapd openssl"

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def required() -> bool:
    """Are the real clients required here (CI), or may their tests be skipped?"""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str, packages: str, detail: str = "") -> NoReturn:
    """Skip the test, naming what to install; under CI=true, fail it instead."""
    reason = f"{what} is not installed (Debian: apt-get install {packages})"
    if detail:
        reason += f": {detail}"
    if required():
        pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[LibreOffice]:
    """One headless LibreOffice per xdist worker (own port and profile), shared by its tests.
    Skipped where LibreOffice is missing (failed under CI=true) or ZVIT_NO_LIBREOFFICE=1."""
    if os.environ.get("ZVIT_NO_LIBREOFFICE") == "1" and not required():
        pytest.skip("ZVIT_NO_LIBREOFFICE=1: tests that need LibreOffice are skipped")
    try:
        office = LibreOffice()
        office.start()
    except LibreOfficeNotFound as exc:
        missing("LibreOffice", LIBREOFFICE_PACKAGES, str(exc))
    with office:
        yield office


@pytest.fixture(scope="session")
def mail_certs(tmp_path_factory: pytest.TempPathFactory) -> MailCerts:
    """A throwaway CA and a certificate for localhost/127.0.0.1, per xdist worker."""
    try:
        return make_certs(Path(tmp_path_factory.mktemp("mailcerts")))
    except MailServerUnavailable as exc:
        missing("openssl", "openssl", str(exc))


@pytest.fixture(scope="session")
def dovecot(mail_certs: MailCerts) -> Iterator[Dovecot]:
    """A private Dovecot (IMAP, IMAPS, STARTTLS) per xdist worker; tests take their own
    account with ``dovecot.add_user()``. Skipped where Dovecot is missing (failed under
    CI=true) or ZVIT_NO_DOVECOT=1."""
    if os.environ.get("ZVIT_NO_DOVECOT") == "1" and not required():
        pytest.skip("ZVIT_NO_DOVECOT=1: tests that need an IMAP server are skipped")
    if not dovecot_installed():
        missing("Dovecot", DOVECOT_PACKAGES)
    server = Dovecot(mail_certs)
    try:
        server.start()
    except MailServerUnavailable as exc:
        server.cleanup()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def smtp_server(mail_certs: MailCerts) -> Iterator[SmtpServer]:
    """An aiosmtpd server requiring STARTTLS and AUTH (user ``mailer``), fresh per test."""
    with SmtpServer(mail_certs) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium (the system's, through Playwright) per xdist worker, with a
    fresh profile. Skipped where it is missing (failed under CI=true) or ZVIT_NO_CHROMIUM=1."""
    if os.environ.get("ZVIT_NO_CHROMIUM") == "1" and not required():
        pytest.skip("ZVIT_NO_CHROMIUM=1: tests that need a browser are skipped")
    binary = chromium_path()
    if binary is None:
        missing("Chromium", CHROMIUM_PACKAGES)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
