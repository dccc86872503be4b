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
from toolkit.text import clean, norm

FIELDS = ("number", "task", "measure", "deadline", "executors", "indicator")
RowKind = Literal["section", "heading", "data"]

# "1)", "12)", and OCR's "б)" for "6)"
MEASURE_NO = re.compile(r"^\s*(\d{1,2}|б)\)\s*")
TASK_NO = re.compile(r"^\s*(\d{1,2}|б)\.?\s*$")
SECTION = re.compile(r"^\s*([IVXІХ]{1,5})\.\s*(.+)$", re.S)
_CONSENT_LEAD = re.compile(r"^\s*(\(\s*за\s+згодою\s*\))\s*", re.I)


@dataclass
class Row:
    kind: RowKind
    cells: dict[str, str]
    line: int = 0


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

    def add(self, key: str, text: str) -> None:
        if text.strip():
            self.fields.setdefault(key, []).append(text.strip())

    def text(self, key: str) -> str:
        return clean(" ".join(self.fields.get(key, [])))


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


def roman_id(text: str) -> str:
    """Cyrillic І/Х typed as Roman numerals → Latin: "ІІ" → "II"."""
    return text.replace("І", "I").replace("Х", "X")


def is_header_repeat(row: Row) -> bool:
    values = [clean(v) for v in row.cells.values() if clean(v)]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]


def is_rule_row(row: Row) -> bool:
    return all(re.fullmatch(r"-*", clean(v)) for v in row.cells.values())


def assemble_rows(rows: list[Row], source: str) -> Draft:
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


def _start_section(draft: Draft, state: dict[str, object], row: Row) -> None:
    m = SECTION.match(clean(row.cells["measure"]))
    number, title = (m.group(1), m.group(2)) if m else ("?", row.cells["measure"])
    sid = roman_id(number)
    draft.sections.append(SectionDraft(sid, f"{number}.", clean(title)))
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
    return Row("data", fixed, row.line)


def _slid_from(cells: dict[str, str]) -> str | None:
    if MEASURE_NO.match(cells.get("measure", "")):
        return None
    for key in ("number", "task"):
        value = cells.get(key, "")
        if MEASURE_NO.match(value) and clean(MEASURE_NO.sub("", value)):
            return key
    return None


def _data_row(draft: Draft, state: dict[str, object], row: Row, source: str) -> None:
    c = {k: row.cells.get(k, "") for k in FIELDS}
    section = state["section"]
    if section is None:
        return  # rows before the first section are the document's own preamble
    number = clean(c["number"])
    m_measure = MEASURE_NO.match(c["measure"])
    if TASK_NO.match(number) and c["task"].strip():
        tid = f"{section}.{_int(number, draft, source, row)}"
        state.update(task=tid, item=None)
        draft.task_titles[tid] = [c["task"]]
        draft.sections[-1].tasks.append((tid, number))
    elif c["task"].strip() and state["task"] and not m_measure and not number:
        draft.task_titles[str(state["task"])].append(c["task"])
    if m_measure:
        n = _int(m_measure.group(1) + ")", draft, source, row)
        item = Item(str(section), _opt(state["task"]), n, f"{n})", _opt(state["heading"]))
        item.line = row.line
        c["measure"] = c["measure"][m_measure.end() :]
        if state["after_break"]:
            _move_leading_consent(c, draft, source, row)
        _new_item(draft, state, item)
    elif number and TASK_NO.match(number) and not state["task"] and c["measure"].strip():
        n = _int(number, draft, source, row)
        item = Item(str(section), None, n, number.strip(), _opt(state["heading"]))
        item.line = row.line
        _new_item(draft, state, item)
    current = state["item"]
    if isinstance(current, Item):
        if not m_measure and not number and any(c[k].strip() for k in FIELDS[2:]):
            draft.repairs.append(
                issue(
                    "I_REPAIR_CONTINUATION",
                    Location(file=source, line=row.line, measure=_item_id(current)),
                    fields=", ".join(k for k in FIELDS[2:] if c[k].strip()),
                )
            )
        for key in FIELDS[2:]:
            current.add(key, c[key])


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
                Location(file=source, line=row.line, measure=_item_id(draft.items[-1])),
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


def _item_id(item: Item) -> str:
    return f"{item.task or item.section}.{item.number}"


def _drop_duplicates(draft: Draft, source: str) -> None:
    """Measures printed twice (same id, same words) are kept once; a differing copy stays
    so that the plan check reports the duplicate id."""
    kept: dict[str, Item] = {}
    dropped: list[str] = []
    items = []
    for item in draft.items:
        key = _item_id(item)
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
