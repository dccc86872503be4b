"""Mail settings from ``zvit.toml`` (``[mail]`` for SMTP, ``[imap]`` for the inbox) and the
passwords, which never live there: an environment variable, or the OS keyring through the
optional ``keyring`` package. A password is never written to disk or printed.

Every key read here is explained, with an example, in the zvit.toml that ``zvit init``
writes (the ``workspace.config`` message; a test holds the two together). Without a
variable, the password is looked up in the OS keyring (service ``zvit-smtp:<host>`` or
``zvit-imap:<host>``, the user as the name); ``zvit mail password`` stores it there.
A setting that is missing or wrong is a coded ``SettingsError``."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Mapping
from email.headerregistry import Address
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import SettingsError, UsageError
from toolkit.issues import issue
from toolkit.mailio.imap import ImapSettings, Security
from toolkit.mailio.smtp import SmtpSettings
from toolkit.workspace import Workspace

Service = Literal["smtp", "imap"]
ENV = {"smtp": "ZVIT_SMTP_PASSWORD", "imap": "ZVIT_IMAP_PASSWORD"}
_SECTION = {"smtp": "mail", "imap": "imap"}
_SECURITY = ("ssl", "starttls", "plain")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")
DEFAULT_THROTTLE = 2.0


def sender(ws: Workspace) -> str:
    """``[mail] from``, or the coordinator's first address from the registry."""
    text = str(ws.setting("mail", "from", "") or "").strip()
    if not text:
        coordinator = ws.registry().units.get(ws.plan().coordinator)
        if coordinator is None or not coordinator.emails:
            raise SettingsError(
                issue("E_SETTING_MISSING", section="mail", key="from", command="zvit mail")
            )
        text = str(Address(coordinator.short or coordinator.name, addr_spec=coordinator.emails[0]))
    try:
        parsed: Any = default_policy.header_factory("from", text)
        if len(parsed.addresses) != 1 or "@" not in parsed.addresses[0].addr_spec:
            raise ValueError(text)
    except (ValueError, IndexError) as e:
        raise SettingsError(
            issue("E_SETTING_ADDRESS", section="mail", key="from", value=text)
        ) from e
    return text


def own_addresses(ws: Workspace) -> frozenset[str]:
    """The coordinator's own addresses (lower case): ``[mail] from`` (or the coordinator's
    first address from the registry). A file in a message from one of them is zvit's or
    the coordinator's own, not a unit's report — unless it is the report of the unit that
    address is registered to (see ledger.counting). None when no address is set."""
    try:
        text = sender(ws)
    except UsageError:
        return frozenset()
    parsed: Any = default_policy.header_factory("from", text)
    return frozenset(str(a.addr_spec).lower() for a in parsed.addresses)


def smtp_settings(ws: Workspace, env: Mapping[str, str] | None = None) -> SmtpSettings:
    host = _required(ws, "mail", "smtp_host", "zvit mail send")
    security = _security(ws, "mail", "smtp_security", "starttls")
    user = _optional(ws, "mail", "user")
    _check_login_over_plain(host, security, user, "mail", "smtp_security")
    secret = password("smtp", ws, host, user, env) if user else None
    if secret is not None and not (secret + (user or "")).isascii():
        # smtplib encodes AUTH as ASCII and would fail half-way with a traceback
        raise SettingsError(issue("E_MAIL_PASSWORD_ASCII", section="mail"))
    return SmtpSettings(
        host,
        _port(ws, "mail", "smtp_port"),
        security,
        user,
        secret,
        _ca_file(ws, "mail"),
        ws.number("mail", "timeout", 60.0, minimum=1),
    )


def imap_settings(ws: Workspace, env: Mapping[str, str] | None = None) -> ImapSettings:
    host = _required(ws, "imap", "host", "zvit collect --imap")
    security = _security(ws, "imap", "security", "ssl")
    user = _optional(ws, "imap", "user") or _optional(ws, "mail", "user")
    if not user:
        raise SettingsError(
            issue("E_SETTING_MISSING", section="imap", key="user", command="zvit collect --imap")
        )
    _check_login_over_plain(host, security, user, "imap", "security")
    return ImapSettings(
        host,
        user,
        password("imap", ws, host, user, env),
        _port(ws, "imap", "port"),
        security,
        str(ws.setting("imap", "folder", "INBOX")),
        _ca_file(ws, "imap"),
        ws.number("imap", "timeout", 60.0, minimum=1),
        int(ws.number("imap", "batch_size", 100, minimum=1)),
        move_to=_optional(ws, "imap", "move_to"),
    )


def throttle_seconds(ws: Workspace) -> float:
    return ws.number("mail", "throttle_seconds", DEFAULT_THROTTLE)


def mailbox_key(settings: ImapSettings) -> str:
    """How the ledger names a mailbox: an account on a server and a folder."""
    return f"{settings.user}@{settings.host}/{settings.folder}"


# --- passwords --------------------------------------------------------------------------


def keyring_service(service: Service, host: str) -> str:
    return f"zvit-{service}:{host}"


def password(
    service: Service, ws: Workspace, host: str, user: str, env: Mapping[str, str] | None = None
) -> str:
    """The password from the environment variable, else from the OS keyring."""
    variables = os.environ if env is None else env
    name = str(ws.setting(_SECTION[service], "password_env", "") or ENV[service])
    if variables.get(name):
        return variables[name]
    keyring = _keyring()
    found = None
    if keyring is not None:
        # a locked or missing OS store is as good as an empty one: the message says both
        with contextlib.suppress(Exception):
            found = keyring.get_password(keyring_service(service, host), user)
        if found:
            return str(found)
    code = "E_MAIL_NO_PASSWORD" if keyring is not None else "E_MAIL_NO_KEYRING"
    raise SettingsError(issue(code, user=user, host=host, variable=name, service=service))


def store_password(service: Service, ws: Workspace, secret: str) -> str:
    """Keep the password in the OS keyring; returns where it went."""
    section = _SECTION[service]
    command = f"zvit mail password {service}"
    host = _required(ws, section, "smtp_host" if service == "smtp" else "host", command)
    user = _optional(ws, section, "user") or _optional(ws, "mail", "user")
    if not user:
        raise SettingsError(
            issue("E_SETTING_MISSING", section=section, key="user", command=command)
        )
    keyring = _keyring()
    if keyring is None:
        variable = str(ws.setting(section, "password_env", "") or ENV[service])
        raise SettingsError(
            issue("E_MAIL_NO_KEYRING", user=user, host=host, variable=variable, service=service)
        )
    keyring.set_password(keyring_service(service, host), user, secret)
    return f"{keyring_service(service, host)} / {user}"


def _keyring() -> Any:
    try:  # optional: only where the coordinator installed it
        return importlib.import_module("keyring")
    except ImportError:
        return None


# --- reading the settings ---------------------------------------------------------------


def _required(ws: Workspace, section: str, key: str, command: str) -> str:
    value = _optional(ws, section, key)
    if not value:
        raise SettingsError(issue("E_SETTING_MISSING", section=section, key=key, command=command))
    return value


def _optional(ws: Workspace, section: str, key: str) -> str | None:
    value = ws.setting(section, key, None)
    return str(value).strip() or None if value is not None else None


def _security(ws: Workspace, section: str, key: str, default: str) -> Security:
    value = str(ws.setting(section, key, default)).strip().lower()
    if value not in _SECURITY:
        choices = ", ".join(_SECURITY)
        raise SettingsError(
            issue("E_SETTING_CHOICE", section=section, key=key, value=value, choices=choices)
        )
    return value  # type: ignore[return-value]


def _port(ws: Workspace, section: str, key: str) -> int | None:
    if ws.setting(section, key, None) is None:
        return None
    return int(ws.number(section, key, 0, minimum=1))


def _ca_file(ws: Workspace, section: str) -> Path | None:
    value = _optional(ws, section, "ca_file")
    if value is None:
        return None
    path = Path(value) if Path(value).is_absolute() else ws.root / value
    if not path.is_file():
        raise SettingsError(issue("E_SETTING_FILE", section=section, key="ca_file", path=str(path)))
    return path


def _check_login_over_plain(
    host: str, security: str, user: str | None, section: str, key: str
) -> None:
    """A password is never sent unencrypted, except to this computer (a test server)."""
    if security == "plain" and user and host.lower() not in _LOOPBACK:
        raise SettingsError(issue("E_MAIL_PLAIN_LOGIN", section=section, key=key))
