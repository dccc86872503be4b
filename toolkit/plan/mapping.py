"""The mapping file: what ``zvit plan amend`` could not decide, for the coordinator to
confirm or correct, and then give back with ``--mapping``.

It lists every measure of the amended plan with the measures of the revision before it
that it continues (``old``), the doubtful ones first and marked, then ``removed``: the
measures that end. The texts are in comments, so the file is read and edited by hand;
``confirmed: true`` says a person has checked it. The fingerprints tie it to the two plans
it was made for: a file made for another plan or another revision is refused."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.fsutil import atomic_write_text
from toolkit.issues import Issue, Location, issue
from toolkit.messages import DEFAULT_LANG, Lang, t
from toolkit.periods import Period
from toolkit.plan.changes import short
from toolkit.plan.io import load_checked
from toolkit.plan.matching import Matching
from toolkit.plan.model import Measure, Plan

SCHEMA = "zvit-plan-mapping/1"


@dataclass(frozen=True)
class Mapping:
    links: dict[str, tuple[str, ...]]
    removed: tuple[str, ...]


def write_mapping(
    path: Path,
    matching: Matching,
    old: Plan,
    new: Plan,
    fps: tuple[str, str],
    periods: tuple[Period, Period],
    lang: Lang = DEFAULT_LANG,
) -> None:
    """``fps``: the fingerprints of the previous revision and of the amended plan;
    ``periods``: when each takes effect. Its comments are in ``lang``."""
    olds = {m.id: m for m in old.measures()}
    lines = [t("revisions.mapping.header", lang, previous=periods[0], effective=periods[1])]
    lines += [
        f"schema: {SCHEMA}",
        f"effective: {_q(str(periods[1]))}",
        f"previous: {_q(fps[0])}",
        f"amended: {_q(fps[1])}",
        "confirmed: false",
        "measures:",
    ]
    doubtful = [m for m in new.measures() if m.id in matching.proposed]
    sure = [m for m in new.measures() if m.id not in matching.proposed]
    for m in doubtful:
        cands = [
            "  #   "
            + t(
                "revisions.mapping.candidate",
                lang,
                id=oid,
                text=_c(olds[oid].text),
                score=f"{v:.2f}",
            )
            for oid, v in matching.proposed[m.id]
        ]
        mark = t("revisions.mapping.doubtful", lang)
        lines += _entry(m, mark, list(matching.suggested.get(m.id, ())), cands)
    for m in sure:
        lines += _entry(m, _how(matching, m.id, lang), list(matching.links.get(m.id, ())))
    lines.append("removed:")
    for oid in matching.removed:
        lines.append(f"  # {oid} «{_c(olds[oid].text)}»")
        lines.append(f"  - {_q(oid)}")
    if not matching.removed:
        lines[-1] = "removed: []"
    atomic_write_text(path, "\n".join(lines) + "\n")


def _entry(m: Measure, note: str, old: list[str], notes: list[str] | None = None) -> list[str]:
    return [
        f"  # {note}: {m.id} «{_c(m.text)}»",
        *(notes or []),
        f"  - new: {_q(m.id)}",
        f"    old: [{', '.join(_q(o) for o in old)}]",
    ]


def _how(matching: Matching, nid: str, lang: Lang) -> str:
    how = matching.how.get(nid)
    if how == "text":
        return t("revisions.mapping.same", lang)
    if how == "similar":
        olds = matching.links[nid]
        score = f"{matching.scores.get((nid, olds[0]), 0):.2f}"
        return t("revisions.mapping.similar", lang, score=score)
    return t("revisions.mapping.new", lang)


def _q(text: str) -> str:
    """A YAML scalar that stays a string, whatever it holds (JSON is YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _c(text: str) -> str:
    """A plan's words in a comment: one line, never ending the comment."""
    return short(text, 100).replace("\r", " ").replace("\n", " ")


def read_mapping(
    path: Path, old: Plan, new: Plan, fps: tuple[str, str]
) -> tuple[Mapping | None, list[Issue]]:
    data, lines = load_checked(path, "mapping.schema.json")
    where = Location(file=path.name)
    if (data["previous"], data["amended"]) != fps:
        return None, [issue("E_MAPPING_STALE", where)]
    if not data["confirmed"]:
        return None, [issue("E_MAPPING_UNCONFIRMED", where)]
    olds = {m.id for m in old.measures()}
    news = {m.id for m in new.measures()}
    found: list[Issue] = []
    links: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(data["measures"]):
        at = Location(file=path.name, line=lines.get(("measures", i)), path=f"$.measures[{i}]")
        found += _entry_issues(entry, at, olds, news, links)
        links[entry["new"]] = tuple(dict.fromkeys(entry["old"]))
    removed = tuple(data["removed"])
    found += _coverage_issues(path.name, olds, news, links, removed)
    return (None if found else Mapping(links, removed)), found


def _entry_issues(
    entry: dict[str, Any],
    at: Location,
    olds: set[str],
    news: set[str],
    links: dict[str, tuple[str, ...]],
) -> list[Issue]:
    found = []
    if entry["new"] not in news:
        found.append(issue("E_MAPPING_UNKNOWN_NEW", at, id=entry["new"]))
    if entry["new"] in links:
        found.append(issue("E_MAPPING_TWICE", at, id=entry["new"]))
    for oid in entry["old"]:
        if oid not in olds:
            found.append(issue("E_MAPPING_UNKNOWN_OLD", at, id=oid))
    return found


def _coverage_issues(
    file: str,
    olds: set[str],
    news: set[str],
    links: dict[str, tuple[str, ...]],
    removed: tuple[str, ...],
) -> list[Issue]:
    where = Location(file=file)
    continued = {o for ids in links.values() for o in ids}
    found = [issue("E_MAPPING_MISSING", where, id=n) for n in sorted(news - set(links))]
    for oid in sorted(olds):
        if oid not in continued and oid not in removed:
            found.append(issue("E_MAPPING_UNACCOUNTED", where, id=oid))
        elif oid in continued and oid in removed:
            found.append(issue("E_MAPPING_BOTH", where, id=oid))
    found += [issue("E_MAPPING_UNKNOWN_OLD", where, id=oid) for oid in removed if oid not in olds]
    return found
