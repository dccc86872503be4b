"""Every ``issue("CODE", …)`` written in the package and its tests names a code of the catalog
and exactly its parameters; every code the catalog keeps live is raised somewhere, and a
retired one nowhere. ``issue()`` checks the same at run time (tested below) — this finds
a wrong call before any test happens to run it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.issues import Location, catalog, issue
from toolkit.messages import placeholders

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve()
# this file's own wrong calls are on purpose
SOURCES = sorted(
    p for p in [*(ROOT / "toolkit").rglob("*.py"), *(ROOT / "tests").rglob("*.py")] if p != HERE
)


def _calls() -> Iterator[tuple[str, ast.Call, str]]:
    """(where, call, code) for each call of ``issue`` whose code is written out."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "issue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node, node.args[0].value


def test_the_walk_finds_the_calls() -> None:
    found = list(_calls())
    assert len(found) > 100
    assert any(w.startswith("toolkit/validate/values.py") for w, _, _ in found)


def test_every_written_call_names_a_live_code_and_its_parameters() -> None:
    wrong = []
    for where, call, code in _calls():
        info = catalog().get(code)
        if info is None or info.retired:
            wrong.append(f"{where}: {code} is {'retired' if info else 'unknown'}")
            continue
        named = {k.arg for k in call.keywords if k.arg is not None}
        spread = any(k.arg is None for k in call.keywords)  # **params: checked at run time
        unexpected = named - set(info.params)
        missing = set(info.params) - info.optional - named
        if unexpected or (missing and not spread):
            wrong.append(
                f"{where}: {code} unexpected {sorted(unexpected)}, missing {sorted(missing)}"
            )
    assert not wrong, "\n".join(wrong)


def test_every_live_code_is_raised_somewhere_and_no_retired_one() -> None:
    """A code is raised where its id is written in the package (in an ``issue`` call, or a
    table of codes the package picks from)."""
    written: set[str] = set()
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                written.add(node.value)
    live = {code for code, info in catalog().items() if not info.retired}
    retired = set(catalog()) - live
    assert not live - written, f"never raised: {sorted(live - written)}"
    assert not retired & written, f"retired, yet raised: {sorted(retired & written)}"


def test_catalog_params_cover_the_templates() -> None:
    for info in catalog().values():
        assert info.optional <= set(info.params), info.code
        for lang, texts in info.texts.items():
            for part in ("what", "fix"):
                used = placeholders(texts[part])
                assert used <= set(info.params), (info.code, lang, part, used)


def test_issue_refuses_what_the_catalog_does_not_name() -> None:
    where = Location(file="x.xlsx")
    assert issue("E_TIMEOUT", where, seconds=60).params == {"seconds": 60}
    with pytest.raises(TypeError, match=r"missing \['seconds'\]"):
        issue("E_TIMEOUT", where)
    with pytest.raises(TypeError, match=r"unexpected parameters \['second'\]"):
        issue("E_TIMEOUT", where, seconds=60, second=1)
    with pytest.raises(KeyError, match="not in the catalog"):
        issue("E_NO_SUCH_CODE", where)
    with pytest.raises(KeyError, match="retired"):
        issue("W_FORM_DEFINITION_CHANGED", where)


def test_an_optional_parameter_may_be_left_out() -> None:
    assert issue("E_CORRUPT", detail="zlib").params == {"detail": "zlib"}
    both = issue("E_CORRUPT", detail="x", exception="KeyError")
    assert both.params == {"detail": "x", "exception": "KeyError"}
