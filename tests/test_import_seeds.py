"""The bundled examples come from the seed texts: importing each seed reproduces its
plan, nothing of the table is lost or invented, and each field reads as in the seed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from toolkit.plan.check import check_plan
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.overrides import Overrides
from toolkit.yamlio import dumps

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COUNTS = {"luhansk-2018-2026": (8, 95), "hlukhiv-2020-2026": (8, 47)}


def _import(name: str) -> tuple[Plan, list[str]]:
    folder = EXAMPLES / name
    result = import_plan(
        folder / "source.txt",
        load_registry(folder / "units.yaml"),
        Overrides.load(folder / "overrides.yaml"),
    )
    assert result.plan is not None and result.ok
    return result.plan, [i.code for i in result.issues]


@pytest.mark.parametrize("name", COUNTS)
def test_import_reproduces_the_example(name: str) -> None:
    plan, _ = _import(name)
    saved = load_plan(EXAMPLES / name / "plan.yaml")
    assert dumps(plan.to_dict()) == dumps(saved.to_dict())
    sections, measures = COUNTS[name]
    assert len(plan.sections) == sections
    assert sum(1 for _ in plan.measures()) == measures


@pytest.mark.parametrize("name", COUNTS)
def test_example_passes_plan_check(name: str) -> None:
    folder = EXAMPLES / name
    plan = load_plan(folder / "plan.yaml")
    assert check_plan(plan, load_registry(folder / "units.yaml"), "plan.yaml") == []
    assert all(m.executors.refs and not m.executors.unresolved for m in plan.measures())


def test_luhansk_repairs_are_listed() -> None:
    _, codes = _import("luhansk-2018-2026")
    counts = Counter(codes)
    assert counts["I_REPAIR_OCR_NUMBER"] == 4
    assert counts["I_REPAIR_SHIFTED"] == 4
    assert counts["I_REPAIR_DUPLICATE"] == 1
    assert counts["I_REPAIR_CONSENT"] == 1
    assert counts["I_REPAIR_HEADER_ROW"] == 1
    assert counts["I_REPAIR_CONTINUATION"] >= 15


def _seed_table_words(name: str) -> list[str]:
    text = (EXAMPLES / name / "source.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s*(<b>)?[IІ]\.\s", line))
    words: list[str] = []
    for line in lines[start:]:
        if re.match(r"^\s*(Начальник|Керуючий справами)", line):
            break
        cells = [c.strip() for c in line.split("\t")]
        if [c for c in cells if c] in ([str(i) for i in range(1, n + 1)] for n in (5, 6)):
            continue  # the row of column numbers repeated at each page
        if set("".join(cells)) <= {"-"} or cells == ["", "33"]:
            continue  # a rule line, the stray page number
        line = re.sub(r"</?b>", "", line)
        words += ["6)" if w == "б)" else w for w in line.split()]
    return words


def _plan_words(plan: Plan) -> list[str]:
    words: list[str] = []
    headings: set[str] = set()
    for s in plan.sections:
        words += f"{s.number} {s.title}".split()
        for t in s.tasks:
            words += f"{t.number} {t.title}".split()
        for m in s.all_measures():
            if m.heading and m.heading not in headings:
                headings.add(m.heading)
                words += m.heading.split()
            fields = (m.number, m.text, m.deadline.raw, m.executors.raw, m.indicator.raw)
            words += " ".join(fields).split()
    return words


def test_luhansk_words_are_those_of_the_seed() -> None:
    plan = load_plan(EXAMPLES / "luhansk-2018-2026" / "plan.yaml")
    seed, ours = Counter(_seed_table_words("luhansk-2018-2026")), Counter(_plan_words(plan))
    printed_twice = Counter()
    for mid in ("IV.1.13", "IV.1.14", "IV.1.15", "IV.1.16"):
        m = plan.measure(mid)
        fields = (m.number, m.text, m.deadline.raw, m.executors.raw, m.indicator.raw)
        printed_twice += Counter(" ".join(fields).lower().split())
    lowered = lambda c: Counter({k.lower(): v for k, v in c.items()})  # noqa: E731
    assert ours - seed == Counter()
    assert lowered(seed - ours) == printed_twice


def test_hlukhiv_words_are_those_of_the_seed() -> None:
    plan = load_plan(EXAMPLES / "hlukhiv-2020-2026" / "plan.yaml")
    seed, ours = Counter(_seed_table_words("hlukhiv-2020-2026")), Counter(_plan_words(plan))
    assert ours - seed == Counter()
    assert seed - ours == Counter()


@pytest.mark.parametrize("name", COUNTS)
def test_each_field_reads_as_in_the_seed(name: str) -> None:
    """A field is the seed's words in order, split at most by page breaks and repairs."""
    seed = " " + " ".join(_seed_table_words(name)) + " "
    plan = load_plan(EXAMPLES / name / "plan.yaml")
    for m in plan.measures():
        for text in (m.text, m.deadline.raw, m.executors.raw, m.indicator.raw):
            assert _chunks(text.split(), seed) <= 3, (m.id, text)


def _chunks(words: list[str], seed: str) -> int:
    """How many runs of consecutive seed words make up ``words`` (longest runs first)."""
    i = chunks = 0
    while i < len(words):
        low, high = i, len(words)  # words[i:low] is in the seed; find the longest such run
        while low < high:
            mid = (low + high + 1) // 2
            if f" {' '.join(words[i:mid])} " in seed:
                low = mid
            else:
                high = mid - 1
        assert low > i, f"«{words[i]}» is not in the seed"
        chunks += 1
        i = low
    return chunks
