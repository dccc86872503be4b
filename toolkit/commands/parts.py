"""The click parts every zvit command is made of. click builds help when the commands are
defined; zvit's commands give keys of the catalog instead of words — the help of each
command and option (``help="cli.plan.import"``), the names of the values they take
(``metavar="cli.metavar.file"``) — and these parts put them into words when help or an
error is shown, in the language of the run (``language.speaks``). The value types name
themselves the same way («Файл «x» не існує»). Use ``command``, ``group``, ``option`` and
``argument`` from here, never click's own (a test walks every command to hold it)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.commands.language import chosen_lang, speaking, speaks
from toolkit.messages import t

F = TypeVar("F", bound=Callable[..., Any])
HELP = "cli.option.help"


def say(key: str | None) -> str:
    """The text of ``key`` in the run's language ("" for none)."""
    return t(key, speaks()) if key else ""


class _Said(click.Command):
    """What a command and a group share: their help, usage line and help option said in
    the run's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._zvit_help: click.Option | None = None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(say(self.help))

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(say(self.epilog))

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Command(None, help=say(self.help)).get_short_help_str(limit)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if self.options_metavar and pieces[:1] == [self.options_metavar]:
            pieces[0] = say("cli.metavar.options")
        return pieces

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._zvit_help is None:  # made once: click orders the eager options by identity
            self._zvit_help = Option(
                names,
                is_flag=True,
                expose_value=False,
                is_eager=True,
                help=HELP,
                callback=_show_help,
            )
        return self._zvit_help


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class Command(_Said, click.Command):
    """A zvit command."""


class Group(_Said, click.Group):
    """A group of zvit commands; the root one chooses the run's language first."""

    command_class = Command
    group_class = type  # its groups are Groups too

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        if pieces and pieces[-1] == self.subcommand_metavar:
            pieces[-1] = say("cli.metavar.command")
        return pieces

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        given = list(args) if args is not None else sys.argv[1:]
        with speaking(chosen_lang(given)):
            return super().main(args, *a, **kw)


class Option(click.Option):
    """An option whose help and metavar are keys of the catalog."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not self.help:
            return record
        spec, text = record  # click puts the help first, then [default: …; required]
        return spec, say(self.help) + text[len(self.help) :]

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None:
            return super().make_metavar(ctx)
        return say(self.metavar) + ("..." if self.nargs != 1 else "")


class Argument(click.Argument):
    """An argument whose metavar is a key of the catalog."""

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None:
            return super().make_metavar(ctx)
        shown = say(self.metavar)
        if not self.required:
            shown = f"[{shown}]"
        return shown + ("..." if self.nargs != 1 else "")


class PathType(click.Path):
    """A path that names its kind — file, folder or either — in the run's language."""

    @property
    def name(self) -> str:
        if self.file_okay and not self.dir_okay:
            return say("cli.type.file")
        return say("cli.type.folder" if self.dir_okay and not self.file_okay else "cli.type.path")

    @name.setter
    def name(self, _made: str) -> None:
        """click names the type once, as it is made (in whatever language was then)."""


class _Int(click.types.IntParamType):
    @property
    def name(self) -> str:
        return say("cli.type.integer")

    @name.setter
    def name(self, _made: str) -> None: ...


class _Float(click.types.FloatParamType):
    @property
    def name(self) -> str:
        return say("cli.type.number")

    @name.setter
    def name(self, _made: str) -> None: ...


INT = _Int()
FLOAT = _Float()


def command(name: str, *, help: str, **kwargs: Any) -> Callable[[F], Command]:
    return click.command(name, cls=Command, help=help, **kwargs)


def group(name: str, *, help: str, **kwargs: Any) -> Callable[[F], Group]:
    return click.group(name, cls=Group, help=help, **kwargs)


def option(*decls: str, help: str, **kwargs: Any) -> Callable[[F], F]:
    return click.option(*decls, cls=Option, help=help, **kwargs)


def argument(*decls: str, metavar: str | None, **kwargs: Any) -> Callable[[F], F]:
    return click.argument(*decls, cls=Argument, metavar=metavar, **kwargs)


def path(**kwargs: Any) -> PathType:
    return PathType(**kwargs)


FILE = path(exists=True, dir_okay=False, path_type=Path)  # a file that must be there


def output_option(help: str, *, folder: bool = False, required: bool = False) -> Callable[[F], F]:
    """``-o/--output``: the file (or ``folder``) a command writes."""
    kind = path(file_okay=False, path_type=Path) if folder else path(dir_okay=False, path_type=Path)
    metavar = "cli.metavar.folder" if folder else "cli.metavar.file"
    return option("-o", "--output", type=kind, required=required, metavar=metavar, help=help)
