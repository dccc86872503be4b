"""Amended versions of the two example plans, made the way an amending decision changes a
plan: a section inserted (every later section and its measures renumbered), a measure
split in two, two merged into one, one deleted, one added, an executor changed, a target
raised, a measure reworded. Each is a plan.yaml a coordinator could have edited by hand,
and (``amended_docx``) a Word table like the one the decision is published as."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.yamlio import load, save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


@dataclass(frozen=True)
class Amendment:
    """What the amended plan did, in the ids of the plan before (``old``) and after."""

    example: str
    split: tuple[str, tuple[str, str]]  # old id → its two parts
    merged: tuple[tuple[str, str], str]  # two old ids → the new one
    deleted: str
    added: str
    executor: tuple[str, str, str]  # old id, new id, the unit that now executes it
    target: tuple[str, str, float, float]  # old id, new id, target before, after
    reworded: tuple[str, str]  # old id → new id
    renumbered: tuple[str, str]  # a measure of a renumbered section: old id → new id
    moved: tuple[str, str]  # a measure moved to another section: old id → new id


def _measure(
    mid: str, number: str, text: str, executors: list[tuple[str, str]], indicator: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": mid,
        "number": number,
        "text": text,
        "deadline": {
            "raw": "2022-2026",
            "start": "2022-01-01",
            "end": "2026-12-31",
            "repeat": "continuous",
        },
        "executors": {
            "raw": ", ".join(p for _, p in executors),
            "refs": [{"id": u, "phrase": p, "by_consent": False} for u, p in executors],
            "unresolved": [],
        },
        "indicator": indicator,
    }


def _find(data: dict[str, Any], mid: str) -> tuple[list[dict[str, Any]], int]:
    for s in data["sections"]:
        for holder in [s, *s.get("tasks", [])]:
            for i, m in enumerate(holder.get("measures", [])):
                if m["id"] == mid:
                    return holder["measures"], i
    raise KeyError(mid)


def _renumber(data: dict[str, Any], style: str) -> None:
    """Sections, tasks and measures numbered by their place, as a decision prints them."""
    for si, s in enumerate(data["sections"]):
        sid = ROMAN[si]
        s["id"], s["number"] = sid, f"{sid}."
        if s.get("tasks"):
            for ti, task in enumerate(s["tasks"], start=1):
                task["id"], task["number"] = f"{sid}.{ti}", f"{ti}."
                for mi, m in enumerate(task["measures"], start=1):
                    m["id"], m["number"] = f"{sid}.{ti}.{mi}", f"{mi}{style}"
        for mi, m in enumerate(s.get("measures", []), start=1):
            m["id"], m["number"] = f"{sid}.{mi}", f"{mi}{style}"


def amend_hlukhiv(data: dict[str, Any]) -> Amendment:
    d = data
    holder, i = _find(d, "II.4")
    whole = holder[i]
    first = copy.deepcopy(whole) | {
        "text": "Забезпечення доступу до освіти дітям дошкільного віку шляхом створення "
        "додаткових місць у закладах дошкільної освіти",
        "indicator": {"raw": "Створено 40 додаткових місць", "target": 40, "unit": "місць"},
    }
    second = copy.deepcopy(whole) | {
        "text": "Забезпечення доступу до дошкільної освіти дітям з обмеженнями можливостей "
        "шляхом створення інклюзивних груп",
    }
    holder[i : i + 1] = [first, second]
    holder, i = _find(d, "VI.1")
    holder[i]["text"] = (
        "Розробка інформаційно-роз’яснювальних матеріалів (брошури, листівки, плакати, "
        "буклети) та проведення круглих столів, нарад з актуальних питань щодо реформування "
        "системи інституційного догляду та виховання дітей"
    )
    holder[i]["deadline"] = copy.deepcopy(_find(d, "VI.3")[0][_find(d, "VI.3")[1]]["deadline"])
    holder, i = _find(d, "VI.3")
    del holder[i]
    holder, i = _find(d, "VIII.5")
    del holder[i]
    holder, i = _find(d, "III.3")
    holder[i]["executors"] = {
        "raw": "Служба у справах дітей міської ради",
        "refs": [{"id": "hmr-ssd", "phrase": "Служба у справах дітей міської ради"}],
        "unresolved": [],
    }
    holder, i = _find(d, "III.1")
    holder[i]["indicator"] = {
        "raw": holder[i]["indicator"]["raw"].replace("97%", "99%"),
        "target": 99,
        "unit": "%",
    }
    holder, i = _find(d, "III.2")
    holder[i]["text"] = "Своєчасне і повне " + holder[i]["text"][len("Своєчасне ") :]
    holder, i = _find(d, "II.18")  # funding the plan: moved to the section on resources
    moved = holder.pop(i)
    holder, i = _find(d, "VII.1")
    holder.append(moved)
    new_section = {
        "id": "II",
        "number": "II.",
        "title": "Нормативно-правове забезпечення реформування",
        "measures": [
            _measure(
                "II.1",
                "1.",
                "Затвердження порядку взаємодії суб'єктів захисту прав дітей на території громади",
                [("hmr-ssd", "Служба у справах дітей міської ради")],
                {"raw": "Затверджено порядок взаємодії", "target": None, "unit": None},
            )
        ],
    }
    d["sections"].insert(1, new_section)
    _renumber(d, ".")
    return Amendment(
        "hlukhiv-2020-2026",
        split=("II.4", ("III.4", "III.5")),
        merged=(("VI.1", "VI.3"), "VII.1"),
        deleted="VIII.5",
        added="II.1",
        executor=("III.3", "IV.3", "hmr-ssd"),
        target=("III.1", "IV.1", 97.0, 99.0),
        reworded=("III.2", "IV.2"),
        renumbered=("II.3", "III.3"),
        moved=("II.18", "VIII.2"),
    )


def amend_luhansk(data: dict[str, Any]) -> Amendment:
    d = data
    holder, i = _find(d, "III.1.1")
    whole = holder[i]
    first = copy.deepcopy(whole) | {
        "text": "забезпечення розвитку мережі прийомних сімей для влаштування дітей-сиріт",
        "indicator": {
            "raw": "створено 80 прийомних сімей",
            "target": 80,
            "unit": "прийомних сімей",
        },
    }
    second = copy.deepcopy(whole) | {
        "text": "забезпечення розвитку мережі прийомних сімей для влаштування дітей, "
        "позбавлених батьківського піклування",
        "indicator": {
            "raw": "створено 35 прийомних сімей",
            "target": 35,
            "unit": "прийомних сімей",
        },
    }
    holder[i : i + 1] = [first, second]
    holder, i = _find(d, "IV.1.9")
    merged = holder[i]
    merged["text"] = (
        "забезпечення персоналом послуг соціального супроводу сімей (осіб), які перебувають "
        "у складних життєвих обставинах, та сімей, в яких виховуються діти-сироти і діти, "
        "позбавлені батьківського піклування"
    )
    merged["indicator"] = {"raw": "445 посад", "target": 445, "unit": "посад"}
    holder, i = _find(d, "IV.1.10")
    del holder[i]
    holder, i = _find(d, "VI.1.5")
    del holder[i]
    holder, i = _find(d, "II.4.4")
    holder.insert(
        i + 1,
        _measure(
            "II.4.99",
            "99)",
            "запровадження послуги раннього втручання для сімей з дітьми віком до 4 років",
            [("loda-szn", "департамент соціального захисту населення облдержадміністрації")],
            {"raw": "послугу запроваджено", "target": None, "unit": None},
        ),
    )
    holder, i = _find(d, "III.1.5")
    refs = holder[i]["executors"]["refs"]
    holder[i]["executors"]["refs"] = [r for r in refs if r["id"] != "sos-lov"]
    holder[i]["executors"]["raw"] = ", ".join(r["phrase"] for r in holder[i]["executors"]["refs"])
    holder, i = _find(d, "III.1.3")
    holder[i]["indicator"] = {"raw": "створено 35 сімей патронатного виховання", "target": 35}
    holder[i]["indicator"]["unit"] = "сімей патронатного виховання"
    holder, i = _find(d, "II.4.16")
    holder[i]["text"] = holder[i]["text"].replace("підготовка кандидатів", "навчання кандидатів")
    holder, i = _find(d, "VI.1.6")  # the days of adoption: moved to coordination
    moved = holder.pop(i)
    holder, i = _find(d, "I.1.7")
    holder.append(moved)
    # the sections on resources and on monitoring change places: every id in both changes
    sections = d["sections"]
    sections[6], sections[7] = sections[7], sections[6]
    _renumber(d, ")")
    return Amendment(
        "luhansk-2018-2026",
        split=("III.1.1", ("III.1.1", "III.1.2")),
        merged=(("IV.1.9", "IV.1.10"), "IV.1.9"),
        deleted="VI.1.5",
        added="II.4.5",
        executor=("III.1.5", "III.1.6", "sos-lov"),
        target=("III.1.3", "III.1.4", 29.0, 35.0),
        reworded=("II.4.16", "II.4.17"),
        renumbered=("VII.1.1", "VIII.1.1"),
        moved=("VI.1.6", "I.1.8"),
    )


AMEND = {"hlukhiv-2020-2026": amend_hlukhiv, "luhansk-2018-2026": amend_luhansk}


def amended_plan(example: str, path: Path) -> Amendment:
    """Write the amended plan.yaml of ``example`` to ``path``."""
    data, _ = load(EXAMPLES / example / "plan.yaml")
    what = AMEND[example](data)
    save(path, data)
    return what
