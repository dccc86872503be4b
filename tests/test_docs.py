"""The generated reference pages are current, and every command is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.support.readme import steps, words
from toolkit.cli import cli
from toolkit.docs import cli_markdown, codes_markdown
from toolkit.issues import catalog
from toolkit.messages import LANGS, Lang

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_codes_reference_is_current() -> None:
    assert (DOCS / "codes.md").read_text(encoding="utf-8") == codes_markdown(), (
        "regenerate with: uv run python -m toolkit.docs"
    )


@pytest.mark.parametrize(("name", "lang"), [("cli.md", "uk"), ("cli.en.md", "en")])
def test_cli_reference_is_current(name: str, lang: Lang) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == cli_markdown(cli, lang), (
        "regenerate with: uv run python -m toolkit.docs"
    )


def test_every_command_has_help() -> None:
    def walk(group: click.Command) -> list[click.Command]:
        found = [group]
        if isinstance(group, click.Group):
            for sub in group.commands.values():
                found += walk(sub)
        return found

    for command in walk(cli):
        assert command.help, command.name


def test_every_code_renders_in_both_languages() -> None:
    from toolkit.issues import Issue

    for info in catalog().values():
        assert info.code[:2] in ("E_", "W_", "I_")
        assert {"error": "E_", "warning": "W_", "info": "I_"}[info.severity] == info.code[:2]
        sample = Issue(info.code, params={p: "x" for p in info.params})
        for lang in LANGS:
            text = sample.message(lang)
            assert "{" not in text, (info.code, lang, text)
            assert info.text("title", lang)


README = DOCS.parent / "README.md"


def test_readme_cycle_commands_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``zvit …`` line of the README's step-by-step block is a real command with real
    options and every required one (parsed by click, not run)."""
    monkeypatch.chdir(README.parent)  # its paths are the repository's
    lines = [words(line) for line in steps()]
    commands = [args[1:] for args in lines if args[:1] == ["zvit"]]
    assert len(commands) >= 10
    for args in commands:
        command: click.Command = cli
        rest = list(args)
        while isinstance(command, click.Group):
            found = command.get_command(click.Context(command), rest.pop(0))
            assert found is not None, args
            command = found
        ctx = command.make_context(command.name or "", rest)  # raises on a wrong option
        assert not ctx.args, args


def test_readme_pictures_exist_and_are_small() -> None:
    import re

    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert sorted(pictures) == ["docs/images/form.png", "docs/images/report.png"]
    for picture in pictures:
        data = (README.parent / picture).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 300_000, picture


def test_codes_reference_labels_each_code_by_its_severity() -> None:
    text = codes_markdown()
    labels = {"error": "*помилка* / *error*", "warning": "*попередження* / *warning*"}
    labels["info"] = "*інформація* / *information*"
    for info in catalog().values():
        entry = text.split(f"### `{info.code}`", 1)[1].split("\n\n", 2)[1]
        assert entry.startswith(labels[info.severity]), (info.code, entry)
