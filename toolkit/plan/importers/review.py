"""What an import shows a person to hold against the paper: per section its number,
title, count of measures, first and last measure; and the outline whose numbering is
checked for gaps. Also the one place where a person's line breaks between executors
are read as the commas they stand for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.plan.continuity import Outline
from toolkit.plan.importers.rows import Draft, Item, item_id
from toolkit.plan.registry import Registry
from toolkit.plan.roman import from_roman
from toolkit.text import clean

_OPENING = 60  # characters of a measure's text shown in the summary


@dataclass(frozen=True)
class SectionReading:
    """What was read of one section: its number and title, how many measures, the first
    and the last of them (number and opening words)."""

    number: str
    title: str
    count: int
    first: str
    last: str


def reading_summary(draft: Draft) -> list[SectionReading]:
    out: list[SectionReading] = []
    for s in draft.sections:
        items = _unique(i for i in draft.items if i.section == s.id)
        first, last = (_label(items[0]), _label(items[-1])) if items else ("", "")
        out.append(SectionReading(s.number, s.title, len(items), first, last))
    return out


def _unique(items: Iterable[Item]) -> list[Item]:
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item_id(item), item)
    return list(seen.values())


def _label(item: Item) -> str:
    text = item.text("measure")
    if len(text) > _OPENING:
        text = text[: _OPENING - 1].rstrip() + "…"
    return f"{item.printed} {text}"


def draft_outline(draft: Draft) -> Outline:
    o = Outline()
    for s in draft.sections:
        o.sections.append((s.id, from_roman(s.id)))
        o.measures_in[s.id] = 0
        if s.tasks:
            tasks = o.part(s.id)
            for tid, _ in s.tasks:
                tasks.numbers.append(int(tid.rsplit(".", 1)[1]))
                tasks.lines.append(None)
    for item in draft.items:
        o.measures_in[item.section] = o.measures_in.get(item.section, 0) + 1
        own = f"{item.section}.*" if _has_tasks(draft, item) else item.section
        part = o.part(item.task or own)
        part.numbers.append(item.number)
        part.lines.append(item.line)
    return o


def _has_tasks(draft: Draft, item: Item) -> bool:
    return any(s.id == item.section and s.tasks for s in draft.sections)


def split_executors(item: Item, registry: Registry | None) -> str:
    """The executors' phrase of a measure. A line break a person typed between two
    executors stands for a comma ("Відділ освіти⏎Служба у справах дітей"); a break
    inside one long name is a wrap. With a registry, the reading that places more
    executors wins; without one, a line that starts in lower case continues a name."""
    lines = [clean(line) for line in item.lines("executors") if clean(line)]
    joined = clean(" ".join(lines))
    if not item.breaks or len(lines) < 2:
        return joined
    listed = lines[0]
    guessed = lines[0]
    for line in lines[1:]:
        glue = " " if listed.endswith((",", ";", ":", "-", "–")) or line.startswith("(") else ", "
        listed += glue + line
        guessed += (" " if glue == " " or line[:1].islower() else ", ") + line
    if registry is None:
        return guessed
    as_list = len(registry.resolve(listed)[1])
    as_one = len(registry.resolve(joined)[1])
    return listed if as_list <= as_one else joined
