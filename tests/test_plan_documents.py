"""Council-style Word and Excel plans generated from both bundled plans, in every layout
of tests/support/councildocs.py: each import equals the example plan field by field
(changed only where the layout prints a number or a date differently), and raises the
codes its layout calls for."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@st.composite
def _mixed(draw: st.DrawFn) -> tuple[str, str, Layout]:
    """Any mix of the corpus' options: each was tried alone above, a council's document
    has several at once."""
    name = draw(st.sampled_from(NAMES))
    kind = draw(st.sampled_from(["docx", "xlsx"]))
    flag = st.booleans()
    common = {
        "merge_down": draw(flag),
        "soft_hyphens": draw(flag),
        "executors_lines": draw(flag),
        "caps_title": draw(flag),
    }
    if kind == "xlsx":
        options = {"sections": draw(st.sampled_from(["merged", "split"]))}
        options |= {k: draw(flag) for k in ("cover_sheet", "dates", "numbers", "signature_below")}
        return name, kind, Layout("mixed", **common, **options)  # type: ignore[arg-type]
    flat = not any(s.tasks for s in _plan(name).sections)
    numberings = ["typed", "auto"] + (["dotted", "roman-dotted", "in-text"] if flat else [])
    numbering = draw(st.sampled_from(numberings))
    sections = ["merged", "split", "first", "word"]
    sections += ["arabic", "arabic-split"] if numbering == "dotted" else []
    options = {"numbering": numbering, "sections": draw(st.sampled_from(sections))}
    keys = ("tracked", "split_table", "signature_row", "nested", "heading_table")
    options |= {k: draw(flag) for k in keys}
    return name, kind, Layout("mixed", **common, **options)  # type: ignore[arg-type]


@pytest.mark.slow  # 30 documents written and read
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mixed())
def test_any_mix_of_layouts_reads_word_for_word(case: tuple[str, str, Layout]) -> None:
    name, kind, layout = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan.{kind}"
        want = WRITERS[kind](_plan(name), layout, path)
        result = import_generated(name, path)
    assert [i.message() for i in result.issues if i.severity == "error"] == []
    assert result.plan is not None
    assert differences(result.plan.to_dict() | {"source": ""}, want) == []
