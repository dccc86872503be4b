"""What the commands share: error handling, printing issues, finding the plan."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.commands.language import speaks
from toolkit.commands.parts import FILE, option
from toolkit.errors import InvalidFileError, OutputLockedError, ZvitError
from toolkit.issues import Issue, render_text
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry
from toolkit.workspace import Workspace, find_workspace

F = TypeVar("F", bound=Callable[..., Any])
JSON = option("--json", "as_json", is_flag=True, help="cli.option.json")
REGISTRY = option("--units", type=FILE, metavar="cli.metavar.file", help="cli.option.registry")


@dataclass
class Ctx:
    workspace: Path | None


def _ctx() -> Ctx:
    obj = click.get_current_context().find_object(Ctx)
    return obj if obj is not None else Ctx(None)


def lang() -> Lang:
    """The language of the run (``language.chosen_lang``): --lang (or ZVIT_LANG), else
    the workspace's [output] lang, else Ukrainian."""
    return speaks()


def handle_errors(func: F) -> F:
    """Library errors become a plain message in the run's language and an exit code,
    never a traceback: a file with problems → 1, a wrong request → 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidFileError as e:
            click.echo(e.text(lang()), err=True)
            click.echo(render_text(e.issues, lang()), err=True)
            sys.exit(1)
        except OutputLockedError as e:
            click.echo(e.text(lang()), err=True)
            sys.exit(1)
        except ZvitError as e:
            click.echo(e.text(lang()), err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def print_issues(issues: list[Issue], *, as_json: bool = False) -> None:
    if as_json:
        payload = [i.to_dict(lang()) for i in issues]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif issues:
        click.echo(render_text(issues, lang()))


def workspace() -> Workspace:
    return find_workspace(_ctx().workspace)


def plan_and_registry(
    plan: Path | None, units: Path | None, period: Period | None = None
) -> tuple[Plan, Registry | None, Path]:
    """Files given on the command line win; otherwise the workspace's (its plan in force
    for ``period``, or as it stands now)."""
    if plan is not None:
        return load_plan(plan), (load_registry(units) if units else None), plan
    ws = workspace()
    return ws.plan(period), (load_registry(units) if units else ws.registry()), ws.plan_path


def unit_ids(registry: Registry, names: tuple[str, ...]) -> tuple[str, ...]:
    """Units named on the command line (id, short or full name, or a unique start of
    one) → their ids; an unknown or ambiguous name is a coded error."""
    return tuple(registry.find_unit(name).id for name in names)


def period_option(required: bool = True) -> Callable[[F], F]:
    return option(
        "--period",
        "-p",
        "period",
        required=required,
        callback=lambda _c, _p, v: parse_period(v),
        metavar="cli.metavar.period",
        help="cli.option.period",
    )


def parse_period(value: str | None) -> Period | None:
    if not value:
        return None
    try:
        return Period.parse(value)
    except ZvitError as e:
        raise click.BadParameter(e.text(lang())) from e
