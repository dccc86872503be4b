"""The ``zvit`` command: a thin click layer. Each command parses its options, calls one
library function, prints the result and sets the exit code (0 fine, 1 problems found,
2 usage; 130 interrupted, set by ``toolkit.entry``, the program's entry point). The
commands live in ``toolkit/commands/``, one module per group, built of the parts in
``toolkit/commands/parts.py``: everything they say comes from the message catalog, in the
language the run speaks (``toolkit/commands/language.py``)."""

from __future__ import annotations

import os
from importlib import metadata
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
from toolkit.commands.language import speaks
from toolkit.commands.parts import Option, group, option, path
from toolkit.messages import LANGS, t


def _version(_ctx: click.Context) -> str:
    return t("cli.version", speaks(), version=metadata.version("zvit"))


@group("zvit", help="cli.zvit", context_settings={"help_option_names": ["-h", "--help"]})
@option(
    "--lang",
    type=click.Choice(LANGS),
    default=lambda: os.environ.get("ZVIT_LANG") or None,
    is_eager=True,  # before --help: zvit --lang en --help
    help="cli.option.lang",
)
@option(
    "-w",
    "--workspace",
    type=path(file_okay=False, path_type=Path),
    metavar="cli.metavar.folder",
    help="cli.option.workspace",
)
@click.custom_version_option(_version, help="cli.option.version", cls=Option)
@click.pass_context
def cli(ctx: click.Context, lang: str | None, workspace: Path | None) -> None:
    ctx.obj = Ctx(workspace)


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
