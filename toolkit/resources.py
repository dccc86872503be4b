"""One loader for the files shipped beside the code: schemas, blank forms, examples, data.

In a checkout they sit at the repository root; in an installed wheel they are bundled
under ``toolkit/_bundled`` (see pyproject.toml)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def _root(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def schemas_dir() -> Path:
    return _root("schemas")


def examples_dir() -> Path:
    return _root("examples")


def templates_dir() -> Path:
    return _root("templates")


def data_path(name: str) -> Path:
    """A data file of the package itself (``toolkit/data``)."""
    return _PACKAGE / "data" / name


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema by file name, e.g. ``schema("plan.schema.json")``."""
    with (schemas_dir() / name).open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded
