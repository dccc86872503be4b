"""``zvit report``: the consolidated report of a period."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.commands.common import handle_errors, lang, period_option, print_issues, workspace
from toolkit.commands.parts import command, option, output_option
from toolkit.errors import UsageError
from toolkit.messages import t
from toolkit.periods import Period
from toolkit.report.build import FORMATS, Format, build_report


@command("report", help="cli.report")
@period_option()
@output_option("cli.report.output")
@option("--format", "fmt", type=click.Choice(FORMATS), help="cli.report.format")
@option("--force", is_flag=True, help="cli.report.force")
@option("--empty", is_flag=True, help="cli.report.empty")
@handle_errors
def report_cmd(
    period: Period, output: Path | None, fmt: Format | None, force: bool, empty: bool
) -> None:
    fmt = _format(fmt, output)
    ws = workspace()
    built = build_report(ws, period, fmt=fmt, output=output, lang=lang(), force=force, empty=empty)
    c = built.consolidated
    print_issues([*c.issues, *built.notes])
    reported = len(c.expected) - len(c.missing)
    done = {"measures": len(c.rows), "expected": len(c.expected), "late": len(c.late)}
    click.echo(t("cli.report.done", lang(), path=built.path, reported=reported, **done))


def _format(fmt: Format | None, output: Path | None) -> Format:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    implied = next((f for f in FORMATS if f == suffix), None)
    if fmt and implied and fmt != implied:
        raise UsageError("cli.report.format_mismatch", format=fmt, path=output)
    return fmt or implied or "xlsx"


def register(cli: click.Group) -> None:
    cli.add_command(report_cmd)
