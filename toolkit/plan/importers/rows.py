"""Rows of a plan table → sections, tasks and measures, with every repair logged.

A reader yields ``Row`` objects whose cells are keyed by column (``number``, ``task``,
``measure``, ``deadline``, ``executors``, ``indicator``). Here the repairs happen:
repeated header rows are dropped, rows continued across a page break are joined to
their measure, cells that slid into another column are put back, OCR "б)" becomes "6)",
stray page numbers are dropped, measures printed twice are kept once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.plan.importers.numbers import (
    ARABIC_HEADING,
    HIER_NO,
    names_section,
    section_id,
    section_parts,
)
from toolkit.text import clean, norm

FIELDS = ("number", "task", "measure", "deadline", "executors", "indicator")
RowKind = Literal["section", "heading", "data"]

# "1)", "12)", and OCR's "б)" for "6)"
MEASURE_NO = re.compile(r"^\s*(\d{1,2}|б)\)\s*")
TASK_NO = re.compile(r"^\s*(\d{1,2}|б)\.?\s*$")
# a measure's number alone in the number column: "1.", "1", "1)"
NUMBER_NO = re.compile(r"^\s*(\d{1,3}|б)\s*[.)]?\s*$")
_CONSENT_LEAD = re.compile(r"^\s*(\(\s*за\s+згодою\s*\))\s*", re.I)


@dataclass
class Row:
    """``carried`` names the cells copied from a cell merged down over this row: they
    belong to a measure this row starts, and are ignored on a row that continues one.
    ``breaks``: line breaks in the cells were typed by a person (Word, Excel), they are
    not the wraps of a converted text."""

    kind: RowKind
    cells: dict[str, str]
    line: int = 0
    carried: frozenset[str] = frozenset()
    breaks: bool = False
    table: str | Message = ""  # the table or sheet the row is in


@dataclass
class Item:
    """A measure while it is being assembled: its fields still grow."""

    section: str
    task: str | None
    number: int
    printed: str
    heading: str | None
    fields: dict[str, list[str]] = field(default_factory=dict)
    line: int = 0
    breaks: bool = False

    def add(self, key: str, text: str) -> None:
        if text.strip():
            self.fields.setdefault(key, []).append(text.strip())

    def text(self, key: str) -> str:
        return clean(" ".join(self.fields.get(key, [])))

    def lines(self, key: str) -> list[str]:
        """The field's lines as typed (a person's line breaks kept)."""
        return [line for part in self.fields.get(key, []) for line in part.splitlines()]


@dataclass
class SectionDraft:
    id: str
    number: str
    title: str
    tasks: list[tuple[str, str]] = field(default_factory=list)  # (task id, printed number)


@dataclass
class Draft:
    """Sections → tasks → items, before deadlines and executors are read."""

    sections: list[SectionDraft] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    repairs: list[Issue] = field(default_factory=list)
    task_titles: dict[str, list[str]] = field(default_factory=dict)


def is_header_repeat(row: Row) -> bool:
    values = [clean(v) for v in row.cells.values() if clean(v)]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def is_rule_row(row: Row) -> bool:
    return all(re.fullmatch(r"-*", clean(v)) for v in row.cells.values())


def assemble_rows(rows: list[Row], source: str) -> Draft:
    rows = _arabic_sections(rows)
    draft = Draft()
    headers = 0
    state: dict[str, object] = {
        "section": None,
        "task": None,
        "heading": None,
        "item": None,
        "after_break": False,
    }
    for row in rows:
        if row.kind == "data" and (is_header_repeat(row) or is_rule_row(row)):
            headers += is_header_repeat(row)
            state["after_break"] = True
            continue
        if row.kind == "section":
            _start_section(draft, state, row)
        elif row.kind == "heading":
            state["heading"] = clean(row.cells.get("measure", ""))
        else:
            _data_row(draft, state, _realign(row, draft, source), source)
        state["after_break"] = False
    if headers:
        draft.repairs.insert(0, issue("I_REPAIR_HEADER_ROW", Location(file=source), count=headers))
    _drop_duplicates(draft, source)
    return draft


def _arabic_sections(rows: list[Row]) -> list[Row]:
    """Sections numbered in Arabic: "1. Назва" (across the row, or "1." in the number
    column and the title beside it) is a section when the measures under it are numbered
    "1.1." …, or when the table has no other sections and this is a row across it."""
    out = list(rows)
    no_sections = not any(r.kind == "section" for r in rows)
    for i, row in enumerate(out):
        text = _arabic_title(row)
        m = ARABIC_HEADING.match(text) if text else None
        if m is None:
            continue
        below = next((r for r in out[i + 1 :] if r.kind == "data" and _number(r)), None)
        h = HIER_NO.match(_number(below)) if below else None
        if (h and h.group(1) == m.group(1)) or (no_sections and row.kind == "heading"):
            out[i] = Row("section", {"measure": text}, row.line, table=row.table)
    return out


def _arabic_title(row: Row) -> str:
    if row.kind == "heading":
        return clean(row.cells.get("measure", ""))
    if row.kind != "data" or "number" in row.carried:
        return ""
    number, rest = _number(row), [k for k in FIELDS[1:] if clean(row.cells.get(k, ""))]
    title = clean(row.cells.get("task") or row.cells.get("measure", ""))
    if re.fullmatch(r"\d{1,2}\.", number) and len(rest) == 1 and rest[0] in ("task", "measure"):
        return f"{number} {title}"
    return ""


def _number(row: Row | None) -> str:
    return clean(row.cells.get("number", "")) if row and "number" not in row.carried else ""


def _start_section(draft: Draft, state: dict[str, object], row: Row) -> None:
    parts = section_parts(row.cells["measure"], arabic=True)
    number, title = parts or ("?", clean(row.cells["measure"]))
    sid = section_id(number)
    draft.sections.append(SectionDraft(sid, number, title))
    state.update(section=sid, task=None, heading=None, item=None)


def _realign(row: Row, draft: Draft, source: str) -> Row:
    """A measure ("2) створення …") found in the number or task column: the row slid left.
    Its non-empty cells are put back in order: measure, deadline, executors, indicator."""
    key = _slid_from(row.cells)
    if key is None:
        return row
    values = [row.cells.get(k, "") for k in FIELDS[FIELDS.index(key) :]]
    filled = [v for v in values if v.strip()]
    fixed = dict.fromkeys(FIELDS, "") | dict(zip(FIELDS[2:], filled, strict=False))
    draft.repairs.append(
        issue(
            "I_REPAIR_SHIFTED",
            Location(file=source, line=row.line),
            detail=clean(filled[0])[:50] + "…",
        )
    )
    return Row("data", fixed, row.line, breaks=row.breaks, table=row.table)


def _slid_from(cells: dict[str, str]) -> str | None:
    if MEASURE_NO.match(cells.get("measure", "")):
        return None
    for key in ("number", "task"):
        value = cells.get(key, "")
        if MEASURE_NO.match(value) and clean(MEASURE_NO.sub("", value)):
            return key
    return None


def _data_row(draft: Draft, state: dict[str, object], row: Row, source: str) -> None:
    # Cells carried down from a merged cell belong to a measure this row starts only.
    c = {k: ("" if k in row.carried else row.cells.get(k, "")) for k in FIELDS}
    section = state["section"]
    number = clean(c["number"])
    m_measure = MEASURE_NO.match(c["measure"])
    if section is None:
        if (number or m_measure) and c["measure"].strip():
            _unread(draft, row, source, Message("plan.unread.before_section"))
        return  # otherwise the document's own words above the first section
    if TASK_NO.match(number) and c["task"].strip():
        tid = f"{section}.{_int(number, draft, source, row)}"
        state.update(task=tid, item=None)
        draft.task_titles[tid] = [c["task"]]
        draft.sections[-1].tasks.append((tid, number))
    elif c["task"].strip() and state["task"] and not m_measure and not number:
        draft.task_titles[str(state["task"])].append(c["task"])
    item = _start_item(draft, state, row, c, m_measure, source)
    if item is not None:
        for key in row.carried & set(FIELDS[3:]):
            c[key] = row.cells[key]
        item.breaks = row.breaks
        _new_item(draft, state, item)
    elif c["measure"].strip() and (number or state["item"] is None):
        why = (
            Message("plan.unread.number", {"number": number})
            if number
            else Message("plan.unread.no_number")
        )
        _unread(draft, row, source, why)
        return
    current = state["item"]
    if isinstance(current, Item):
        if item is None and not number and any(c[k].strip() for k in FIELDS[2:]):
            draft.repairs.append(
                issue(
                    "I_REPAIR_CONTINUATION",
                    Location(file=source, line=row.line, measure=item_id(current)),
                    fields=[column_name(k) for k in FIELDS[2:] if c[k].strip()],
                )
            )
        for key in FIELDS[2:]:
            current.add(key, c[key])


def _start_item(
    draft: Draft,
    state: dict[str, object],
    row: Row,
    c: dict[str, str],
    m_measure: re.Match[str] | None,
    source: str,
) -> Item | None:
    """The measure this row opens, if it opens one ("1) …" in the measure's text, "1." or
    a hierarchical "1.1." in the number column)."""
    section, heading = str(state["section"]), _opt(state["heading"])
    number = clean(c["number"])
    if m_measure:
        n = _int(m_measure.group(1) + ")", draft, source, row)
        c["measure"] = c["measure"][m_measure.end() :]
        if state["after_break"]:
            _move_leading_consent(c, draft, source, row)
        return Item(section, _opt(state["task"]), n, f"{n})", heading, line=row.line)
    if not c["measure"].strip():
        return None
    h = HIER_NO.match(number)
    if h:
        return _hier_item(draft, state, h, number, row)
    if NUMBER_NO.match(number) and not state["task"]:
        n = _int(number, draft, source, row)
        return Item(section, None, n, number, heading, line=row.line)
    return None


def _hier_item(
    draft: Draft, state: dict[str, object], h: re.Match[str], number: str, row: Row
) -> Item | None:
    """ "1.2." → measure 2 of section 1 (or of task 1 when the section has tasks);
    "1.2.3." → measure 3 of task 2 of section 1. A number naming another section or task
    opens nothing (and is reported as unread)."""
    section, heading = str(state["section"]), _opt(state["heading"])
    first, second, third = h.groups()
    ordinal = len(draft.sections)
    task = _opt(state["task"])
    if third is not None:
        if not names_section(first, section, ordinal) or task != f"{section}.{int(second)}":
            return None
        return Item(section, task, int(third), number, heading, line=row.line)
    if task is not None and task == f"{section}.{int(first)}":
        return Item(section, task, int(second), number, heading, line=row.line)
    if task is None and names_section(first, section, ordinal):
        return Item(section, None, int(second), number, heading, line=row.line)
    return None


def column_name(key: str) -> Message:
    """A column of the plan's table («виконавці»), as a message names it."""
    return Message(f"plan.column.{key}")


def _unread(draft: Draft, row: Row, source: str, why: Message) -> None:
    text = clean(" ".join(v for v in row.cells.values() if v.strip()))
    draft.repairs.append(
        issue(
            "E_ROW_UNREAD",
            Location(file=source, line=row.line),
            table=row.table or "—",
            why=why,
            text=text if len(text) <= 80 else text[:79] + "…",
        )
    )


def _new_item(draft: Draft, state: dict[str, object], item: Item) -> None:
    draft.items.append(item)
    state["item"] = item


def _move_leading_consent(c: dict[str, str], draft: Draft, source: str, row: Row) -> None:
    """ "(за згодою)" opening the executors cell of the first row after a page break belongs
    to the executor that ended the page: the mark always follows the body it qualifies."""
    m = _CONSENT_LEAD.match(c["executors"])
    if m and draft.items:
        draft.items[-1].add("executors", m.group(1))
        c["executors"] = c["executors"][m.end() :]
        draft.repairs.append(
            issue(
                "I_REPAIR_CONSENT",
                Location(file=source, line=row.line, measure=item_id(draft.items[-1])),
                text=m.group(1),
            )
        )


def _int(printed: str, draft: Draft, source: str, row: Row) -> int:
    digits = printed.strip().rstrip(".)")
    if digits == "б":
        fixed = printed.strip().replace("б", "6")
        draft.repairs.append(
            issue(
                "I_REPAIR_OCR_NUMBER",
                Location(file=source, line=row.line),
                found=printed.strip(),
                fixed=fixed,
            )
        )
        return 6
    return int(digits)


def _opt(value: object) -> str | None:
    return str(value) if value is not None else None


def item_id(item: Item) -> str:
    return f"{item.task or item.section}.{item.number}"


def _drop_duplicates(draft: Draft, source: str) -> None:
    """Measures printed twice (same id, same words) are kept once; a differing copy stays
    so that the plan check reports the duplicate id."""
    kept: dict[str, Item] = {}
    dropped: list[str] = []
    items = []
    for item in draft.items:
        key = item_id(item)
        first = kept.get(key)
        if first and all(norm(first.text(k)) == norm(item.text(k)) for k in FIELDS[2:]):
            dropped.append(key)
            continue
        kept.setdefault(key, item)
        items.append(item)
    draft.items = items
    if dropped:
        draft.repairs.append(
            issue("I_REPAIR_DUPLICATE", Location(file=source), numbers=", ".join(dropped))
        )
