"""What ``zvit demo`` says after collecting an example: the problems found, by issue code
with its title and who made it, and where each output lies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.collect.outcome import CollectRun, FileOutcome
from toolkit.fsutil import relative
from toolkit.issues import catalog
from toolkit.messages import Lang, t
from toolkit.plan.registry import Registry

TOP = 8
_RANK = {"error": 0, "warning": 1, "info": 2}


def found_codes(run: CollectRun, registry: Registry) -> dict[str, list[str]]:
    """Issue code → who it was found for (a unit's short name, else the file's name), once
    per occurrence; errors and warnings of the files new to the run, the run's own notes
    (a report replaced) and the inputs that could not be read."""
    found: dict[str, list[str]] = {}
    for f in run.checked():
        if f.status != "new":
            continue
        for i in [*f.issues, *f.notes]:
            if i.severity != "info":
                found.setdefault(i.code, []).append(_who(f, registry))
    for i in run.problems:
        found.setdefault(i.code, []).append("")
    return found


def _who(f: FileOutcome, registry: Registry) -> str:
    unit = registry.units.get(f.unit)
    return unit.short if unit else f.name


def problem_lines(run: CollectRun, registry: Registry, lang: Lang) -> Iterator[str]:
    found = found_codes(run, registry)
    info = catalog()
    codes = sorted(found, key=lambda c: (_RANK[info[c].severity], -len(found[c]), c))
    yield t("demo.problems.title", lang, count=len(codes))
    for code in codes[:TOP]:
        who = sorted({w for w in found[code] if w})
        names = ", ".join(who[:2])
        if len(who) > 2:
            names = t("demo.problems.and_more", lang, names=names, more=len(who) - 2)
        title = t("common.quoted", lang, text=info[code].text("title", lang))
        yield f"  {code} {title} — {len(found[code])}" + (f" ({names})" if names else "")
    if len(codes) > TOP:
        yield t("demo.problems.more", lang, more=len(codes) - TOP)


@dataclass(frozen=True)
class Places:
    """The outputs of one example."""

    run: CollectRun
    report: Path
    document: Path
    site: Path


def place_lines(root: Path, period: str, places: Places, lang: Lang) -> Iterator[str]:
    """Where the example's outputs lie, relative to the demo folder."""

    def rel(path: Path) -> str:
        return relative(path, root.resolve().parent)

    def line(path: str, what: str) -> str:
        return f"  {path} — {t(f'demo.place.{what}', lang)}"

    run = places.run
    yield t("demo.place.title", lang)
    yield line(f"{rel(root / 'forms' / period)}/", "forms")
    yield line(f"{rel(root / 'inbox')}/", "inbox")
    if run.feedback:
        yield line(f"{rel(run.feedback[0].parent)}/", "feedback")
    if run.report_xlsx is not None:
        yield line(rel(run.report_xlsx), "run_report")
    yield line(rel(places.report), "report")
    yield line(rel(places.document), "document")
    yield line(rel(places.site / "index.html"), "site")
    yield line(rel(root / "zvit.db"), "ledger")
