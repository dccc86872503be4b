"""Wherever a command names a reporting unit, it takes the unit's id, its short or full
name or the start of one (``Registry.find_unit``): found by walking every command, so a
new one is held to it too."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.collect_support import EXAMPLE
from toolkit.cli import cli
from toolkit.workspace import init_from_example

UNIT_PARAMS = {"unit", "units", "unit_id"}


def commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def command_of(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def names_a_unit(param: click.Parameter) -> bool:
    """A parameter that takes a unit by its name (not a registry file)."""
    return param.name in UNIT_PARAMS and not isinstance(param.type, click.Path)


NAMING = [p for p in commands(cli) if any(names_a_unit(x) for x in command_of(p).params)]


def args_for(path: tuple[str, ...], unit: str, plan: Path) -> list[str]:
    args = list(path)
    for param in command_of(path).params:
        if names_a_unit(param):
            args += [unit] if isinstance(param, click.Argument) else ["--unit", unit]
        elif isinstance(param, click.Argument) and param.required:
            args.append(str(plan))  # a file the command is given
        elif isinstance(param, click.Option) and param.required:
            args += [param.opts[0], "2025" if param.name == "period" else "чому"]
    return args


def test_the_walk_finds_the_commands_that_name_units() -> None:
    assert set(NAMING) >= {
        ("history",),
        ("unpin",),
        ("templates",),
        ("validate",),
        ("plan", "show"),
        ("mail", "compose"),
        ("mail", "send"),
        ("mail", "remind"),
    }


@pytest.mark.parametrize("path", NAMING, ids=" ".join)
def test_every_command_takes_a_unit_by_name(tmp_path: Path, path: tuple[str, ...]) -> None:
    ws = init_from_example(tmp_path / "ws", EXAMPLE)
    base = ["-w", str(ws.root)]
    unknown = CliRunner().invoke(cli, [*base, *args_for(path, "Нікого такого", ws.plan_path)])
    assert unknown.exit_code == 2 and "[E_UNIT_UNKNOWN]" in unknown.output, unknown.output
    assert "«Нікого такого»" in unknown.output
    if path == ("validate",):
        return  # with a real unit it would go on to check the file (tests/test_collect_cli.py)
    named = CliRunner().invoke(cli, [*base, *args_for(path, "дон ода", ws.plan_path)])
    assert "E_UNIT_UNKNOWN" not in named.output and "E_UNIT_AMBIGUOUS" not in named.output
    assert named.exception is None or isinstance(named.exception, SystemExit), named.output


def test_plan_show_without_a_registry_says_what_is_missing(tmp_path: Path) -> None:
    plan = EXAMPLE / "plan.yaml"
    shown = CliRunner().invoke(cli, ["plan", "show", str(plan), "--unit", "дон ода"])
    assert shown.exit_code == 2
    assert "--units" in shown.output and "Невідома" not in shown.output
