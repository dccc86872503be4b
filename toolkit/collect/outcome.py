"""What a collect run did, file by file: the data behind its report, its JSON and the
command's output."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from toolkit.fsutil import relative
from toolkit.issues import Issue
from toolkit.ledger.rows import Source, iso
from toolkit.messages import Lang, t
from toolkit.validate.result import VERDICTS, verdict_label

Status = Literal["new", "duplicate", "container"]


@dataclass(kw_only=True)
class FileOutcome:
    """One file met in the run. ``issues``: what its check found (for a duplicate, what the
    first check found); ``notes``: what the run did with it (received, replaced, …)."""

    order: tuple[int, ...]
    name: str
    source: Source
    sha256: str
    size: int
    fmt: str
    status: Status
    verdict: str = ""  # a Verdict; "" for a container that was opened
    unit: str = ""
    period: str = ""
    form_id: str = ""
    submission_id: int | None = None
    superseded_by: int | None = None
    issues: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    archive: str = ""
    quarantine: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def to_json(self, lang: Lang = "uk") -> dict[str, Any]:
        s = self.source
        return {
            "file": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "format": self.fmt,
            "status": self.status,
            "verdict": self.verdict or None,
            "unit": self.unit or None,
            "period": self.period or None,
            "form_id": self.form_id or None,
            "submission": self.submission_id,
            "superseded_by": self.superseded_by,
            "errors": self.errors,
            "warnings": self.warnings,
            "source": {
                "kind": s.kind,
                "location": s.location,
                "filename": s.filename,
                "message_id": s.message_id,
                "sender": s.sender or None,
                "subject": s.subject or None,
                "date": iso(s.mail_date) if s.mail_date else None,
                "via": s.via or None,
            },
            "archive": self.archive or None,
            "quarantine": self.quarantine or None,
            "issues": [i.to_dict(lang) for i in self.issues],
            "notes": [i.to_dict(lang) for i in self.notes],
        }


@dataclass(kw_only=True)
class CollectRun:
    run_id: int
    period: str | None
    inputs: list[str]
    started_at: datetime
    finished_at: datetime | None = None
    files: list[FileOutcome] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)  # inputs that were not files
    feedback: list[Path] = field(default_factory=list)
    report_xlsx: Path | None = None
    report_json: Path | None = None

    def checked(self) -> list[FileOutcome]:
        """The files that are submissions (not the archives they came in)."""
        return [f for f in self.files if f.status != "container"]

    def counts(self) -> dict[str, int]:
        checked = self.checked()
        out = {
            "files": len(checked),
            "new": sum(f.status == "new" for f in checked),
            "duplicate": sum(f.status == "duplicate" for f in checked),
        }
        for verdict in VERDICTS:
            out[verdict] = sum(f.verdict == verdict for f in checked if f.status == "new")
        out["problems"] = sum(i.severity == "error" for i in self.problems)
        out["feedback"] = len(self.feedback)
        return out

    @property
    def clean(self) -> bool:
        """Every new file accepted and every input read."""
        c = self.counts()
        return not (c["rejected"] or c["quarantined"] or c["problems"])

    def to_json(self, lang: Lang = "uk") -> dict[str, Any]:
        return {
            "run": self.run_id,
            "period": self.period,
            "inputs": self.inputs,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at) if self.finished_at else None,
            "counts": self.counts(),
            "files": [f.to_json(lang) for f in self.files],
            "problems": [i.to_dict(lang) for i in self.problems],
            "feedback": [str(p) for p in self.feedback],
            "report": str(self.report_xlsx) if self.report_xlsx else None,
        }


# --- text for a person ------------------------------------------------------------------

MAX_LINES = 40


def render_run(run: CollectRun, root: Path, lang: Lang = "uk") -> str:
    """What the coordinator reads after ``zvit collect``: the counts, then every file that
    needs a look, then where the report and the feedback copies are."""
    lines = [t("collect.done", lang, **run.counts())]
    shown = [_file_line(f, lang) for f in run.checked() if _worth_a_look(f)]
    shown += [f"  ! [{i.code}] {i.message(lang)}" for i in run.problems]
    lines += shown[:MAX_LINES]
    if len(shown) > MAX_LINES:
        rest = len(shown) - MAX_LINES
        lines.append(t("collect.more", lang, more=rest))
    if run.report_xlsx is not None:
        lines.append(t("collect.report_at", lang, path=relative(run.report_xlsx, root)))
    if run.feedback:
        folders = ", ".join(sorted({relative(p.parent, root) for p in run.feedback}))
        lines.append(t("collect.feedback_at", lang, count=len(run.feedback), folders=folders))
    return "\n".join(lines)


def _worth_a_look(f: FileOutcome) -> bool:
    return (
        f.status == "duplicate"
        or f.verdict != "accepted"
        or any(n.severity == "warning" for n in f.notes)
    )


def _file_line(f: FileOutcome, lang: Lang) -> str:
    mark = {
        "accepted": "✓",
        "accepted_with_warnings": "~",
        "rejected": "✗",
        "quarantined": "✗",
    }.get(f.verdict, "·")
    who = f" — {f.unit} {f.period}".rstrip() if f.unit else ""
    verdict = verdict_label(f.verdict, lang)
    counts = t("collect.counts", lang, errors=f.errors, warnings=f.warnings)
    text = f"  {mark} {f.name}{who}: {verdict} ({counts})"
    codes = sorted({i.code for i in f.issues if i.severity == "error"})[:3]
    if codes:
        text += " " + ", ".join(codes)
    notes = [n.code for n in f.notes if n.severity == "warning"]
    if notes:
        text += "; " + ", ".join(notes)
    return text
