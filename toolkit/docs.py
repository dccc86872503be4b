"""Generated files: the reference pages — every issue code from the catalog, every command
from its ``--help`` (in Ukrainian, ``cli.md``, and in English, ``cli.en.md``) — and the
compiled catalog of click's own words (``commands.language``). Tests keep them in step;
regenerate with ``uv run python -m toolkit.docs``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.commands.language import catalog_path, compiled_catalog, speaking
from toolkit.fsutil import atomic_write_bytes, atomic_write_text
from toolkit.issues import catalog
from toolkit.messages import LANGS, Lang, t


def codes_markdown() -> str:
    lines = [
        "# Коди перевірок / Issue codes",
        "",
        "Згенеровано з каталогу `toolkit/data/codes/*.yaml` (`uv run python -m toolkit.docs`).",
        "Коди стабільні: їх не перейменовують і не використовують повторно.",
        "",
    ]
    topic = ""
    for info in catalog().values():
        if info.topic != topic:
            topic = info.topic
            lines += [f"## {topic}", ""]
        lines.append(f"### `{info.code}` — {info.text('title', 'uk')}")
        lines.append("")
        params = [f"{p} (не завжди)" if p in info.optional else p for p in info.params]
        lines.append(
            " / ".join(f"*{t(f'issue.severity.{info.severity}', lang)}*" for lang in LANGS)
            + (f"; параметри: {', '.join(params)}" if params else "")
            + ("; **виведено з ужитку** / *retired*: більше не видається" if info.retired else "")
        )
        lines.append("")
        for lang in LANGS:
            fix = info.text("fix", lang)
            lines.append(f"- **{lang}**: {info.text('what', lang)}" + (f" — {fix}" if fix else ""))
        lines.append("")
    return "\n".join(lines)


def cli_markdown(cli: click.Group, lang: Lang = "uk") -> str:
    lines = [t("cli.reference.title", lang), "", t("cli.reference.made", lang), ""]
    with speaking(lang):
        for path, command in _walk(cli, ("zvit",)):
            # a fixed width, so the page does not depend on the terminal it was made in
            ctx = click.Context(
                command,
                info_name=" ".join(path),
                terminal_width=88,
                max_content_width=88,
                help_option_names=["-h", "--help"],  # as the zvit group sets for every command
            )
            lines += [f"## `{' '.join(path)}`", "", "```", command.get_help(ctx), "```", ""]
    return "\n".join(lines)


def _walk(
    group: click.Command, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, group)]
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            out += _walk(group.commands[name], (*path, name))
    return out


def write_docs(folder: Path) -> None:
    from toolkit.cli import cli

    atomic_write_text(folder / "codes.md", codes_markdown())
    atomic_write_text(folder / "cli.md", cli_markdown(cli, "uk"))
    atomic_write_text(folder / "cli.en.md", cli_markdown(cli, "en"))
    atomic_write_bytes(catalog_path("uk"), compiled_catalog("uk"))


if __name__ == "__main__":
    write_docs(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
