"""What ``zvit demo`` says after collecting an example: the problems found, by issue code
with its Ukrainian title and who made it, and where each output lies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from toolkit.collect.outcome import CollectRun, FileOutcome
from toolkit.fsutil import relative
from toolkit.issues import catalog
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


def problem_lines(run: CollectRun, registry: Registry) -> Iterator[str]:
    found = found_codes(run, registry)
    info = catalog()
    codes = sorted(found, key=lambda c: (_RANK[info[c].severity], -len(found[c]), c))
    yield f"Знайдені проблеми за кодами ({len(codes)} різних; опис кодів: docs/codes.md):"
    for code in codes[:TOP]:
        who = sorted({w for w in found[code] if w})
        names = ", ".join(who[:2]) + (f" та ще {len(who) - 2}" if len(who) > 2 else "")
        title = info[code].text("title", "uk")
        yield f"  {code} «{title}» — {len(found[code])}" + (f" ({names})" if names else "")
    if len(codes) > TOP:
        yield f"  … ще кодів: {len(codes) - TOP} (див. звіт перевірки в reports/)"


def place_lines(
    root: Path, period: str, run: CollectRun, report: Path, document: Path, site: Path
) -> Iterator[str]:
    """Where the example's outputs lie, relative to the demo folder."""

    def rel(path: Path) -> str:
        return relative(path, root.resolve().parent)

    yield "Де що лежить:"
    yield f"  {rel(root / 'forms' / period)}/ — форми, розіслані виконавцям"
    yield f"  {rel(root / 'inbox')}/ — листи виконавців (maildir), які зібрала програма"
    if run.feedback:
        yield f"  {rel(run.feedback[0].parent)}/ — копії звітів із позначеними помилками"
    if run.report_xlsx is not None:
        yield f"  {rel(run.report_xlsx)} — звіт перевірки: кожен файл і кожне зауваження"
    yield f"  {rel(report)} — зведений звіт"
    yield f"  {rel(document)} — звіт-документ для підпису (Word)"
    yield f"  {rel(site / 'index.html')} — сторінка для оприлюднення з відкритими даними"
    yield f"  {rel(root / 'zvit.db')} — журнал подань (zvit status, zvit history)"
