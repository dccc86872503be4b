"""Is every number of the plan there, once, in order? A plan read partially looks like a
whole plan: only its numbering shows what is missing. Checked on import (on what was
read) and by ``zvit plan check`` (on plan.yaml): sections I, II, III …; within each
section its tasks 1, 2, 3 … and its measures 1, 2, 3 … (within each task, when it has
tasks); no section without measures, no plan without measures."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.issues import Issue, Location, issue
from toolkit.plan.model import Plan
from toolkit.plan.roman import from_roman


@dataclass
class Part:
    """A section (or task) and the numbers of what it holds, as read."""

    id: str
    numbers: list[int] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)


@dataclass
class Outline:
    sections: list[tuple[str, int | None]] = field(default_factory=list)  # (id, ordinal)
    parts: list[Part] = field(default_factory=list)  # task lists and measure lists
    measures_in: dict[str, int] = field(default_factory=dict)  # section id → count

    def part(self, pid: str) -> Part:
        for p in self.parts:
            if p.id == pid:
                return p
        self.parts.append(Part(pid))
        return self.parts[-1]


SECTIONS = "I, II, III …"  # how the list of sections is named in an issue


def continuity(outline: Outline, file: str) -> list[Issue]:
    found: list[Issue] = []
    if not sum(outline.measures_in.values()):
        return [issue("E_PLAN_EMPTY", Location(file=file))]
    ordinals = Part(SECTIONS, [n for _, n in outline.sections if n is not None])
    found += _sequence(ordinals, file)
    for sid, _ in outline.sections:
        if not outline.measures_in.get(sid):
            found.append(issue("E_SECTION_EMPTY", Location(file=file), section=sid))
    for part in outline.parts:
        found += _sequence(part, file)
    return found


def _sequence(part: Part, file: str) -> list[Issue]:
    found: list[Issue] = []
    previous = 0
    seen: set[int] = set()
    for n, line in zip(part.numbers, part.lines or [None] * len(part.numbers), strict=True):
        where = Location(file=file, line=line)
        if n in seen:
            found.append(issue("E_NUMBERING_REPEAT", where, part=part.id, number=n))
        elif n < previous:
            found.append(issue("E_NUMBERING_ORDER", where, part=part.id, after=previous, found=n))
        elif n > previous + 1:
            found.append(
                issue("E_NUMBERING_GAP", where, part=part.id, expected=previous + 1, found=n)
            )
        seen.add(n)
        previous = max(previous, n)
    return found


def plan_outline(plan: Plan, lines: dict[str, int] | None = None) -> Outline:
    """The numbers of a saved plan (measure numbers from their ids: "II.1.3" → 3)."""
    lines = lines or {}
    o = Outline()
    for s in plan.sections:
        o.sections.append((s.id, from_roman(s.id)))
        o.measures_in[s.id] = sum(1 for _ in s.all_measures())
        if s.tasks:
            tasks = o.part(s.id)
            for t in s.tasks:
                tasks.numbers.append(_last(t.id))
                tasks.lines.append(None)
        for pid, measures in [(t.id, t.measures) for t in s.tasks] + [(s.id, s.measures)]:
            if not measures:
                continue
            part = o.part(f"{pid}.*" if pid == s.id and s.tasks else pid)
            for m in measures:
                part.numbers.append(_last(m.id))
                part.lines.append(lines.get(m.id))
    return o


def _last(dotted: str) -> int:
    tail = dotted.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0
