"""Everything a person reads speaks one language. The whole cycle (zvit demo) and then every
command on its workspace, in Ukrainian and with --lang en; then every output they made —
the forms, the feedback copies, the run's report, the consolidated report, the Word
document, the public page — opened and read. In English no Cyrillic letter is left but
in the plan's and the units' own words and in what the executors wrote; in Ukrainian no
English word but codes, identifiers, file names and the names of programs."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.language import cyrillic, english_words, without
from tests.support.outputs import (
    docx_text,
    examples_data,
    html_text,
    workspace_data,
    xlsx_text,
)
from toolkit.cli import cli
from toolkit.messages import LANGS, Lang
from toolkit.workspace import Workspace, open_workspace

pytestmark = pytest.mark.slow  # the whole cycle, twice, with its worker processes

EXAMPLE = "luhansk-2018-2026"
# words of the command line (commands and what follows them) and names that are no language
COMMAND_WORDS = {"zvit", "status", "history", "collect", "pin", "unpin", "exclude", "report"}
COMMAND_WORDS |= {"publish", "mail", "remind", "templates", "validate", "plan", "compose"}
COMMAND_WORDS |= {"send", "check", "show", "import", "amend", "revisions", "init", "demo"}
COMMAND_WORDS |= {"password", "smtp", "imap", "Creative", "Commons", "Attribution"}


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[Lang, tuple[Path, str]]:
    """The demo's folder and what it printed, in each language."""
    made: dict[Lang, tuple[Path, str]] = {}
    for lang in LANGS:
        folder = tmp_path_factory.mktemp(f"demo-{lang}") / "demo"
        result = CliRunner().invoke(cli, ["--lang", lang, "demo", str(folder)])
        assert result.exit_code == 0, result.output
        made[lang] = (folder, result.output)
    return made


def speaks(text: str, lang: Lang, data: set[str], what: str) -> None:
    """``text`` without ``data`` is wholly in ``lang``."""
    rest = without(text, data)
    if lang == "en":
        assert not cyrillic(rest), (what, cyrillic(rest)[:5])
    else:
        assert not english_words(rest, COMMAND_WORDS), (what, sorted(english_words(rest))[:20])


def workspaces(folder: Path) -> Iterator[Workspace]:
    for root in sorted(p for p in folder.iterdir() if p.is_dir()):
        yield open_workspace(root)


@pytest.mark.parametrize("lang", LANGS)
def test_the_demo_says_it_all_in_one_language(
    demos: dict[Lang, tuple[Path, str]], lang: Lang
) -> None:
    folder, printed = demos[lang]
    data = set().union(*(workspace_data(ws) for ws in workspaces(folder)))
    speaks(printed, lang, data | {str(folder)}, "zvit demo")


@pytest.mark.parametrize("lang", LANGS)
def test_every_output_in_one_language(demos: dict[Lang, tuple[Path, str]], lang: Lang) -> None:
    folder, _ = demos[lang]
    for ws in workspaces(folder):
        data = workspace_data(ws)
        read = 0
        for path, text in _outputs(ws.root, lang):
            speaks(text, lang, data, str(path.relative_to(folder)))
            read += 1
        kinds = {p.suffix for p, _ in _outputs(ws.root, lang)}
        assert kinds == {".xlsx", ".docx", ".html", ".csv"} and read > 10, (ws.root, kinds)


def _outputs(root: Path, lang: Lang) -> Iterator[tuple[Path, str]]:
    for path in sorted((root / "forms").rglob("*.xlsx")):
        yield path, xlsx_text(path)
    for path in sorted((root / "feedback").rglob("*.xlsx")):
        yield path, xlsx_text(path, ours_only=True)
    for path in sorted((root / "reports").glob("*.xlsx")):  # the run's report, the report
        yield path, xlsx_text(path)
    for path in sorted((root / "reports").glob("*.docx")):
        yield path, docx_text(path)
    structure = root / "site" / "data" / "structure.csv"
    identifiers = _field_names(structure)
    for path in sorted((root / "site").rglob("*.html")):
        yield path, without(html_text(path), identifiers)
    # the open data: its column names are identifiers, the same in any language, and its
    # values the data's own; its structure describes the columns in the page's language
    with structure.open(encoding="utf-8-sig") as f:
        described = [f"{r['title']}\n{r['description']}" for r in csv.DictReader(f)]
    yield structure, without("\n".join(described), identifiers)


def _field_names(structure: Path) -> set[str]:
    """The open data's column names and the values they take that are words."""
    with structure.open(encoding="utf-8-sig") as f:
        names = {row["name"] for row in csv.DictReader(f)}
    return names | {"true", "false", "sum", "mean"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_in_one_language(
    demos: dict[Lang, tuple[Path, str]], lang: Lang, tmp_path: Path
) -> None:
    folder, _ = demos[lang]
    root = folder / EXAMPLE
    ws = open_workspace(root)
    data = workspace_data(ws) | examples_data() | {str(root), str(tmp_path)}
    data.add("test")  # the reason typed
    unit = "loda-media"  # has a submission with warnings (numbers typed as text)
    number = _a_submission(root, unit)
    inbox = next((root / "inbox").rglob("*"), None)
    assert inbox is not None
    runs = [
        ["status", "-p", "2025"],
        ["history", unit],
        ["plan", "check"],
        ["plan", "show", "-p", "2025", "--unit", unit],
        ["plan", "revisions"],
        ["pin", str(number), "--reason", "test"],
        ["unpin", unit, "-p", "2025", "--reason", "test"],
        ["unpin", unit, "-p", "2025"],
        ["exclude", "999999"],
        ["report", "-p", "2025", "-o", str(tmp_path / "r.xlsx")],
        ["report", "-p", "2030"],
        ["publish", "-p", "2025", "-o", str(tmp_path / "site")],
        ["mail", "compose", "-p", "2025", "--unit", unit],
        ["mail", "send", "-p", "2025", "--dry-run"],
        ["mail", "remind", "-p", "2025", "--dry-run"],
        ["mail", "check"],
        ["templates", "-p", "2026", "--unit", unit, "-o", str(tmp_path / "forms")],
        ["validate", *map(str, (root / "feedback").rglob("*.xlsx"))][:3],
        ["collect", str(root / "inbox"), "-p", "2025"],
        ["init", "--list"],
        ["init", str(tmp_path / "again"), "--from", "no-such-example"],
        ["plan", "export", "-o", str(tmp_path / "plan.txt")],
    ]
    for args in runs:
        result = CliRunner().invoke(cli, ["--lang", lang, "-w", str(root), *args])
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output, (args, result.output)
        speaks(result.output, lang, data, " ".join(args))


def _a_submission(root: Path, unit: str) -> int:
    with sqlite3.connect(root / "zvit.db") as db:
        row = db.execute("SELECT id FROM submissions WHERE unit = ?", (unit,)).fetchone()
    assert row is not None
    return int(row[0])
