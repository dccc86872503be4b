"""``zvit collect | validate``: taking returned forms in."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from toolkit.commands.common import (
    JSON,
    handle_errors,
    lang,
    period_option,
    plan_and_registry,
    workspace,
)
from toolkit.commands.parts import FILE, FLOAT, INT, argument, command, option, path
from toolkit.errors import UsageError
from toolkit.messages import LANGS, Lang, t
from toolkit.periods import Period, parse_moment

_BAR_FROM = 20  # files; fewer finish before a bar would be worth drawing


_TIMEOUT = "cli.option.timeout"


@command("collect", help="cli.collect")
@argument("paths", nargs=-1, type=path(exists=True, path_type=Path), metavar="cli.metavar.paths")
@period_option(required=False)
@option("--imap", is_flag=True, help="cli.collect.imap")
@JSON
@option("--jobs", type=INT, metavar="cli.metavar.count", help="cli.collect.jobs")
@option("--timeout", type=FLOAT, metavar="cli.metavar.seconds", help=_TIMEOUT)
@option("--received", "received_text", metavar="cli.metavar.moment", help="cli.collect.received")
@handle_errors
def collect_cmd(
    paths: tuple[Path, ...],
    period: Period | None,
    imap: bool,
    as_json: bool,
    jobs: int | None,
    timeout: float | None,
    received_text: str | None,
) -> None:
    from toolkit.collect.outcome import render_run
    from toolkit.collect.run import collect

    if not paths and not imap:
        raise UsageError("cli.collect.need_input")
    received = parse_moment(received_text) if received_text else None
    ws = workspace()
    bar = None if as_json else _Bar()
    try:
        if imap:
            from toolkit.collect.imap import collect_imap

            fetched = collect_imap(
                ws,
                list(paths),
                period,
                jobs=jobs,
                progress=bar,
                timeout=timeout,
                lang=lang(),
                received=received,
            )
            run, clean = fetched.collect, fetched.clean
        else:
            run = collect(
                ws,
                list(paths),
                period,
                jobs=jobs,
                progress=bar,
                timeout=timeout,
                lang=lang(),
                received=received,
            )
            clean = run.clean
    finally:
        if bar is not None:
            bar.finish()
    if imap:
        _print_imap(fetched, ws.root, as_json)
    elif as_json:
        click.echo(json.dumps(run.to_json(lang()), ensure_ascii=False, indent=2))
    else:
        click.echo(render_run(run, ws.root, lang()))
    raise SystemExit(0 if clean else 1)


def _print_imap(fetched: Any, root: Path, as_json: bool) -> None:
    from toolkit.mail.report import render_imap

    if as_json:
        payload = fetched.collect.to_json(lang()) | {
            "imap": {
                "mailbox": fetched.mailbox,
                "fetched": fetched.fetched,
                "moved": fetched.moved,
                "problems": [i.to_dict(lang()) for i in fetched.problems],
            }
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(render_imap(fetched, root, lang()))


class _Bar:
    """A progress bar on stderr, drawn once there are enough files to wait for."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < _BAR_FROM:
                return
            self.bar = click.progressbar(
                length=total,
                label=t("cli.collect.progress", lang()),
                file=sys.stderr,
                show_pos=True,
            )
            self.bar.__enter__()
        self.bar.length = max(total, done)
        self.bar.update(done - self.shown)
        self.shown = done

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@command("validate", help="cli.validate", epilog="cli.validate.exit")
@argument("files", nargs=-1, required=True, type=FILE, metavar="cli.metavar.files")
@period_option(required=False)
@option("--unit", "unit_id", metavar="cli.metavar.unit", help="cli.validate.unit")
@option("--plan", type=FILE, metavar="cli.metavar.file", help="cli.option.plan")
@option("--units", type=FILE, metavar="cli.metavar.file", help="cli.option.registry_with_plan")
@JSON
@option("--lang", "lang_opt", type=click.Choice(LANGS), help="cli.validate.lang")
@option(
    "--timeout",
    type=FLOAT,
    default=60.0,
    show_default=True,
    metavar="cli.metavar.seconds",
    help=_TIMEOUT,
)
@handle_errors
def validate_cmd(
    files: tuple[Path, ...],
    period: Period | None,
    unit_id: str | None,
    plan: Path | None,
    units: Path | None,
    as_json: bool,
    lang_opt: Lang | None,
    timeout: float,
) -> None:
    from toolkit.collect.checkfiles import check_files, validation_json, validation_text

    loaded, registry, _ = plan_and_registry(plan, units, period)
    if registry is None:
        raise UsageError("cli.validate.need_units")
    if unit_id is not None:
        unit_id = registry.find_unit(unit_id).id
    language: Lang = lang_opt or lang()
    found = check_files(
        loaded,
        registry,
        list(files),
        period=period,
        unit=unit_id,
        custom_form=_custom_form(plan),
        timeout=timeout,
        revisions=None if plan is not None else workspace().revisions(),
    )
    if as_json:
        click.echo(
            json.dumps([validation_json(v, language) for v in found], ensure_ascii=False, indent=2)
        )
    else:
        for v in found:
            click.echo(validation_text(v, language))
    bad = any(v.verdict in ("rejected", "quarantined") for v in found)
    raise SystemExit(1 if bad else 0)


def _custom_form(plan: Path | None) -> Any:
    if plan is not None:
        return None
    from toolkit.forms.definition import custom_definition

    return custom_definition(workspace().form_path)


def register(cli: click.Group) -> None:
    for each in (collect_cmd, validate_cmd):
        cli.add_command(each)
