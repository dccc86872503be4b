"""``zvit status | history | pin | unpin | exclude``: which return counts, and the
coordinator's decisions about it."""

from __future__ import annotations

import json

import click

from toolkit.commands.common import JSON, handle_errors, lang, period_option, workspace
from toolkit.commands.parts import argument, command, option
from toolkit.periods import Period

_REASON = option("--reason", default="", metavar="cli.metavar.text", help="cli.option.reason")
_UNIT = argument("unit", metavar="cli.metavar.unit")
_SUBMISSION = argument("submission", metavar="cli.metavar.submission")


@command("status", help="cli.status")
@period_option()
@JSON
@handle_errors
def status_cmd(period: Period, as_json: bool) -> None:
    from toolkit.ledger.status import period_status
    from toolkit.ledger.status_text import render_status

    report = period_status(workspace(), period)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_status(report, lang()))


@command("history", help="cli.history")
@_UNIT
@period_option(required=False)
@JSON
@handle_errors
def history_cmd(unit: str, period: Period | None, as_json: bool) -> None:
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


@command("pin", help="cli.pin")
@_SUBMISSION
@_REASON
@handle_errors
def pin_cmd(submission: str, reason: str) -> None:
    from toolkit.ledger.decide import pin, submission_number

    _done(pin(workspace(), submission_number(submission), reason, lang()))


@command("exclude", help="cli.exclude")
@_SUBMISSION
@_REASON
@handle_errors
def exclude_cmd(submission: str, reason: str) -> None:
    from toolkit.ledger.decide import exclude, submission_number

    _done(exclude(workspace(), submission_number(submission), reason, lang()))


@command("unpin", help="cli.unpin")
@_UNIT
@period_option()
@_REASON
@handle_errors
def unpin_cmd(unit: str, period: Period, reason: str) -> None:
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
    for each in (status_cmd, history_cmd, pin_cmd, unpin_cmd, exclude_cmd):
        cli.add_command(each)
