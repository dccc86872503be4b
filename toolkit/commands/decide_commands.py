"""``zvit status | history | pin | unpin | exclude``: which return counts, and the
coordinator's decisions about it."""

from __future__ import annotations

import json

import click

from toolkit.commands.common import handle_errors, lang, period_option, workspace
from toolkit.periods import Period

_REASON = click.option(
    "--reason", default="", help="Чому саме так (записується до журналу; обов'язково)."
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Результат у JSON.")


@click.command("status")
@period_option()
@_JSON
@handle_errors
def status_cmd(period: Period, as_json: bool) -> None:
    """Хто звітував за період: прийнято, з помилками, надійшло, але не прийнято, не
    надійшло, із запізненням."""
    from toolkit.ledger.status import period_status
    from toolkit.ledger.status_text import render_status

    report = period_status(workspace(), period)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_status(report, lang()))


@click.command("history")
@click.argument("unit")
@period_option(required=False)
@_JSON
@handle_errors
def history_cmd(unit: str, period: Period | None, as_json: bool) -> None:
    """Усі подання звітної одиниці (id, назва або її початок) з номерами, від
    найновішого, і що з кожним сталося; без --period — за всі періоди."""
    from toolkit.ledger.decide import history
    from toolkit.ledger.status import filed_json
    from toolkit.ledger.status_text import render_history

    ws = workspace()
    found = ws.registry().find_unit(unit)
    standings = history(ws, found.id, period)
    if as_json:
        payload = [
            {"unit": s.unit, "period": s.period, "state": s.state}
            | {"submissions": [filed_json(s, f) for f in s.filed]}
            for s in standings
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(render_history(found.short or found.name, standings, lang()))


@click.command("pin")
@click.argument("submission")
@_REASON
@handle_errors
def pin_cmd(submission: str, reason: str) -> None:
    """Зробити чинним подання з цим номером (навіть із помилками), доки не знято."""
    from toolkit.ledger.decide import pin, submission_number

    _done(pin(workspace(), submission_number(submission), reason, lang()))


@click.command("exclude")
@click.argument("submission")
@_REASON
@handle_errors
def exclude_cmd(submission: str, reason: str) -> None:
    """Ніколи не враховувати подання з цим номером (надіслано помилково)."""
    from toolkit.ledger.decide import exclude, submission_number

    _done(exclude(workspace(), submission_number(submission), reason, lang()))


@click.command("unpin")
@click.argument("unit")
@period_option()
@_REASON
@handle_errors
def unpin_cmd(unit: str, period: Period, reason: str) -> None:
    """Зняти закріплення: чинним знову стає найновіше прийняте подання."""
    from toolkit.issues import issue, render_text
    from toolkit.ledger.decide import unpin

    ws = workspace()
    found = ws.registry().find_unit(unit)
    done = unpin(ws, found.id, period, reason)
    if done is None:
        nothing = issue("I_NOTHING_PINNED", unit=found.id, period=str(period))
        click.echo(render_text([nothing], lang()))
        return
    _done(done)


def _done(done: object) -> None:
    from toolkit.ledger.decide import Decided
    from toolkit.ledger.status_text import decision_text, period_label, state_text
    from toolkit.messages import t

    assert isinstance(done, Decided)
    st = done.standing
    click.echo(decision_text(done.decision, lang()))
    label = period_label(st.period, lang())
    state = state_text(st, lang())
    click.echo(t("counting.decision.done", lang(), unit=st.unit, period=label, state=state))


def register(cli: click.Group) -> None:
    for command in (status_cmd, history_cmd, pin_cmd, unpin_cmd, exclude_cmd):
        cli.add_command(command)
