"""``zvit mail check``: are the mail settings of zvit.toml usable? The sender's address,
then SMTP and IMAP tried on the servers themselves (``toolkit.mailio.probe``), each
found to work or not, with a coded issue saying why and what to change. The password
is looked up as a send would, and never shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from toolkit.errors import SettingsError
from toolkit.issues import Issue, issue, render_text
from toolkit.mailio.imap import ImapSettings
from toolkit.mailio.probe import Probe, probe_imap, probe_smtp
from toolkit.mailio.settings import imap_settings, sender, smtp_settings
from toolkit.mailio.smtp import SmtpSettings
from toolkit.messages import Lang, t
from toolkit.workspace import CONFIG, Workspace

Service = Literal["smtp", "imap"]
_SECTION: dict[Service, str] = {"smtp": "mail", "imap": "imap"}


@dataclass(frozen=True)
class ServiceCheck:
    """One server: where it is and as whom (empty when the settings are unusable), how
    far the try got (None: not tried), and what is wrong."""

    service: Service
    server: str = ""
    user: str = ""
    folder: str = ""  # IMAP: the folder replies are taken from
    probe: Probe | None = None
    problems: tuple[Issue, ...] = ()

    @property
    def works(self) -> bool:
        return self.probe is not None and self.probe.ok


@dataclass(frozen=True)
class MailCheck:
    config: str
    sender: str  # "" when it is not usable
    smtp: ServiceCheck
    imap: ServiceCheck | None  # None: [imap] is not set up
    problems: tuple[Issue, ...]

    @property
    def clean(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def check_mail(ws: Workspace, env: Mapping[str, str] | None = None) -> MailCheck:
    found: list[Issue] = []
    try:
        address = sender(ws)
    except SettingsError as e:
        address = ""
        found.append(e.issue)
    smtp = _smtp(ws, env)
    imap = _imap(ws, env) if ws.setting("imap", "host", None) else None
    found += smtp.problems + (imap.problems if imap else (issue("W_IMAP_NOT_SET"),))
    return MailCheck(str(ws.root / CONFIG), address, smtp, imap, tuple(found))


def _smtp(ws: Workspace, env: Mapping[str, str] | None) -> ServiceCheck:
    try:
        settings = smtp_settings(ws, env)
    except SettingsError as e:
        return ServiceCheck("smtp", problems=(e.issue,))
    return _tried("smtp", settings, probe_smtp(settings), settings.user or "")


def _imap(ws: Workspace, env: Mapping[str, str] | None) -> ServiceCheck:
    try:
        settings = imap_settings(ws, env)
    except SettingsError as e:
        return ServiceCheck("imap", problems=(e.issue,))
    return _tried("imap", settings, probe_imap(settings), settings.user)


def _tried(
    service: Service, settings: SmtpSettings | ImapSettings, probe: Probe, user: str
) -> ServiceCheck:
    server = f"{settings.host}:{settings.effective_port} ({settings.security})"
    problems = () if probe.ok else (_problem(service, settings, probe, server, user),)
    folder = settings.folder if isinstance(settings, ImapSettings) else ""
    return ServiceCheck(service, server, user, folder, probe, problems)


def _problem(
    service: Service, settings: SmtpSettings | ImapSettings, probe: Probe, server: str, user: str
) -> Issue:
    detail, section = probe.error, _SECTION[service]
    if probe.stage == "login":
        return issue("E_MAIL_LOGIN", server=server, user=user, service=service, detail=detail)
    if probe.stage == "folder" and isinstance(settings, ImapSettings):
        return issue("E_IMAP_FOLDER", server=server, folder=settings.folder, detail=detail)
    code = "E_MAIL_TLS" if probe.stage == "tls" else "E_MAIL_CONNECT"
    return issue(code, server=server, section=section, detail=detail)


def render_check(check: MailCheck, lang: Lang = "uk") -> str:
    lines = [t("mail.check.title", lang, config=check.config)]
    if check.sender:
        lines.append(t("mail.check.sender", lang, sender=check.sender))
    lines.append(_line(check.smtp, lang))
    lines.append(_line(check.imap, lang) if check.imap else t("mail.check.imap_not_set", lang))
    lines.append(t("mail.check.works" if check.clean else "mail.check.broken", lang))
    if check.problems:
        lines += ["", render_text(check.problems, lang)]
    return "\n".join(lines)


def _line(c: ServiceCheck, lang: Lang) -> str:
    name = c.service.upper()
    if c.probe is None:
        return t("mail.check.not_tried", lang, service=name)
    who = t("mail.check.as", lang, user=c.user) if c.user else t("mail.check.no_login", lang)
    if not c.probe.ok:
        stage = t(f"mail.check.stage.{c.probe.stage}", lang)
        return t("mail.check.failed", lang, service=name, server=c.server, who=who, stage=stage)
    if c.probe.messages is not None:
        found = {"folder": c.folder, "messages": c.probe.messages}
        return t("mail.check.imap_ok", lang, server=c.server, who=who, **found)
    return t("mail.check.smtp_ok", lang, server=c.server, who=who)
