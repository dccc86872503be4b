"""``zvit report``: the consolidated report of a period."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.commands.common import handle_errors, lang, period_option, print_issues, workspace
from toolkit.errors import UsageError
from toolkit.messages import t
from toolkit.periods import Period
from toolkit.report.build import FORMATS, Format, build_report


@click.command("report")
@period_option()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Файл звіту (типово — reports/Зведений звіт ПЕРІОД.xlsx у робочій папці).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="xlsx — зведений звіт-книга (типово); docx — звіт-документ для підпису за шаблоном "
    "templates/docx/report.docx робочої папки; pdf — той самий документ у PDF (потрібен "
    "LibreOffice); csv, json — зведена таблиця для аналізу. Без цього параметра формат "
    "визначає розширення файлу -o.",
)
@click.option("--force", is_flag=True, help="Замінити наявний файл (інакше — нова версія).")
@click.option("--empty", is_flag=True, help=t("report.cli.empty"))
@handle_errors
def report_cmd(
    period: Period, output: Path | None, fmt: Format | None, force: bool, empty: bool
) -> None:
    """Скласти зведений звіт про виконання плану за період."""
    fmt = _format(fmt, output)
    ws = workspace()
    built = build_report(ws, period, fmt=fmt, output=output, lang=lang(), force=force, empty=empty)
    c = built.consolidated
    print_issues([*c.issues, *built.notes])
    if lang() == "en":
        click.echo(
            f"Written {built.path}: measures {len(c.rows)}, units reported "
            f"{len(c.expected) - len(c.missing)} of {len(c.expected)}, late {len(c.late)}."
        )
    else:
        click.echo(
            f"Збережено {built.path}: заходів {len(c.rows)}, звітували "
            f"{len(c.expected) - len(c.missing)} з {len(c.expected)} одиниць, "
            f"із запізненням {len(c.late)}."
        )


def _format(fmt: Format | None, output: Path | None) -> Format:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    implied = next((f for f in FORMATS if f == suffix), None)
    if fmt and implied and fmt != implied:
        raise UsageError(f"Формат {fmt} не відповідає файлу «{output}»: змініть -o або --format.")
    return fmt or implied or "xlsx"


def register(cli: click.Group) -> None:
    cli.add_command(report_cmd)
