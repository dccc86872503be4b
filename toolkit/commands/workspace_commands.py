"""``zvit init`` and ``zvit demo``."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.commands.common import REGISTRY, handle_errors, lang
from toolkit.commands.parts import FILE, argument, command, option, output_option, path
from toolkit.errors import UsageError
from toolkit.messages import t
from toolkit.workspace import CONFIG, init_from_example, init_workspace, render_examples

_FOLDER = "cli.metavar.folder"


@command("init", help="cli.init")
@argument("folder", required=False, type=path(file_okay=False, path_type=Path), metavar=_FOLDER)
@option("--from", "example", metavar="cli.metavar.example", help="cli.init.from")
@option("--plan", type=FILE, metavar="cli.metavar.file", help="cli.init.plan")
@REGISTRY
@option("--force", is_flag=True, help="cli.init.force")
@option("--list", "listing", is_flag=True, help="cli.init.list")
@handle_errors
def init_cmd(
    folder: Path | None,
    example: str | None,
    plan: Path | None,
    units: Path | None,
    force: bool,
    listing: bool,
) -> None:
    if listing:
        click.echo(render_examples(lang()))
        return
    if folder is None:
        raise UsageError("init.need_folder")
    if example is not None:
        ws = init_from_example(folder, example, force=force, lang=lang())
    elif plan is not None and units is not None:
        ws = init_workspace(folder, plan, units, force=force, lang=lang())
    else:
        raise UsageError("init.need_source")
    click.echo(t("init.done", lang(), folder=ws.root, config=ws.root / CONFIG))


@command("demo", help="cli.demo")
@argument("folder", required=False, type=path(file_okay=False, path_type=Path), metavar=_FOLDER)
@output_option("cli.demo.output", folder=True)
@handle_errors
def demo_cmd(folder: Path | None, output: Path | None) -> None:
    from toolkit.demo import run_demo

    if folder is not None and output is not None and folder != output:
        raise UsageError("cli.demo.twice")
    for line in run_demo(folder or output or Path("zvit-demo"), lang()):
        click.echo(line)


def register(cli: click.Group) -> None:
    cli.add_command(init_cmd)
    cli.add_command(demo_cmd)
