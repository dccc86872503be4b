"""``zvit publish``: the public web page of the plan's progress, with its open data."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.commands.common import handle_errors, lang, print_issues, workspace
from toolkit.commands.parts import command, option, output_option
from toolkit.errors import ZvitError
from toolkit.messages import t
from toolkit.periods import Period, parse_periods
from toolkit.publish import publish


def _periods(_c: click.Context, _p: click.Parameter, value: str) -> tuple[Period, ...]:
    try:
        return parse_periods(value)
    except ZvitError as e:
        raise click.BadParameter(e.text(lang())) from e


@command("publish", help="cli.publish")
@option(
    "--period",
    "-p",
    "periods",
    required=True,
    callback=_periods,
    metavar="cli.metavar.period",
    help="cli.publish.period",
)
@output_option("cli.publish.output", folder=True)
@option("--contacts", is_flag=True, help="cli.publish.contacts")
@handle_errors
def publish_cmd(periods: tuple[Period, ...], output: Path | None, contacts: bool) -> None:
    language = lang()
    done = publish(workspace(), periods, output, lang=language, contacts=contacts)
    print_issues(list(done.issues))
    for v in done.views:
        s = v.summary
        line = t(
            "publish.done.period",
            language,
            period=v.period.label(language),
            measures=s.counts.measures,
            done=s.counts.done,
            reported=s.units_reported,
            expected=s.units_expected,
            on_time=s.units_on_time,
        )
        click.echo(line)
    index = done.folder / "index.html"
    click.echo(
        t(
            "publish.done",
            language,
            folder=done.folder,
            pages=len(done.pages),
            data=len(done.data),
            index=index,
        )
    )


def register(cli: click.Group) -> None:
    cli.add_command(publish_cmd)
