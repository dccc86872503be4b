"""``zvit plan import | check | show | export | amend | revisions``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from toolkit.commands.common import (
    JSON,
    REGISTRY,
    handle_errors,
    lang,
    parse_period,
    period_option,
    plan_and_registry,
    print_issues,
    workspace,
)
from toolkit.commands.parts import FILE, argument, group, option, output_option
from toolkit.errors import UsageError
from toolkit.issues import count_by_severity, has_errors
from toolkit.messages import t
from toolkit.periods import Period
from toolkit.plan.amend import AmendRequest, amend_plan
from toolkit.plan.amendshow import (
    amended_json,
    amended_text,
    in_force,
    revision_json,
    revision_line,
    revisions_text,
)
from toolkit.plan.check import check_plan
from toolkit.plan.export import export_plan
from toolkit.plan.importing import import_plan, render_summary
from toolkit.plan.io import load_registry, plan_lines, save_plan
from toolkit.plan.overrides import Overrides
from toolkit.plan.query import active_measures, measure_json, units_of
from toolkit.plan.show import render_plan

_PLAN = argument("plan", type=FILE, required=False, metavar="cli.metavar.plan")
_FILE = "cli.metavar.file"


@group("plan", help="cli.plan")
def plan_group() -> None:
    pass


@plan_group.command("import", help="cli.plan.import")
@argument("source", type=FILE, metavar="cli.metavar.source")
@output_option("cli.plan.import.output", required=True)
@REGISTRY
@option("--overrides", type=FILE, metavar=_FILE, help="cli.plan.import.overrides")
@handle_errors
def import_cmd(source: Path, output: Path, units: Path | None, overrides: Path | None) -> None:
    registry = load_registry(units) if units else None
    result = import_plan(source, registry, Overrides.load(overrides))
    print_issues(result.issues)
    click.echo(render_summary(result.summary, source.name, lang()))
    if result.plan is None:
        click.echo(t("plan.import.not_saved", lang()), err=True)
        raise SystemExit(1)
    save_plan(result.plan, output, lang())
    c = count_by_severity(result.issues)
    click.echo(
        t(
            "plan.import.saved",
            lang(),
            path=output,
            sections=len(result.plan.sections),
            measures=sum(1 for _ in result.plan.measures()),
            info=c["info"],
            warnings=c["warning"],
            errors=c["error"],
        )
    )
    raise SystemExit(1 if has_errors(result.issues) else 0)


@plan_group.command("check", help="cli.plan.check")
@_PLAN
@REGISTRY
@JSON
@handle_errors
def check_cmd(plan: Path | None, units: Path | None, as_json: bool) -> None:
    loaded, registry, path = plan_and_registry(plan, units)
    found = check_plan(loaded, registry, path.name, plan_lines(path))
    print_issues(found, as_json=as_json)
    if not as_json:
        c = count_by_severity(found)
        key = "plan.check.verdict_errors" if c["error"] else "plan.check.verdict_ok"
        click.echo(t(key, lang(), name=path.name, errors=c["error"], warnings=c["warning"]))
    raise SystemExit(1 if has_errors(found) else 0)


@plan_group.command("show", help="cli.plan.show")
@_PLAN
@REGISTRY
@period_option(required=False)
@option("--unit", "unit_id", metavar="cli.metavar.unit", help="cli.plan.show.unit")
@JSON
@handle_errors
def show_cmd(
    plan: Path | None,
    units: Path | None,
    period: Period | None,
    unit_id: str | None,
    as_json: bool,
) -> None:
    loaded, registry, _ = plan_and_registry(plan, units, period)
    measures = active_measures(loaded, period)
    if unit_id:
        if registry is None:
            raise UsageError("plan.show.need_units")
        unit_id = registry.find_unit(unit_id).id
        measures = [m for m in measures if unit_id in units_of(m, registry)]
    revision = None if plan is not None else in_force(workspace().revisions(), period)
    if not as_json:
        if revision is not None:
            click.echo(revision_line(revision, lang()))
        click.echo(render_plan(loaded, measures, registry, period, lang()))
        return
    payload = {
        "plan": loaded.id,
        **({"revision": revision_json(revision)} if revision is not None else {}),
        "period": str(period) if period else None,
        "unit": unit_id,
        "count": len(measures),
        "measures": [measure_json(m, registry) for m in measures],
    }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@plan_group.command("export", help="cli.plan.export")
@_PLAN
@output_option("cli.plan.export.output", required=True)
@handle_errors
def export_cmd(plan: Path | None, output: Path) -> None:
    loaded, _, _ = plan_and_registry(plan, None)
    export_plan(loaded, output, lang())
    measures = sum(1 for _ in loaded.measures())
    click.echo(
        t(
            "plan.export.written",
            lang(),
            path=output,
            sections=len(loaded.sections),
            measures=measures,
        )
    )


@plan_group.command("amend", help="cli.plan.amend")
@argument("source", type=FILE, metavar="cli.metavar.source")
@option(
    "--effective",
    required=True,
    callback=lambda _c, _p, v: parse_period(v),
    metavar="cli.metavar.period",
    help="cli.plan.amend.effective",
)
@option("--decision", default="", metavar="cli.metavar.text", help="cli.plan.amend.decision")
@option("--mapping", type=FILE, metavar=_FILE, help="cli.plan.amend.mapping")
@option("--overrides", type=FILE, metavar=_FILE, help="cli.plan.amend.overrides")
@option("--dry-run", is_flag=True, help="cli.plan.amend.dry_run")
@JSON
@handle_errors
def amend_cmd(
    source: Path,
    effective: Period,
    decision: str,
    mapping: Path | None,
    overrides: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    ws = workspace()
    request = AmendRequest(source, effective, decision, mapping, dry_run, overrides, lang())
    result = amend_plan(ws.revision_store(), request, ws.registry())
    if as_json:
        click.echo(json.dumps(amended_json(result, lang()), ensure_ascii=False, indent=2))
    else:
        print_issues(result.issues)
        click.echo(amended_text(result, lang()))
    raise SystemExit(0 if result.revision is not None or (dry_run and result.decided) else 1)


@plan_group.command("revisions", help="cli.plan.revisions")
@JSON
@handle_errors
def revisions_cmd(as_json: bool) -> None:
    revisions = workspace().revisions()
    if as_json:
        payload = [revision_json(r) for r in revisions.items]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(revisions_text(revisions, lang()))


def register(cli: click.Group) -> None:
    cli.add_command(plan_group)
