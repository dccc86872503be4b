"""The ``zvit`` command: a thin click layer. Each command parses its options, calls one
library function, prints the result and sets the exit code (0 fine, 1 problems found,
2 usage; 130 interrupted, set by ``toolkit.entry``, the program's entry point). The
commands live in ``toolkit/commands/``, one module per group."""

from __future__ import annotations

import os
from pathlib import Path

import click

from toolkit.commands import (
    collect_commands,
    decide_commands,
    form_commands,
    mail_commands,
    plan_commands,
    publish_commands,
    report_commands,
    workspace_commands,
)
from toolkit.commands.common import Ctx
from toolkit.messages import LANGS, Lang, t


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=t("cli.help"))
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=lambda: os.environ.get("ZVIT_LANG") or None,
    help="Мова повідомлень / language of messages (інакше — [output] lang у zvit.toml).",
)
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    help="Робоча папка (інакше — поточна або вище).",
)
@click.version_option(package_name="zvit")
@click.pass_context
def cli(ctx: click.Context, lang: Lang | None, workspace: Path | None) -> None:
    ctx.obj = Ctx(lang, workspace)


for _module in (
    plan_commands,
    workspace_commands,
    form_commands,
    report_commands,
    publish_commands,
    collect_commands,
    decide_commands,
    mail_commands,
):
    _module.register(cli)
