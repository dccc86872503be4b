"""``zvit mail check | compose | send | remind | password``: the forms out by e-mail,
reminders to the late ones. Settings: ``[mail]`` and ``[imap]`` in zvit.toml (each
explained there); the password: ZVIT_SMTP_PASSWORD or the OS keyring."""

from __future__ import annotations

import json

import click

from toolkit.commands.common import handle_errors, lang, period_option, unit_ids, workspace
from toolkit.messages import t
from toolkit.periods import Period

_UNIT = click.option(
    "--unit",
    "units",
    multiple=True,
    help="Лише для цієї одиниці: id, назва або її початок (можна кілька).",
)
_DRY = click.option(
    "--dry-run",
    is_flag=True,
    help="Лише показати, що буде надіслано; нічого не надсилати й не записувати.",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Результат у JSON.")


@click.group("mail", help=t("mail.help"))
def mail_group() -> None:
    pass


@mail_group.command("check", help=t("mail.check.help"))
@handle_errors
def check_cmd() -> None:
    from toolkit.mail.check import check_mail, render_check

    found = check_mail(workspace())
    click.echo(render_check(found, lang()))
    raise SystemExit(0 if found.clean else 1)


@mail_group.command("compose")
@period_option()
@_UNIT
@handle_errors
def compose_cmd(period: Period, units: tuple[str, ...]) -> None:
    """Скласти листи з формами (outbox/ПЕРІОД/*.eml), по одному на одиницю.

    Кожен .eml можна відкрити в Outlook чи Thunderbird і надіслати вручну або надіслати
    всі командою «zvit mail send»."""
    from toolkit.mail.outbox import compose_forms
    from toolkit.mail.report import render_compose

    ws = workspace()
    result = compose_forms(ws, period, units=unit_ids(ws.registry(), units))
    click.echo(render_compose(result, ws.root, lang()))
    raise SystemExit(1 if any(p.severity != "info" for p in result.problems) else 0)


@mail_group.command("send")
@period_option()
@_UNIT
@_DRY
@_JSON
@handle_errors
def send_cmd(period: Period, units: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Надіслати складені листи з формами через SMTP.

    Повторний запуск надсилає лише те, що ще не пішло (кожне надсилання записано в
    журналі)."""
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


@mail_group.command("remind")
@period_option()
@_UNIT
@_DRY
@click.option("--again", is_flag=True, help="Надіслати, навіть якщо сьогодні вже нагадували.")
@handle_errors
def remind_cmd(period: Period, units: tuple[str, ...], dry_run: bool, again: bool) -> None:
    """Нагадати одиницям, чий звіт не надійшов або має помилки.

    Одиниці зі звітом із помилками отримують копію свого файлу з позначеними помилками
    (її створює «zvit collect»), решта — форму ще раз."""
    from toolkit.mail.remind import remind
    from toolkit.mail.report import render_remind

    ws = workspace()
    chosen = unit_ids(ws.registry(), units)
    run = remind(ws, period, units=chosen, again=again, dry_run=dry_run)
    click.echo(render_remind(run, lang()))
    raise SystemExit(0 if run.clean else 1)


@mail_group.command("password")
@click.argument("service", type=click.Choice(["smtp", "imap"]))
@handle_errors
def password_cmd(service: str) -> None:
    """Зберегти пароль пошти у сховищі паролів ОС (потрібен пакет keyring)."""
    from toolkit.mailio.settings import store_password

    secret = click.prompt("Пароль" if lang() == "uk" else "Password", hide_input=True)
    where = store_password("smtp" if service == "smtp" else "imap", workspace(), secret)
    click.echo(f"Пароль збережено: {where}" if lang() == "uk" else f"Password stored: {where}")


def register(cli: click.Group) -> None:
    cli.add_command(mail_group)
