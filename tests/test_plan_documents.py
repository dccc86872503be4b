"""Council-style Word and Excel plans generated from both bundled plans, in every layout
of tests/support/councildocs.py: each import equals the example plan field by field
(changed only where the layout prints a number or a date differently), and raises the
codes its layout calls for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.councildocs import Layout, layouts_for
from tests.support.councilexcel import write_xlsx
from tests.support.councilword import write_docx
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.overrides import Overrides

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ("hlukhiv-2020-2026", "luhansk-2018-2026")
WRITERS = {"docx": write_docx, "xlsx": write_xlsx}


def _plan(name: str) -> Plan:
    return load_plan(EXAMPLES / name / "plan.yaml")


def _cases() -> list[Any]:
    out = []
    for name in NAMES:
        plan = _plan(name)
        for kind in ("docx", "xlsx"):
            for layout in layouts_for(plan, kind):  # type: ignore[arg-type]
                out.append(pytest.param(name, kind, layout, id=f"{name}-{kind}-{layout.name}"))
    return out


def differences(got: Any, want: Any, path: str = "$") -> list[str]:
    """Where two plan dictionaries differ, path by path."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: list[str] = []
        for key in sorted(set(want) | set(got)):
            out += differences(got.get(key), want.get(key), f"{path}.{key}")
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items, expected {len(want)}"]
        pairs = enumerate(zip(got, want, strict=True))
        return [d for i, (g, w) in pairs for d in differences(g, w, f"{path}[{i}]")]
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]


def import_generated(name: str, path: Path) -> Any:
    folder = EXAMPLES / name
    return import_plan(
        path, load_registry(folder / "units.yaml"), Overrides.load(folder / "overrides.yaml")
    )


@pytest.mark.parametrize(("name", "kind", "layout"), _cases())
def test_generated_plan_reads_word_for_word(
    name: str, kind: str, layout: Layout, tmp_path: Path
) -> None:
    path = tmp_path / f"plan.{kind}"
    want = WRITERS[kind](_plan(name), layout, path)
    result = import_generated(name, path)
    codes = {i.code for i in result.issues}
    errors = [i.message() for i in result.issues if i.severity == "error"]
    assert errors == []
    assert result.plan is not None
    got = result.plan.to_dict() | {"source": ""}
    assert differences(got, want) == []
    assert layout.codes <= codes
    total = sum(s.count for s in result.summary)
    assert total == sum(1 for _ in result.plan.measures())
