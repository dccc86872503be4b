"""``zvit mail check | compose | send | remind | password``: the forms out by e-mail,
reminders to the late ones. Settings: ``[mail]`` and ``[imap]`` in zvit.toml (each
explained there); the password: ZVIT_SMTP_PASSWORD or the OS keyring."""

from __future__ import annotations

import json

import click

from toolkit.commands.common import JSON, handle_errors, lang, period_option, unit_ids, workspace
from toolkit.commands.parts import argument, group, option
from toolkit.messages import t
from toolkit.periods import Period

_UNIT = option(
    "--unit", "units", multiple=True, metavar="cli.metavar.unit", help="cli.option.units"
)
_DRY = option("--dry-run", is_flag=True, help="cli.option.dry_run")


@group("mail", help="cli.mail")
def mail_group() -> None:
    pass


@mail_group.command("check", help="cli.mail.check")
@handle_errors
def check_cmd() -> None:
    from toolkit.mail.check import check_mail, render_check

    found = check_mail(workspace())
    click.echo(render_check(found, lang()))
    raise SystemExit(0 if found.clean else 1)


@mail_group.command("compose", help="cli.mail.compose")
@period_option()
@_UNIT
@handle_errors
def compose_cmd(period: Period, units: tuple[str, ...]) -> None:
    from toolkit.mail.outbox import compose_forms
    from toolkit.mail.report import render_compose

    ws = workspace()
    result = compose_forms(ws, period, units=unit_ids(ws.registry(), units))
    click.echo(render_compose(result, ws.root, lang()))
    raise SystemExit(1 if any(p.severity != "info" for p in result.problems) else 0)


@mail_group.command("send", help="cli.mail.send")
@period_option()
@_UNIT
@_DRY
@JSON
@handle_errors
def send_cmd(period: Period, units: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    from toolkit.mail.dispatch import send_forms
    from toolkit.mail.report import render_send, send_json

    ws = workspace()
    run = send_forms(ws, period, units=unit_ids(ws.registry(), units), dry_run=dry_run)
    click.echo(
        json.dumps(send_json(run, lang()), ensure_ascii=False, indent=2)
        if as_json
        else render_send(run, lang())
    )
    raise SystemExit(0 if run.clean else 1)


@mail_group.command("remind", help="cli.mail.remind")
@period_option()
@_UNIT
@_DRY
@option("--again", is_flag=True, help="cli.mail.remind.again")
@handle_errors
def remind_cmd(period: Period, units: tuple[str, ...], dry_run: bool, again: bool) -> None:
    from toolkit.mail.remind import remind
    from toolkit.mail.report import render_remind

    ws = workspace()
    chosen = unit_ids(ws.registry(), units)
    run = remind(ws, period, units=chosen, again=again, dry_run=dry_run)
    click.echo(render_remind(run, lang()))
    raise SystemExit(0 if run.clean else 1)


@mail_group.command("password", help="cli.mail.password")
@argument("service", type=click.Choice(["smtp", "imap"]), metavar=None)
@handle_errors
def password_cmd(service: str) -> None:
    from toolkit.mailio.settings import store_password

    secret = click.prompt(t("cli.mail.password.prompt", lang()), hide_input=True)
    where = store_password("smtp" if service == "smtp" else "imap", workspace(), secret)
    click.echo(t("cli.mail.password.stored", lang(), where=where))


def register(cli: click.Group) -> None:
    cli.add_command(mail_group)
