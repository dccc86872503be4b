"""A season across an amendment, on both examples: 2021 reported on the plan as first
taken in, the amendment taken in from 2022, then 2022's forms, replies and report.
What must hold: last year's report does not change by a byte; each answer follows its
measure through renumbering, a split, a merge, a move; cumulative figures add up across
revisions; a late 2021 reply is still checked against the 2021 plan."""

from __future__ import annotations

import json
from pathlib import Path

from tests.revision_cycle import amend, fill, forms, report, row, rows, run, send, workspace
from toolkit.collect.outcome import FileOutcome
from toolkit.periods import Period
from toolkit.publish.site import publish

Y2021, Y2022 = Period(2021), Period(2022)
HLUKHIV = "hlukhiv-2020-2026"
LUHANSK = "luhansk-2018-2026"


def _codes(files: list[FileOutcome]) -> list[set[str]]:
    return [{i.code for i in f.issues} for f in files]


def test_hlukhiv_history_carry_over_and_cumulative_follow_each_measure(tmp_path: Path) -> None:
    ws = workspace(tmp_path, HLUKHIV)
    units = ("hmr-osvita", "hmr-tercentr", "hmr-ssd")
    made = forms(ws, Y2021, units)
    osvita = {
        "II.4": {"value": 1.0, "done": "У 2021 створено 1 інклюзивну групу."},
        "VI.1": {"value": 5.0, "done": "Видано 5 брошур."},
        "VI.3": {"value": 7.0, "done": "Проведено 7 нарад."},
        "II.18": {"value": 2.0, "done": "Кошти передбачено."},
        "VIII.5": {"value": 9.0},
    }
    replies = {
        "hmr-osvita": fill(made["hmr-osvita"], osvita),
        "hmr-tercentr": fill(made["hmr-tercentr"], {"III.3": {"value": 6.0}}),
    }
    assert all(f.verdict.startswith("accepted") for f in send(ws, Y2021, replies, "a"))
    xlsx_2021, before = report(ws, Y2021)
    json_2021, _ = report(ws, Y2021, "json")
    csv_2021, _ = report(ws, Y2021, "csv")
    assert row(before, "II.4").cumulative == 1.0 and row(before, "III.1").target == 97

    what = amend(ws, HLUKHIV)
    assert "Редакція 1: діє з періоду «2022 рік»" in run(ws, "plan", "revisions")
    assert "VIII.5" in run(ws, "plan", "show", "--period", "2021")
    assert "VIII.5" not in run(ws, "plan", "show", "--period", "2022")

    # last year's report, made again after the amendment: the very same bytes
    again, after = report(ws, Y2021)
    assert again == xlsx_2021 and after.amendment is None
    assert report(ws, Y2021, "json")[0] == json_2021
    assert report(ws, Y2021, "csv")[0] == csv_2021

    # 2022's forms: the new numbers, last year's answers carried to the same measures
    made22 = forms(ws, Y2022, units)
    carried = rows(made22["hmr-osvita"])
    assert "VIII.5" not in carried and "VIII.6" not in carried
    part1, part2 = what.split[1]
    assert carried[part1]["done"] == carried[part2]["done"] == osvita["II.4"]["done"]
    assert carried["VII.1"]["done"] == "VI.1: Видано 5 брошур.; VI.3: Проведено 7 нарад."
    assert carried["VII.1"]["status"] == "виконується"  # both parts said so
    assert carried["VIII.2"]["done"] == "Кошти передбачено."  # moved from II.18
    assert "IV.3" not in rows(made22["hmr-tercentr"])  # no longer its measure
    assert "IV.3" in rows(made22["hmr-ssd"])

    replies22 = {
        "hmr-osvita": fill(
            made22["hmr-osvita"],
            {part1: {"value": 3.0}, part2: {"value": 2.0}, "VII.1": {"value": 4.0}},
            {"status": "виконується", "done": "Роботу в 2022 продовжено.", "value": 3.0},
        ),
        "hmr-ssd": fill(made22["hmr-ssd"], {"IV.3": {"value": 10.0}}),
    }
    checked = send(ws, Y2022, replies22, "a")
    assert all(f.verdict.startswith("accepted") for f in checked)
    assert not any({"W_PLAN_CHANGED", "W_PLAN_OTHER_REVISION"} & c for c in _codes(checked))

    _, c = report(ws, Y2022)
    assert c.amendment is not None and c.amendment.decision == "№ 45 від 12.03.2022"
    assert row(c, part1).cumulative == 1.0 + 3.0  # each part of the split: the whole's history
    assert row(c, part2).cumulative == 1.0 + 2.0
    # the merged: both histories (osvita 5 and 7, the centre 1 and 1), then osvita 4, ssd 1
    assert row(c, "VII.1").cumulative == 5.0 + 7.0 + 1.0 + 1.0 + 4.0 + 1.0
    assert row(c, "VIII.2").cumulative == 2.0 + 3.0 + 1.0  # moved: osvita 2, 3; ssd 1
    assert row(c, "IV.3").cumulative == 6.0 + 10.0  # new executor, the old one's history
    assert row(c, "IV.1").target == 99
    kinds = {ch.kind for ch in c.amendment.changes}
    assert {"added", "removed", "merged", "split", "renumbered", "moved", "reworded"} <= kinds
    assert {"executors", "target", "section"} <= kinds
    assert ("II.4",) in {ch.old for ch in c.amendment.changes if ch.kind == "split"}
    doc = json.loads(report(ws, Y2022, "json")[0])
    assert doc["revision"]["effective"] == "2022" and len(doc["revision"]["changes"]) > 10

    # a late 2021 reply on the 2021 form: checked against the 2021 plan, counted in 2021
    late = fill(made["hmr-ssd"], {}, {"status": "виконано", "done": "Зроблено.", "value": 2.0})
    [f] = send(ws, Y2021, {"hmr-ssd": late}, "late")
    assert f.verdict.startswith("accepted"), _codes([f])
    assert not {"W_PLAN_CHANGED", "W_PLAN_OTHER_REVISION", "E_ROW_ADDED"} & _codes([f])[0]
    _, c21 = report(ws, Y2021)
    assert row(c21, "III.1").answers[0].reported or row(c21, "III.1").reported


def test_luhansk_renumbered_sections_keep_their_answers(tmp_path: Path) -> None:
    ws = workspace(tmp_path, LUHANSK)
    units = ("loda-ssd", "lo-cssdm")
    made = forms(ws, Y2021, units)
    ssd = {
        "III.1.1": {"value": 10.0, "done": "Створено 10 прийомних сімей."},
        "III.1.3": {"value": 4.0},
        "VIII.1.1": {"done": "Моніторинг проведено."},
        "VI.1.6": {"done": "Заходи до Дня усиновлення проведено."},
    }
    cssdm = {"IV.1.9": {"value": 20.0}, "IV.1.10": {"value": 30.0}}
    replies = {
        "loda-ssd": fill(made["loda-ssd"], ssd),
        "lo-cssdm": fill(made["lo-cssdm"], cssdm),
    }
    assert all(f.verdict.startswith("accepted") for f in send(ws, Y2021, replies, "a"))
    xlsx_2021, _ = report(ws, Y2021)

    what = amend(ws, LUHANSK)
    assert report(ws, Y2021)[0] == xlsx_2021

    made22 = forms(ws, Y2022, units)
    carried = rows(made22["loda-ssd"])
    # resources (VII) and monitoring (VIII) changed places: ids swapped, answers did not
    assert carried["VII.1.1"]["done"] == "Моніторинг проведено."
    assert carried["I.1.8"]["done"] == "Заходи до Дня усиновлення проведено."
    part1, part2 = what.split[1]
    assert carried[part1]["done"] == carried[part2]["done"] == ssd["III.1.1"]["done"]
    kept = {"done": "Моніторинг проведено."}  # the carried text left as it was
    replies22 = {
        "loda-ssd": fill(
            made22["loda-ssd"],
            {part1: {"value": 5.0}, part2: {"value": 1.0}, "VII.1.1": kept},
            {"status": "виконується", "done": "У 2022 роботу продовжено.", "value": 1.0},
        ),
        "lo-cssdm": fill(
            made22["lo-cssdm"],
            {"IV.1.9": {"value": 15.0}},
            {"status": "виконується", "done": "У 2022 роботу продовжено.", "value": 1.0},
        ),
    }
    checked = send(ws, Y2022, replies22, "a")
    assert all(f.verdict.startswith("accepted") for f in checked)
    # last year's words are recognised on the measure they were written for, now VII.1.1
    unchanged = {i.where.measure for f in checked for i in f.issues if i.code == "W_TEXT_UNCHANGED"}
    assert unchanged == {"VII.1.1"}
    _, c = report(ws, Y2022)
    # lo-cssdm executes the split measure too and reported 1 in each year
    assert row(c, part1).cumulative == 10.0 + 1.0 + 5.0 + 1.0
    assert row(c, part2).cumulative == 10.0 + 1.0 + 1.0 + 1.0
    assert row(c, "IV.1.9").cumulative == 20.0 + 30.0 + 15.0  # merged
    assert row(c, "III.1.4").target == 35
    assert row(c, "III.1.4").cumulative == 4.0 + 1.0 + 1.0 + 1.0
    assert "VI.1.5" not in {r.measure.key for r in c.rows}  # deleted: gone from the report

    # the public page of both years compares each measure with itself, under its new number
    site = publish(ws, (Y2021, Y2022), tmp_path / "site")
    before, after = site.views
    was = {m.key: m for m in before.measures}
    now = {m.number: m for m in after.measures}
    assert now["VII.1.1"].key == "VIII.1.1" and "VIII.1.1" in was  # renumbered, on both pages
    changed = json.loads((site.folder / "data" / "changes.json").read_text(encoding="utf-8"))
    rows_ = changed["rows"]
    assert rows_
    for r in rows_:
        if r["status"] is None:  # on the earlier page only: named by its number there
            gone = [m for m in before.measures if m.number == r["measureNumber"]]
            assert [m.status for m in gone] == [r["previousStatus"]], r
            continue
        same = was.get(now[r["measureNumber"]].key)
        assert r["previousStatus"] == (same.status if same else None), r


def test_a_form_made_before_the_amendment_counts_for_the_same_measures(tmp_path: Path) -> None:
    """2022's forms went out on the old plan; the amendment came after. Each reply is
    checked against the revision it was made with, said to be of another revision, and
    counted for the measures that kept their identity — never for a split or merged one."""
    ws = workspace(tmp_path, HLUKHIV)
    early = forms(ws, Y2022, ("hmr-osvita",))["hmr-osvita"]  # before the amendment
    what = amend(ws, HLUKHIV)
    reply = fill(early, {"II.3": {"value": 80.0}, "II.4": {"value": 2.0}})
    [f] = send(ws, Y2022, {"hmr-osvita": reply}, "early")
    assert f.verdict == "accepted_with_warnings"
    found = _codes([f])[0]
    assert "W_PLAN_OTHER_REVISION" in found and "E_ROW_ADDED" not in found
    assert "E_ROW_REMOVED" not in found and "W_PLAN_CHANGED" not in found
    _, c = report(ws, Y2022)
    assert row(c, "III.3").value == 80.0  # II.3 renumbered: the same measure
    part1, part2 = what.split[1]
    assert row(c, part1).value is None and row(c, part2).value is None  # II.4 was split
    retired = {i.where.measure for i in c.issues if i.code == "W_REPORT_MEASURE_RETIRED"}
    assert {"II.4", *what.merged[0]} <= retired
    assert what.deleted in retired
