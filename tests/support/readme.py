"""The README's runnable blocks, read as a person reads them: the code blocks under a
heading, each line a command with its comment after «#»."""

from __future__ import annotations

import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
YEAR = "## The coordinator's year, step by step"


def blocks(heading: str = YEAR) -> list[list[str]]:
    """The code blocks of the section under ``heading`` (up to the next ``## ``), each as
    its lines without the comments."""
    section = README.read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    fenced = section.split("```")[1::2]
    return [[_command(line) for line in block.splitlines() if _command(line)] for block in fenced]


def _command(line: str) -> str:
    return line.split("#", 1)[0].strip()


def words(command: str) -> list[str]:
    return shlex.split(command)


def steps() -> list[str]:
    """The coordinator's year: the block that makes the workspace and works in it."""
    return next(b for b in blocks() if any(c.startswith("zvit init") for c in b))


def install() -> list[str]:
    """The step before it, run once in the checkout."""
    return next(b for b in blocks() if any(c.startswith("uv tool install") for c in b))
