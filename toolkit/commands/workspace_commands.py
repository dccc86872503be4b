"""``zvit init`` and ``zvit demo``."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.commands.common import FILE, handle_errors, lang
from toolkit.errors import UsageError
from toolkit.messages import t
from toolkit.workspace import CONFIG, init_from_example, init_workspace, render_examples


@click.command("init", help=t("init.help"))
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "example", metavar="НАЗВА|ПАПКА", help=t("init.help.from"))
@click.option("--plan", type=FILE, help="Файл плану (plan.yaml).")
@click.option("--units", type=FILE, help="Реєстр звітних одиниць (units.yaml).")
@click.option("--force", is_flag=True, help="Замінити наявну робочу папку.")
@click.option("--list", "listing", is_flag=True, help=t("init.help.list"))
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
        raise UsageError(t("init.need_folder", lang()))
    if example is not None:
        ws = init_from_example(folder, example, force=force, lang=lang())
    elif plan is not None and units is not None:
        ws = init_workspace(folder, plan, units, force=force, lang=lang())
    else:
        raise UsageError(t("init.need_source", lang()))
    click.echo(t("init.done", lang(), folder=ws.root, config=ws.root / CONFIG))


@click.command("demo")
@click.argument(
    "folder", required=False, metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Те саме, що DIR: куди покласти результати (типово zvit-demo).",
)
@handle_errors
def demo_cmd(folder: Path | None, output: Path | None) -> None:
    """Показати весь цикл на вбудованих прикладах.

    Для кожного прикладу: робоча папка, форми, відповіді виконавців поштою (з типовими
    помилками), збирання й перевірка, копії з позначеними помилками, зведений звіт. Усе в
    папці DIR (типово zvit-demo), яку створено заново."""
    from toolkit.demo import run_demo

    if folder is not None and output is not None and folder != output:
        raise UsageError("Вкажіть папку один раз: або DIR, або -o.")
    for line in run_demo(folder or output or Path("zvit-demo")):
        click.echo(line)


def register(cli: click.Group) -> None:
    cli.add_command(init_cmd)
    cli.add_command(demo_cmd)
