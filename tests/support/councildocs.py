"""Council-style plan documents generated from a bundled plan, in the layouts Ukrainian
councils publish: the decision's text, a small table with its date and number, the
approval block, the title (in capitals or not), the plan table with its column-number
row, sections merged across or typed in cells of their own, Word's automatic numbering,
hierarchical numbers, executors merged down over the rows that share them or one per
paragraph, tracked changes, soft hyphens pasted from the web, the table continued after
«Продовження додатка» or nested in a layout table, the signature as the table's last
row; in Excel a cover sheet, merged ranges, dates typed as dates, numbers as numbers, a
hidden sheet and the signature under the table.

Each writer returns what the import must give: the plan's dictionary, changed only where
the layout itself prints something else (a hierarchical number, a date shown as
31.12.2024)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import Measure, Plan

HEADER = (
    "№ з/п",
    "Найменування завдання",
    "Найменування заходу",
    "Термін виконання",
    "Відповідальні виконавці",
    "Індикатори (показники) виконання",
)
CITED = (
    "Відповідно до статті 52 Закону України «Про місцеве самоврядування в Україні», на "
    "виконання розпорядження Кабінету Міністрів України від 9 серпня 2017 року № 526-р "
    "«Про Національну стратегію реформування системи інституційного догляду та виховання "
    "дітей на 2017-2026 роки», виконавчий комітет ВИРІШИВ:"
)
SIGNATURE = ("Секретар міської ради", "Юрій БУРЛАКА")
SOFT = "\u00ad"


@dataclass(frozen=True)
class Layout:
    name: str
    preamble: Literal["decree", "appendix"] = "decree"
    # "in-text": no № column, the number opens the measure's text
    numbering: Literal["typed", "auto", "dotted", "roman-dotted", "paren-dotted", "in-text"] = (
        "typed"
    )
    sections: Literal["merged", "split", "first", "word", "arabic", "arabic-split"] = "merged"
    merge_down: bool = False
    executors_lines: bool = False
    tracked: bool = False
    soft_hyphens: bool = False
    split_table: bool = False
    signature_row: bool = False
    nested: bool = False
    caps_title: bool = False
    heading_table: bool = True
    # Excel only
    cover_sheet: bool = False
    dates: bool = False
    numbers: bool = False
    hidden_sheet: bool = False
    signature_below: bool = False
    codes: frozenset[str] = field(default_factory=frozenset)  # issue codes it must raise


DOCX_LAYOUTS = (
    Layout("tidy"),
    Layout("auto-numbering", numbering="auto"),
    Layout("merged-down", merge_down=True),
    Layout("executors-per-line", executors_lines=True),
    Layout("tracked", tracked=True, codes=frozenset({"W_TRACKED_CHANGES"})),
    Layout("soft-hyphens", soft_hyphens=True),
    Layout("continued", split_table=True, codes=frozenset({"I_REPAIR_TABLES_JOINED"})),
    Layout("signature-row", signature_row=True, codes=frozenset({"I_REPAIR_TRAILER"})),
    Layout("nested", nested=True),
    Layout("caps-title", caps_title=True, codes=frozenset({"W_TITLE_CAPITALS"})),
    Layout("sections-split", sections="split"),
    Layout("sections-first-cell", sections="first"),
    Layout("sections-word", sections="word"),
    Layout("no-heading-table", heading_table=False),
    Layout(
        "everything",
        numbering="auto",
        merge_down=True,
        executors_lines=True,
        tracked=True,
        soft_hyphens=True,
        split_table=True,
        signature_row=True,
        nested=True,
        caps_title=True,
        sections="split",
        codes=frozenset({"W_TRACKED_CHANGES", "I_REPAIR_TRAILER", "W_TITLE_CAPITALS"}),
    ),
)
# Hierarchical numbers only make sense where measures sit directly in sections.
FLAT_LAYOUTS = (
    Layout("dotted", numbering="dotted"),
    Layout("roman-dotted", numbering="roman-dotted"),
    Layout("paren-dotted", numbering="paren-dotted", merge_down=True),
    Layout("arabic-sections", numbering="dotted", sections="arabic"),
    Layout("arabic-split-sections", numbering="dotted", sections="arabic-split"),
    Layout("number-in-text", numbering="in-text", merge_down=True),
    # no № column, and «І.» in the first cell with the section's title in the next
    Layout("number-in-text-split-sections", numbering="in-text", sections="split"),
)
XLSX_LAYOUTS = (
    Layout("tidy"),
    Layout("cover-sheet", cover_sheet=True),
    Layout("merged", merge_down=True),
    Layout("dates-and-numbers", dates=True, numbers=True),
    Layout("hidden-sheet", hidden_sheet=True, codes=frozenset({"W_SHEET_HIDDEN"})),
    Layout("signature-below", signature_below=True, codes=frozenset({"I_REPAIR_TRAILER"})),
    Layout("sections-split", sections="split"),
    Layout("soft-hyphens", soft_hyphens=True, executors_lines=True),
    Layout(
        "everything",
        cover_sheet=True,
        merge_down=True,
        dates=True,
        numbers=True,
        hidden_sheet=True,
        signature_below=True,
        soft_hyphens=True,
        caps_title=True,
        codes=frozenset({"W_SHEET_HIDDEN", "I_REPAIR_TRAILER", "W_TITLE_CAPITALS"}),
    ),
)


def layouts_for(plan: Plan, kind: Literal["docx", "xlsx"]) -> tuple[Layout, ...]:
    if kind == "xlsx":
        return XLSX_LAYOUTS
    flat = not any(s.tasks for s in plan.sections)
    return DOCX_LAYOUTS + (FLAT_LAYOUTS if flat else ())


# --- what each row of the table says ------------------------------------------------------


@dataclass
class Line:
    kind: Literal["section", "heading", "row"]
    cells: list[str]
    measure: Measure | None = None
    task_first: bool = False


def expected(plan: Plan) -> dict[str, Any]:
    return plan.to_dict() | {"source": ""}


def table_lines(plan: Plan, layout: Layout, want: dict[str, Any]) -> list[Line]:
    """The rows of the plan table, and the expected plan changed where the layout
    prints numbers differently."""
    tasks = any(s.tasks for s in plan.sections)
    lines: list[Line] = []
    for ordinal, s in enumerate(plan.sections, start=1):
        lines.append(Line("section", _section_cells(s.number, s.title, ordinal, layout)))
        if layout.sections in ("arabic", "arabic-split"):
            _expect_section(want, s.id, number=f"{ordinal}.")
        for t in s.tasks:
            if layout.numbering == "auto":
                _expect_task(want, t.id, f"{t.id.rsplit('.', 1)[1]}.")
            for i, m in enumerate(t.measures):
                if layout.numbering == "auto":
                    expect_measure(want, m.id, number=f"{m.id.rsplit('.', 1)[1]})")
                cells = [t.number if i == 0 else "", t.title if i == 0 else ""]
                cells += [f"{m.number} {m.text}", *_fields(m)]
                lines.append(Line("row", cells, m, task_first=i == 0))
        heading = None
        for m in s.measures:
            if m.heading and m.heading != heading:
                heading = m.heading
                lines.append(Line("heading", [heading]))
            number = _printed(m, ordinal, layout)
            if number != m.number:
                expect_measure(want, m.id, number=number)
            cells = [number, m.text, *_fields(m)]
            if layout.numbering == "in-text":
                cells = [f"{number} {m.text}", *_fields(m)]
            lines.append(Line("row", [cells[0], "", *cells[1:]] if tasks else cells, m))
    return lines


def _section_cells(number: str, title: str, ordinal: int, layout: Layout) -> list[str]:
    if layout.sections == "split":
        return [number, title]
    if layout.sections == "word":
        return [f"Розділ {number} {title}"]
    if layout.sections == "arabic":
        return [f"{ordinal}. {title}"]
    if layout.sections == "arabic-split":
        return [f"{ordinal}.", title]
    return [f"{number} {title}"]


def _printed(m: Measure, ordinal: int, layout: Layout) -> str:
    n = m.id.rsplit(".", 1)[1]
    if layout.numbering == "auto":
        return f"{n}."  # what Word shows for the list "%1."
    if layout.numbering == "dotted":
        return f"{ordinal}.{n}."
    if layout.numbering == "roman-dotted":
        return f"{m.section}.{n}"
    if layout.numbering == "paren-dotted":
        return f"{ordinal}.{n})"
    return m.number


def _fields(m: Measure) -> list[str]:
    return [m.deadline.raw, m.executors.raw, m.indicator.raw]


def expect_measure(want: dict[str, Any], mid: str, **values: Any) -> None:
    for s in want["sections"]:
        for m in s.get("measures", []) + [m for t in s.get("tasks", []) for m in t["measures"]]:
            if m["id"] == mid:
                for key, value in values.items():
                    if key == "deadline_raw":
                        m["deadline"]["raw"] = value
                    else:
                        m[key] = value


def _expect_section(want: dict[str, Any], sid: str, **values: Any) -> None:
    for s in want["sections"]:
        if s["id"] == sid:
            s.update(values)


def _expect_task(want: dict[str, Any], tid: str, number: str) -> None:
    expect_task_numbers(want, {tid: number})


def expect_task_numbers(want: dict[str, Any], printed: dict[str, str]) -> None:
    for s in want["sections"]:
        for t in s.get("tasks", []):
            t["number"] = printed.get(t["id"], t["number"])


def executor_lines(m: Measure) -> list[str]:
    """The executors one per line, where the plan's phrase is exactly its names."""
    phrases = [r.phrase for r in m.executors.refs]
    if len(phrases) > 1 and ", ".join(phrases) == m.executors.raw:
        return phrases
    return [m.executors.raw]


def soften(text: str) -> str:
    """Soft hyphens inside long words, a no-break space after short ones, as pasted."""
    text = re.sub(r"(\w{5})(\w{4,})", lambda g: g[1] + SOFT + g[2], text)
    return re.sub(r"\b(\w{1,2}) ", "\\1\u00a0", text)


def preamble_lines(plan: Plan, layout: Layout) -> list[str | tuple[str, ...]]:
    """Paragraphs before the table; a tuple is a row of a small layout table."""
    d = plan.decision
    dated = f"{d.date:%d.%m.%Y}"
    title = plan.title.upper() if layout.caps_title else plan.title
    approval = [
        "ЗАТВЕРДЖЕНО",
        f"{d.kind} {_body_of(plan)}",
        f"{dated} № {d.number}",
    ]
    if layout.preamble == "appendix":
        return [*approval, title]
    out: list[str | tuple[str, ...]] = [plan.issuer.upper(), " ".join(d.kind.upper())]
    if layout.heading_table:
        out.append((dated, "м. Глухів", f"№ {d.number}"))
    else:
        out.append(f"{d.date.day} {MONTHS[d.date.month - 1]} {d.date.year} р. № {d.number}")
    out += [
        "Про затвердження плану",
        CITED,
        f"1. Затвердити {plan.title} (далі – План), що додається.",
    ]
    for rule in (plan.reporting.executors, plan.reporting.coordinator):
        if rule and rule.raw:
            out.append(rule.raw)
    out += [f"{SIGNATURE[0]}\t\t\t{SIGNATURE[1]}", *approval, title]
    return out


def _body_of(plan: Plan) -> str:
    return (
        "виконавчого комітету міської ради"
        if plan.decision.kind == "рішення"
        else ("голови обласної державної адміністрації")
    )
