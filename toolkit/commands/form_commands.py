"""``zvit templates``: the reporting forms of a period."""

from __future__ import annotations

from contextlib import ExitStack, closing
from pathlib import Path

import click

from toolkit.commands.common import (
    handle_errors,
    lang,
    period_option,
    print_issues,
    unit_ids,
    workspace,
)
from toolkit.commands.parts import FILE, INT, command, option, output_option
from toolkit.errors import UsageError
from toolkit.forms.generate import write_forms
from toolkit.forms.make import FormRequest, outside_plan, plan_specs
from toolkit.forms.spec import History
from toolkit.ledger.history import LedgerHistory
from toolkit.ledger.store import record_issued_forms
from toolkit.messages import t
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.validate.context import Context
from toolkit.validate.prefill import history_from_workbook
from toolkit.workspace import Workspace

_FILE = "cli.metavar.file"


@command("templates", help="cli.templates")
@period_option()
@option("--unit", "units", multiple=True, metavar="cli.metavar.unit", help="cli.option.units")
@output_option("cli.templates.output", folder=True)
@option("--plan", type=FILE, metavar=_FILE, help="cli.option.plan")
@option("--units", "units_file", type=FILE, metavar=_FILE, help="cli.option.registry_with_plan")
@option("--prefill-from", type=FILE, metavar=_FILE, help="cli.templates.prefill_from")
@option("--jobs", type=INT, metavar="cli.metavar.count", help="cli.option.jobs")
@handle_errors
def templates_cmd(
    period: Period,
    units: tuple[str, ...],
    output: Path | None,
    plan: Path | None,
    units_file: Path | None,
    prefill_from: Path | None,
    jobs: int | None,
) -> None:
    ws: Workspace | None = None
    if plan is not None:
        if units_file is None:
            raise UsageError("cli.templates.need_units")
        loaded, registry = load_plan(plan), load_registry(units_file)
    else:
        ws = workspace()
        loaded, registry = ws.plan(period), ws.registry()
    if output is None:
        if ws is None:
            raise UsageError("cli.templates.need_output")
        output = ws.folder("forms") / str(period)
    form_file = ws.form_path if ws is not None else None
    chosen = unit_ids(registry, units)
    request = FormRequest(period, output, chosen, lang(), jobs, _reply_to(ws), form_file)
    fallback = ws.executors_due() if ws else None
    with ExitStack() as stack:
        history: History | None = None
        if prefill_from is not None:
            history = history_from_workbook(prefill_from, Context(loaded, registry))
        elif ws is not None:
            history = stack.enter_context(closing(LedgerHistory.open(ws)))
        _, specs = plan_specs(loaded, registry, request, history, fallback)
    label = t("cli.templates.progress", lang())
    with click.progressbar(length=len(specs), label=label, show_pos=True) as bar:
        forms = write_forms(specs, output, lang=request.lang, jobs=jobs, progress=bar.update)
    if ws is not None:
        record_issued_forms(ws, loaded, period, forms)
    rows = sum(f.rows for f in forms)
    if (outside := outside_plan(loaded, period)) is not None:
        print_issues([outside])
    click.echo(t("cli.templates.done", lang(), forms=len(forms), rows=rows, folder=output))


def _reply_to(ws: Workspace | None) -> str:
    """Where the form says to send it back: zvit.toml's [mail] from, else the
    coordinator's own address in the registry."""
    if ws is None:
        return ""
    configured = str(ws.setting("mail", "from", "") or "")
    if configured:
        return configured
    coordinator = ws.registry().units.get(ws.plan().coordinator)
    return coordinator.emails[0] if coordinator and coordinator.emails else ""


def register(cli: click.Group) -> None:
    cli.add_command(templates_cmd)
