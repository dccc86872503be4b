"""Mail settings from ``zvit.toml`` (``[mail]`` for SMTP, ``[imap]`` for the inbox) and the
passwords, which never live there: an environment variable, or the OS keyring through the
optional ``keyring`` package. A password is never written to disk or printed.

    [mail]
    from = "Служба у справах дітей ОДА <ssd@example.gov.ua>"
    smtp_host = "mail.example.gov.ua"
    smtp_port = 587                 # default: 465 for ssl, 587 for starttls
    smtp_security = "starttls"      # ssl | starttls | plain
    user = "ssd@example.gov.ua"     # log in as; none: no login
    throttle_seconds = 2            # pause between two messages
    password_env = "ZVIT_SMTP_PASSWORD"
    ca_file = "certs/ca.pem"        # optional: trust only this CA

    [imap]
    host = "mail.example.gov.ua"
    security = "ssl"
    user = "ssd@example.gov.ua"
    folder = "INBOX"
    move_to = "Оброблено"           # optional: move what was taken in
    batch_size = 100                # messages downloaded at a time
    password_env = "ZVIT_IMAP_PASSWORD"

Without a variable, the password is looked up in the OS keyring (service
``zvit-smtp:<host>`` or ``zvit-imap:<host>``, the user as the name); ``zvit mail password``
stores it there.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from email.headerregistry import Address
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import UsageError
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
            raise UsageError(
                "Не вказано адресу відправника: додайте до zvit.toml розділ [mail] з рядком "
                'from = "Служба у справах дітей <адреса@домен>".'
            )
        text = str(Address(coordinator.short or coordinator.name, addr_spec=coordinator.emails[0]))
    try:
        parsed: Any = default_policy.header_factory("from", text)
        if len(parsed.addresses) != 1 or "@" not in parsed.addresses[0].addr_spec:
            raise ValueError(text)
    except (ValueError, IndexError) as e:
        raise UsageError(f"У zvit.toml [mail] from = «{text}»: це не адреса e-mail.") from e
    return text


def own_addresses(ws: Workspace) -> frozenset[str]:
    """The coordinator's own addresses (lower case): ``[mail] from`` (or the coordinator's
    first address from the registry). A file in a message from one of them is zvit's or
    the coordinator's own, never a unit's report. None when no address is set."""
    try:
        text = sender(ws)
    except UsageError:
        return frozenset()
    parsed: Any = default_policy.header_factory("from", text)
    return frozenset(str(a.addr_spec).lower() for a in parsed.addresses)


def smtp_settings(ws: Workspace, env: Mapping[str, str] | None = None) -> SmtpSettings:
    host = _required(ws, "mail", "smtp_host")
    security = _security(ws, "mail", "smtp_security", "starttls")
    user = _optional(ws, "mail", "user")
    _check_login_over_plain(host, security, user, "mail")
    secret = password("smtp", ws, host, user, env) if user else None
    if secret is not None and not (secret + (user or "")).isascii():
        # smtplib encodes AUTH as ASCII and would fail half-way with a traceback
        raise UsageError(
            "Пароль або ім'я SMTP містить нелатинські символи, яких поштова "
            "бібліотека Python не передає. Змініть пароль на латинський."
        )
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
    host = _required(ws, "imap", "host")
    security = _security(ws, "imap", "security", "ssl")
    user = _optional(ws, "imap", "user") or _optional(ws, "mail", "user")
    if not user:
        raise UsageError("У zvit.toml [imap] не вказано user — ім'я для входу до скриньки.")
    _check_login_over_plain(host, security, user, "imap")
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
    value = ws.setting("mail", "throttle_seconds", DEFAULT_THROTTLE)
    try:
        seconds = float(value)
    except (TypeError, ValueError) as e:
        raise UsageError(f"У zvit.toml [mail] throttle_seconds = «{value}»: потрібне число.") from e
    if seconds < 0:
        raise UsageError("У zvit.toml [mail] throttle_seconds не може бути від'ємним.")
    return seconds


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
    keyring, why = _keyring()
    if keyring is not None:
        try:
            found = keyring.get_password(keyring_service(service, host), user)
        except Exception as e:  # a locked or missing OS store
            why = f"сховище паролів ОС недоступне ({type(e).__name__})"
        else:
            if found:
                return str(found)
            why = "у сховищі паролів ОС його немає"
    raise UsageError(
        f"Немає пароля для {user} на {host}: задайте його у змінній середовища {name} або "
        f"збережіть у сховищі паролів ОС командою «zvit mail password {service}» ({why})."
    )


def store_password(service: Service, ws: Workspace, secret: str) -> str:
    """Keep the password in the OS keyring; returns where it went."""
    host = _required(
        ws, "mail" if service == "smtp" else "imap", "smtp_host" if service == "smtp" else "host"
    )
    section = _SECTION[service]
    user = _optional(ws, section, "user") or _optional(ws, "mail", "user")
    if not user:
        raise UsageError(f"У zvit.toml [{section}] не вказано user.")
    keyring, why = _keyring()
    if keyring is None:
        raise UsageError(f"Зберегти пароль у сховищі ОС не вдалося: {why}.")
    keyring.set_password(keyring_service(service, host), user, secret)
    return f"{keyring_service(service, host)} / {user}"


def _keyring() -> tuple[Any, str]:
    try:  # optional: only where the coordinator installed it
        keyring = importlib.import_module("keyring")
    except ImportError:
        return None, (
            "пакет keyring не встановлено; встановіть його "
            "(uv pip install keyring) або скористайтеся змінною середовища"
        )
    return keyring, ""


# --- reading the settings ---------------------------------------------------------------


def _required(ws: Workspace, section: str, key: str) -> str:
    value = _optional(ws, section, key)
    if not value:
        raise UsageError(f"У zvit.toml немає [{section}] {key} — див. «zvit mail --help».")
    return value


def _optional(ws: Workspace, section: str, key: str) -> str | None:
    value = ws.setting(section, key, None)
    return str(value).strip() or None if value is not None else None


def _security(ws: Workspace, section: str, key: str, default: str) -> Security:
    value = str(ws.setting(section, key, default)).strip().lower()
    if value not in _SECURITY:
        raise UsageError(
            f"У zvit.toml [{section}] {key} = «{value}»: можливі значення ssl, starttls, plain."
        )
    return value  # type: ignore[return-value]


def _port(ws: Workspace, section: str, key: str) -> int | None:
    value = ws.setting(section, key, None)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as e:
        raise UsageError(f"У zvit.toml [{section}] {key} = «{value}»: потрібен номер порту.") from e


def _ca_file(ws: Workspace, section: str) -> Path | None:
    value = _optional(ws, section, "ca_file")
    if value is None:
        return None
    path = Path(value) if Path(value).is_absolute() else ws.root / value
    if not path.is_file():
        raise UsageError(f"У zvit.toml [{section}] ca_file: файлу «{path}» немає.")
    return path


def _check_login_over_plain(host: str, security: str, user: str | None, section: str) -> None:
    """A password is never sent unencrypted, except to this computer (a test server)."""
    if security == "plain" and user and host.lower() not in _LOOPBACK:
        raise UsageError(
            f"У zvit.toml [{section}]: вхід без шифрування (plain) передав би пароль відкритим "
            "текстом. Вкажіть ssl або starttls."
        )
