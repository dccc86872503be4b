"""Which measure of an amended plan continues which measure of the plan before it.

* The same words (case, quotes, dashes and spacing aside) → the same measure; when a text
  occurs more than once, the same number, then the same section, then plan order decide.
* Otherwise a score from the words (``difflib`` over the words, which also says how much
  of the shorter text the longer one holds: a part split off keeps most of its words),
  the section and the executors. A pair that is each other's clear best and scores high
  is taken; anything else that looks related is only *proposed*, for the coordinator to
  confirm in the mapping file (``toolkit.plan.mapping``).

difflib is enough: after the same-text pass only the measures that did change are
compared with each other (tens, not thousands)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from toolkit.plan.model import Measure, Plan
from toolkit.text import norm

_WORD = re.compile(r"\w+")
AUTO = 0.8  # a score taken without asking
MARGIN = 0.1  # ... when no other candidate comes this close
CANDIDATE = 0.45  # below this a pair is not worth proposing
PART = 0.8  # share of the shorter text found in the longer: one is a part of the other
TEXT, SECTION, EXECUTORS = 0.7, 0.15, 0.15


@dataclass(frozen=True)
class Score:
    total: float
    cover: float  # share of the shorter text's words found in the longer one

    @property
    def related(self) -> bool:
        return self.total >= CANDIDATE or self.cover >= PART


@dataclass
class Matching:
    """``links``: new measure id → the old ids it continues, decided; ``how``: why
    (``text`` — the same words, ``similar`` — a clear best match, ``mapping`` — the
    coordinator's file); ``proposed``: new id → candidate old ids with their scores, for
    a person to decide; ``removed``: old ids decided to end here."""

    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    scores: dict[tuple[str, str], float] = field(default_factory=dict)  # (new, old) → score
    proposed: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    suggested: dict[str, tuple[str, ...]] = field(default_factory=dict)  # of ``proposed``
    removed: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        return not self.proposed


def match(old: Plan, new: Plan) -> Matching:
    out = Matching()
    olds = {m.id: m for m in old.measures()}
    news = {m.id: m for m in new.measures()}
    titles = _titles(old) | _titles(new)
    _same_text(list(olds.values()), list(news.values()), titles, out)
    left_old = [m for m in olds.values() if m.id not in _linked(out)]
    left_new = [m for m in news.values() if m.id not in out.links]
    scores = {(n.id, o.id): score(o, n, titles) for n in left_new for o in left_old}
    _clear_pairs(left_old, left_new, scores, out)
    _proposals(olds, news, scores, titles, out)
    return out


def score(old: Measure, new: Measure, titles: dict[int, str]) -> Score:
    a, b = _words(old.text), _words(new.text)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2 * same / (len(a) + len(b)) if a or b else 1.0
    cover = same / min(len(a), len(b)) if a and b else 0.0
    section = 1.0 if titles[id(old)] == titles[id(new)] else 0.0
    return Score(TEXT * ratio + SECTION * section + EXECUTORS * _overlap(old, new), cover)


def _words(text: str) -> tuple[str, ...]:
    """Words without their punctuation: «матеріалів:» and «(брошури,» are words too."""
    return tuple(_WORD.findall(norm(text)))


def _overlap(old: Measure, new: Measure) -> float:
    a, b = set(old.executors.ids), set(new.executors.ids)
    if not a and not b:
        return 1.0 if norm(old.executors.raw) == norm(new.executors.raw) else 0.0
    return len(a & b) / len(a | b)


def _titles(plan: Plan) -> dict[int, str]:
    """Each measure (by object) → the normalised title of its section."""
    return {id(m): norm(s.title) for s in plan.sections for m in s.all_measures()}


def _linked(out: Matching) -> set[str]:
    return {o for olds in out.links.values() for o in olds}


def _same_text(
    olds: list[Measure], news: list[Measure], titles: dict[int, str], out: Matching
) -> None:
    by_text: dict[str, list[Measure]] = {}
    for m in olds:
        by_text.setdefault(norm(m.text), []).append(m)
    for n in news:
        group = by_text.get(norm(n.text))
        if not group:
            continue
        best = min(
            group,
            key=lambda o: (o.id != n.id, titles[id(o)] != titles[id(n)]),
        )
        group.remove(best)
        out.links[n.id] = (best.id,)
        out.how[n.id] = "text"


def _clear_pairs(
    olds: list[Measure],
    news: list[Measure],
    scores: dict[tuple[str, str], Score],
    out: Matching,
) -> None:
    """A pair that scores high and is each other's best by a margin is the same measure."""
    for n in news:
        mine = sorted(
            ((scores[(n.id, o.id)].total, o.id) for o in olds if (n.id, o.id) in scores),
            reverse=True,
        )
        if not mine or mine[0][0] < AUTO:
            continue
        best, oid = mine[0]
        if len(mine) > 1 and best - mine[1][0] < MARGIN:
            continue
        rivals = [scores[(x.id, oid)].total for x in news if x is not n and (x.id, oid) in scores]
        if any(best - r < MARGIN for r in rivals):
            continue
        out.links[n.id] = (oid,)
        out.how[n.id] = "similar"
        out.scores[(n.id, oid)] = round(best, 2)


def _proposals(
    olds: dict[str, Measure],
    news: dict[str, Measure],
    scores: dict[tuple[str, str], Score],
    titles: dict[int, str],
    out: Matching,
) -> None:
    """Every new measure not linked yet with a related old one is proposed; so is every
    old one left over that is related to a new measure (a merge or a split)."""
    linked = _linked(out)
    for (nid, oid), s in scores.items():
        if nid in out.links or not s.related:
            continue
        _propose(out, nid, oid, s)
    for oid, o in olds.items():
        if oid in linked or any(oid == c for cands in out.proposed.values() for c, _ in cands):
            continue
        for nid, n in news.items():
            if nid not in out.links:
                continue
            s = score(o, n, titles)
            if s.related:
                _propose(out, nid, oid, s)
                for kept in out.links[nid]:
                    _propose(out, nid, kept, Score(out.scores.get((nid, kept), 1.0), 1.0))
    for nid in out.proposed:
        out.proposed[nid] = tuple(sorted(out.proposed[nid], key=lambda c: -c[1]))
        best = out.proposed[nid][0][1]
        out.suggested[nid] = tuple(
            oid for oid, v in out.proposed[nid] if v >= best - MARGIN or oid in out.suggested[nid]
        )
    _unclaimed(out)
    linked = _linked(out) | {c for cands in out.proposed.values() for c, _ in cands}
    out.removed = tuple(oid for oid in olds if oid not in linked)


def _unclaimed(out: Matching) -> None:
    """An old measure only proposed, and suggested nowhere, would end unless a person
    notices: it is suggested where it scored best (most likely merged there)."""
    suggested = {o for olds in out.suggested.values() for o in olds} | _linked(out)
    best: dict[str, tuple[float, str]] = {}
    for nid, cands in out.proposed.items():
        for oid, value in cands:
            if oid not in suggested and value > best.get(oid, (-1.0, ""))[0]:
                best[oid] = (value, nid)
    for oid, (_, nid) in best.items():
        out.suggested[nid] = (*out.suggested[nid], oid)


def _propose(out: Matching, nid: str, oid: str, s: Score) -> None:
    """A candidate, suggested outright when the new text holds nearly all of the old (a
    part of a merge, or of a split)."""
    found = dict(out.proposed.get(nid, ()))
    found[oid] = round(max(s.total, found.get(oid, 0.0)), 2)
    out.proposed[nid] = tuple(found.items())
    if s.cover >= PART:
        out.suggested[nid] = (*out.suggested.get(nid, ()), oid)
    else:
        out.suggested.setdefault(nid, ())


def added(matching: Matching, new: Iterable[str]) -> list[str]:
    """New measures that continue none of the old ones."""
    return [n for n in new if not matching.links.get(n) and n not in matching.proposed]
