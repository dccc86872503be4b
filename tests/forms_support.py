"""Helpers shared by the form tests: the examples, and reading a form's rows back."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from toolkit.forms.definition import load_definition
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry
from toolkit.validate.reader import open_package, read_table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@cache
def example(name: str) -> tuple[Plan, Registry]:
    folder = EXAMPLES / name
    return load_plan(folder / "plan.yaml"), load_registry(folder / "units.yaml")


def form_ids(data: bytes, form: str = "annual") -> list[str]:
    """The measure ids in a form's table, top to bottom, as a reader finds them."""
    pkg = open_package(data)
    try:
        table = read_table(pkg, load_definition(form))
        assert table is not None
        return [str(r.value("measure_id")) for r in table.rows]
    finally:
        pkg.close()
