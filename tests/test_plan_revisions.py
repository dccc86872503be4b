"""``zvit plan amend`` and the revisions of a plan: matching, the mapping file a person
confirms, keys that carry a measure's identity, what the difference says, and that a plan
never amended stays exactly as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.amend_support import EXAMPLES, amended_plan
from tests.revision_cycle import amend, run, workspace
from toolkit.cli import cli
from toolkit.forms.identity import plan_fingerprint
from toolkit.periods import Period
from toolkit.plan.amend import rekeyed, with_keys
from toolkit.plan.changes import plan_changes
from toolkit.plan.io import load_plan, save_plan
from toolkit.plan.matching import match
from toolkit.plan.revisions import Revision, Revisions
from toolkit.yamlio import load, save

HLUKHIV = "hlukhiv-2020-2026"
LUHANSK = "luhansk-2018-2026"


def _amend(ws_root: Path, source: Path, *extra: str, effective: str = "2022") -> tuple[int, str]:
    args = ["-w", str(ws_root), "plan", "amend", str(source), "--effective", effective, *extra]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


@pytest.mark.parametrize("example", [HLUKHIV, LUHANSK])
def test_a_plan_never_amended_is_written_and_fingerprinted_as_before(
    example: str, tmp_path: Path
) -> None:
    source = EXAMPLES / example / "plan.yaml"
    plan = load_plan(source)
    assert all(m.key == m.id and not m.follows for m in plan.measures())
    save_plan(plan, tmp_path / "again.yaml")
    assert (tmp_path / "again.yaml").read_bytes() == source.read_bytes()
    ws = workspace(tmp_path, example)
    assert not ws.revisions().amended
    assert ws.plan(Period(2021)) is ws.plan() is ws.revisions().latest.plan
    # the key is part of the fingerprint only once it differs from the id
    keys = {m.id: (m.id, ()) for m in plan.measures()}
    assert plan_fingerprint(rekeyed(plan, keys)) == plan_fingerprint(plan)
    first = next(plan.measures()).id
    renamed = rekeyed(plan, keys | {first: (first + "/2022", ())})
    assert plan_fingerprint(renamed) != plan_fingerprint(plan)


@pytest.mark.parametrize("example", [HLUKHIV, LUHANSK])
def test_amend_asks_about_splits_and_merges_then_keeps_the_revision(
    example: str, tmp_path: Path
) -> None:
    ws = workspace(tmp_path, example)
    source = tmp_path / "amended.yaml"
    what = amended_plan(example, source)
    code, out = _amend(ws.root, source, "--decision", "№ 45")
    assert code == 1 and "plan-mapping-2022.yaml" in out
    assert not (ws.root / "revisions.yaml").exists()
    mapping, _ = load(ws.root / "plan-mapping-2022.yaml")
    proposed = {e["new"]: e["old"] for e in mapping["measures"]}
    # the split: both parts continue the whole; the merge: one measure continues both
    for part in what.split[1]:
        assert proposed[part] == [what.split[0]]
    assert sorted(proposed[what.merged[1]]) == sorted(what.merged[0])
    assert mapping["removed"] == [what.deleted] and proposed[what.added] == []
    assert proposed[what.renumbered[1]] == [what.renumbered[0]]
    assert proposed[what.moved[1]] == [what.moved[0]]

    code, out = _amend(ws.root, source, "--mapping", str(ws.root / "plan-mapping-2022.yaml"))
    assert code == 1 and "E_MAPPING_UNCONFIRMED" in out  # nobody said it was checked
    mapping["confirmed"] = True
    save(ws.root / "plan-mapping-2022.yaml", mapping)
    code, out = _amend(ws.root, source, "--mapping", str(ws.root / "plan-mapping-2022.yaml"))
    assert code == 0, out
    assert "цільове значення збільшено" in out and "заходи об'єднано" in out
    revs = ws.revisions()
    old, new = revs.items
    assert new.effective == Period(2022) and new.decision == ""
    assert revs.in_force(Period(2021)) is old and revs.in_force(Period(2023)) is new
    whole = old.by_id[what.split[0]].key
    first, second = (new.by_id[p] for p in what.split[1])
    assert first.key == whole and second.follows == (whole,) and second.key != whole
    merged = new.by_id[what.merged[1]]
    assert {merged.key, *merged.follows} == {old.by_id[o].key for o in what.merged[0]}
    assert new.by_id[what.renumbered[1]].key == what.renumbered[0]
    assert new.by_id[what.added].key not in {m.key for m in old.plan.measures()}
    assert what.deleted not in new.by_key
    ids = revs.id_map(old, new, lineage=True)
    assert ids[what.split[0]] == what.split[1]
    assert all(ids[o] == (what.merged[1],) for o in what.merged[0])
    assert ids[what.deleted] == ()
    direct = revs.id_map(old, new, lineage=False)
    assert direct[what.split[0]] == () and direct[what.merged[0][0]] == ()
    assert direct[what.renumbered[0]] == (what.renumbered[1],)


def test_the_mapping_file_is_checked_before_it_is_used(tmp_path: Path) -> None:
    ws = workspace(tmp_path, HLUKHIV)
    source = tmp_path / "amended.yaml"
    what = amended_plan(HLUKHIV, source)
    _amend(ws.root, source)
    path = ws.root / "plan-mapping-2022.yaml"
    good, _ = load(path)
    good["confirmed"] = True

    def attempt(data: dict[str, object]) -> str:
        save(path, data)
        code, out = _amend(ws.root, source, "--mapping", str(path))
        assert code == 1
        return out

    unaccounted = good | {"removed": []}
    assert "E_MAPPING_UNACCOUNTED" in attempt(unaccounted) and what.deleted in attempt(unaccounted)
    both = good | {"removed": [what.deleted, what.renumbered[0]]}
    assert "E_MAPPING_BOTH" in attempt(both)
    unknown = good | {"measures": [*good["measures"], {"new": "IX.9", "old": ["XX.1"]}]}
    out = attempt(unknown)
    assert "E_MAPPING_UNKNOWN_NEW" in out and "E_MAPPING_UNKNOWN_OLD" in out
    missing = good | {"measures": good["measures"][1:]}
    assert "E_MAPPING_MISSING" in attempt(missing)
    assert "E_MAPPING_STALE" in attempt(good | {"amended": "0" * 16})
    assert not (ws.root / "revisions.yaml").exists()
    # corrected by the coordinator: the added measure continues the deleted one
    fixed = good | {"removed": []}
    fixed["measures"] = [
        e | {"old": [what.deleted]} if e["new"] == what.added else e for e in good["measures"]
    ]
    save(path, fixed)
    code, out = _amend(ws.root, source, "--mapping", str(path))
    assert code == 0, out
    new = ws.revisions().latest
    assert new.by_id[what.added].key == what.deleted


def test_effective_periods_only_move_forward_and_a_dry_run_keeps_nothing(tmp_path: Path) -> None:
    ws = workspace(tmp_path, HLUKHIV)
    source = tmp_path / "amended.yaml"
    amended_plan(HLUKHIV, source)
    code, out = _amend(ws.root, source, "--dry-run")
    assert code == 1 and "--dry-run" in out and not (ws.root / "plan-mapping-2022.yaml").exists()
    amend(ws, HLUKHIV)
    code, out = _amend(ws.root, source)
    assert code == 2 and "пізніше за останню редакцію" in out
    # the same plan again, later: nothing to take in
    args = ["-w", str(ws.root), "plan", "amend", str(ws.root / "revisions" / "plan-2022.yaml")]
    result = CliRunner().invoke(cli, [*args, "--effective", "2024"])
    assert result.exit_code == 2 and "не відрізняється" in result.output
    listed = run(ws, "plan", "revisions")
    assert "Редакція 0" in listed and "№ 45 від 12.03.2022" in listed


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _renumber(node: dict[str, Any], old: str, new: str) -> None:
    """A section moved to place ``new``: its number and every id under it follow."""
    if node.get("id") == old:
        node["number"] = f"{new}."
    if isinstance(node.get("id"), str) and (node["id"] == old or node["id"].startswith(old + ".")):
        node["id"] = new + node["id"][len(old) :]
    for child in node.get("tasks", []) + node.get("measures", []):
        _renumber(child, old, new)


def test_a_second_amendment_follows_measures_through_both(tmp_path: Path) -> None:
    ws = workspace(tmp_path, LUHANSK)
    what = amend(ws, LUHANSK)
    second = ws.revisions().latest.plan
    data = second.to_dict()
    data["sections"].reverse()  # a third revision that only reorders the sections
    moved = {s["id"]: ROMAN[n] for n, s in enumerate(data["sections"])}
    for s in data["sections"]:  # and numbers them, and their measures, anew
        _renumber(s, s["id"], moved[s["id"]])

    def renamed(measure: str) -> str:
        section, rest = measure.split(".", 1)
        return f"{moved[section]}.{rest}"

    path = tmp_path / "third.yaml"
    save(path, data)
    code, out = _amend(ws.root, path, effective="2024")
    assert code == 0, out
    revs = ws.revisions()
    first, _, third = revs.items
    ids = revs.id_map(first, third, lineage=True)
    # split in the second, kept (renumbered) in the third
    assert ids[what.split[0]] == tuple(renamed(m) for m in what.split[1])
    assert set(ids[what.merged[0][1]]) == {renamed(what.merged[1])}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_renumbering_alone_is_matched_by_text_whatever_the_order(rnd: object) -> None:
    """Any reordering of the measures within their sections, renumbered by place: every
    measure is matched by its words, and only numbers change."""
    import random

    assert isinstance(rnd, random.Random)
    plan = load_plan(EXAMPLES / HLUKHIV / "plan.yaml")
    sections = []
    for s in plan.sections:
        ms = list(s.measures)
        rnd.shuffle(ms)
        ms = [dataclasses.replace(m, id=f"{s.id}.{i}", key="") for i, m in enumerate(ms, 1)]
        sections.append(dataclasses.replace(s, measures=tuple(ms)))
    shuffled = dataclasses.replace(plan, sections=tuple(sections))
    found = match(plan, shuffled)
    assert found.decided and not found.removed
    by_text = {m.text: m.id for m in plan.measures()}
    assert {n: o[0] for n, o in found.links.items()} == {
        m.id: by_text[m.text] for m in shuffled.measures()
    }
    rev0 = Revision(0, Period(2020), "", plan, "plan.yaml")
    keyed = with_keys(shuffled, found.links, rev0, Revisions((rev0,)), Period(2022))
    assert {c.kind for c in plan_changes(plan, keyed)} <= {"renumbered"}
    assert {m.key for m in keyed.measures()} == {m.id for m in plan.measures()}


def test_revisions_left_from_another_plan_are_refused(tmp_path: Path) -> None:
    ws = workspace(tmp_path, HLUKHIV)
    amend(ws, HLUKHIV)
    before = (ws.root / "plan.yaml").read_bytes()
    result = CliRunner().invoke(
        cli, ["init", str(ws.root), "--from", str(EXAMPLES / LUHANSK), "--force"]
    )
    assert result.exit_code == 2 and "revisions.yaml" in result.output
    assert (ws.root / "plan.yaml").read_bytes() == before  # nothing replaced
    # and should the list be left beside another plan all the same, it is refused
    (ws.root / "plan.yaml").write_bytes((EXAMPLES / LUHANSK / "plan.yaml").read_bytes())
    shown = CliRunner().invoke(cli, ["-w", str(ws.root), "plan", "show", "--period", "2023"])
    assert shown.exit_code == 1 and "E_REVISION_OTHER_PLAN" in shown.output
