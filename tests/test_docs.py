"""The generated reference pages are current, and every command is documented."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import cli
from toolkit.docs import cli_markdown, codes_markdown
from toolkit.issues import LANGS, catalog

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_codes_reference_is_current() -> None:
    assert (DOCS / "codes.md").read_text(encoding="utf-8") == codes_markdown(), (
        "regenerate with: uv run python -m toolkit.docs"
    )


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_markdown(cli), (
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
