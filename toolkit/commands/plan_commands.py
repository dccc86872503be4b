"""``zvit plan import | check | show``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from toolkit.commands.common import (
    FILE,
    handle_errors,
    lang,
    period_option,
    plan_and_registry,
    print_issues,
)
from toolkit.issues import count_by_severity, has_errors
from toolkit.periods import Period
from toolkit.plan.check import check_plan
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_registry, plan_lines, save_plan
from toolkit.plan.overrides import Overrides
from toolkit.plan.query import active_measures, measure_json, units_of
from toolkit.plan.show import render_plan


@click.group("plan")
def plan_group() -> None:
    """План заходів: імпорт, перевірка, перегляд."""


@plan_group.command("import")
@click.argument("source", type=FILE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--units", type=FILE, help="Реєстр звітних одиниць (units.yaml).")
@click.option("--overrides", type=FILE, help="Файл ручних виправлень (overrides.yaml).")
@handle_errors
def import_cmd(source: Path, output: Path, units: Path | None, overrides: Path | None) -> None:
    """Імпортувати таблицю плану (.docx, .xlsx, .csv, .txt) у plan.yaml."""
    registry = load_registry(units) if units else None
    result = import_plan(source, registry, Overrides.load(overrides))
    print_issues(result.issues)
    if result.plan is None:
        click.echo("План не збережено: виправте помилки вище.", err=True)
        raise SystemExit(1)
    save_plan(result.plan, output)
    c = count_by_severity(result.issues)
    click.echo(
        f"Збережено {output}: розділів {len(result.plan.sections)}, "
        f"заходів {sum(1 for _ in result.plan.measures())}; виправлень {c['info']}, "
        f"попереджень {c['warning']}, помилок {c['error']}."
    )
    raise SystemExit(1 if has_errors(result.issues) else 0)


@plan_group.command("check")
@click.argument("plan", type=FILE, required=False)
@click.option("--units", type=FILE, help="Реєстр звітних одиниць (units.yaml).")
@click.option("--json", "as_json", is_flag=True, help="Результат у JSON.")
@handle_errors
def check_cmd(plan: Path | None, units: Path | None, as_json: bool) -> None:
    """Перевірити план: схема, терміни, виконавці, індикатори."""
    loaded, registry, path = plan_and_registry(plan, units)
    found = check_plan(loaded, registry, path.name, plan_lines(path))
    print_issues(found, as_json=as_json)
    if not as_json:
        c = count_by_severity(found)
        verdict = "є помилки" if c["error"] else "гаразд"
        click.echo(f"{path.name}: {verdict} (помилок {c['error']}, попереджень {c['warning']}).")
    raise SystemExit(1 if has_errors(found) else 0)


@plan_group.command("show")
@click.argument("plan", type=FILE, required=False)
@click.option("--units", type=FILE, help="Реєстр звітних одиниць (units.yaml).")
@period_option(required=False)
@click.option(
    "--unit", "unit_id", help="Лише заходи цієї звітної одиниці (id, назва або її початок)."
)
@click.option("--json", "as_json", is_flag=True, help="Результат у JSON.")
@handle_errors
def show_cmd(
    plan: Path | None,
    units: Path | None,
    period: Period | None,
    unit_id: str | None,
    as_json: bool,
) -> None:
    """Показати план; з --period — лише заходи, що звітуються за період."""
    loaded, registry, _ = plan_and_registry(plan, units)
    measures = active_measures(loaded, period)
    if unit_id:
        if registry is None:
            raise click.UsageError(f"Невідома звітна одиниця «{unit_id}» (див. units.yaml).")
        unit_id = registry.find_unit(unit_id).id
        measures = [m for m in measures if unit_id in units_of(m, registry)]
    if not as_json:
        click.echo(render_plan(loaded, measures, registry, period, lang()))
        return
    payload = {
        "plan": loaded.id,
        "period": str(period) if period else None,
        "unit": unit_id,
        "count": len(measures),
        "measures": [measure_json(m, registry) for m in measures],
    }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def register(cli: click.Group) -> None:
    cli.add_command(plan_group)
