"""The text a person reads in zvit's outputs — workbooks, the Word document, the web page —
and the data in a workspace that is not zvit's to translate: the plan, the registry, what
the executors wrote and named their files. Used to check that each output speaks one
language (``tests.support.language``)."""

from __future__ import annotations

import html.parser
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import docx
import openpyxl

from toolkit.collect.feedback import NOTE_MARK
from toolkit.ledger.store import Ledger
from toolkit.workspace import Workspace


def workspace_data(ws: Workspace) -> set[str]:
    """Every text of the plan (each revision), the registry and the ledger's submissions
    (file names, senders, sheets, answers, what the executors typed as an issue quotes it)."""
    found: set[str] = set()
    registry = ws.registry()
    for u in registry.units.values():
        found |= {u.id, u.name, u.short, *u.aliases, *u.emails}
    for g in registry.groups.values():
        found |= {g.id, g.name, *g.aliases}
    for revision in ws.revisions().items:
        found |= _plan_data(revision.plan)
    found |= _ledger_data(ws)
    return {d for d in found if d and len(d.strip()) > 1}


def examples_data() -> set[str]:
    """The plans and registries of the bundled examples (``zvit init --list`` names them)."""
    from toolkit.plan.io import load_plan, load_registry
    from toolkit.resources import examples_dir

    found: set[str] = set()
    for folder in examples_dir().iterdir():
        if (folder / "plan.yaml").is_file():
            found |= _plan_data(load_plan(folder / "plan.yaml"))
            units = load_registry(folder / "units.yaml").units.values()
            found |= {x for u in units for x in (u.id, u.name, u.short)}
    return found


def _plan_data(plan: object) -> set[str]:
    from toolkit.plan.model import Plan

    assert isinstance(plan, Plan)
    found = {plan.title, plan.issuer, plan.decision.number, plan.reporting.coordinator.raw}
    if plan.reporting.executors is not None:
        found.add(plan.reporting.executors.raw)
    for s in plan.sections:
        found |= {s.title, s.number, *(t.title for t in s.tasks)}
        for m in s.all_measures():
            found |= {m.text, m.deadline.raw, m.indicator.raw, m.indicator.unit or ""}
            found |= {m.executors.raw, *m.executors.unresolved, m.heading or ""}
    return found


def _ledger_data(ws: Workspace) -> set[str]:
    found: set[str] = set()
    with sqlite3.connect(ws.root / "zvit.db") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM submissions")]
    with Ledger.open(ws) as ledger:
        for sub in ledger.submissions(ids).values():
            found |= {sub.filename, sub.sender, sub.source}
            for d in sub.issues:
                found |= {str(d.get(k) or "") for k in ("file", "sheet")}
                found |= {v for v in (d.get("params") or {}).values() if isinstance(v, str)}
            if sub.answers is not None:
                found.add(sub.answers.sheet)
                found |= {str(v.value) for v in sub.answers.header.values()}
                for row in sub.answers.rows:
                    found |= {v.value for v in row.values.values() if isinstance(v.value, str)}
    return found


def xlsx_text(path: Path, sheets: Iterable[str] | None = None, *, ours_only: bool = False) -> str:
    """The strings of a workbook's sheets (all but the hidden ``_zvit``, or ``sheets``):
    sheet names, cells, notes, data-validation prompts, page headers and footers.
    ``ours_only``: of a feedback copy, the remarks sheet and zvit's own notes — the rest
    is the executor's workbook."""
    wb = openpyxl.load_workbook(path)
    wanted = set(sheets) if sheets is not None else None
    out: list[str] = []
    for index, ws in enumerate(wb.worksheets):
        if ws.title == "_zvit" or (wanted is not None and ws.title not in wanted):
            continue
        ours = not ours_only or index == 0
        if ours:
            out.append(ws.title)
            out += [ws.oddHeader.center.text or "", ws.oddFooter.left.text or ""]
            for rule in ws.data_validations.dataValidation:
                out += [
                    x for x in (rule.prompt, rule.error, rule.promptTitle, rule.errorTitle) if x
                ]
        for row in ws.iter_rows():
            for cell in row:
                if ours and isinstance(cell.value, str):
                    out.append(cell.value)
                note = cell.comment.text if cell.comment is not None else ""
                if note and (ours or note.startswith(NOTE_MARK)):
                    out.append(note.split("\n\n")[0])  # the executor's own note follows ours
    wb.close()
    return "\n".join(out)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        out += [p.text for p in section.header.paragraphs]
    out.append(document.core_properties.title or "")
    return "\n".join(out)


class _Visible(html.parser.HTMLParser):
    """What a reader sees or hears of a page: its text and the attributes read aloud;
    not scripts, styles or <code> (identifiers: the open data's column names)."""

    HIDDEN = ("script", "style", "code")

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self.out += [v for k, v in attrs if k in ("title", "alt", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(data)


def html_text(path: Path) -> str:
    page = _Visible()
    page.feed(path.read_text(encoding="utf-8"))
    return "\n".join(page.out)
