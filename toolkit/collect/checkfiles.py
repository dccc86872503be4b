"""``zvit validate``: check returned files on their own, without the ledger — before
collecting them, or for a unit that wants to check its form before sending it. The same
worker processes and time limit as ``zvit collect``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from toolkit.collect import tasks
from toolkit.collect.gather import MAX_INPUT_BYTES
from toolkit.collect.run import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from toolkit.forms.definition import FormDefinition
from toolkit.gate.safety import ensure_defusedxml
from toolkit.issues import Location, issue, render_text
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revisions
from toolkit.validate.result import Validation, verdict_label


def check_files(
    plan: Plan,
    registry: Registry,
    files: Sequence[Path],
    *,
    period: Period | None = None,
    unit: str | None = None,
    custom_form: FormDefinition | None = None,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    revisions: Revisions | None = None,
) -> list[Validation]:
    """One Validation per file, in the order given. Containers are not opened: a zip is
    reported as not a spreadsheet. ``revisions``: of the workspace's amended plan, so
    each form is checked against the revision it was made with."""
    ensure_defusedxml()
    results: dict[int, Validation] = {}
    setup = tasks.Setup(plan, registry, period, unit, custom_form, revisions=revisions)
    pool = tasks.check_pool(setup, jobs=jobs, timeout=timeout, memory_mb=DEFAULT_MEMORY_MB)
    data: dict[int, bytes] = {}

    def feed() -> Iterator[tuple[tasks.Key, tasks.Task]]:
        for index, path in enumerate(files):
            early = _unreadable(path)
            if early is None:
                try:
                    data[index] = path.read_bytes()
                except OSError as e:
                    early = _unreadable(path, e)
            if early is not None:
                results[index] = early
                continue
            yield (index,), tasks.CheckTask(data[index], path.name, depth=tasks.MAX_DEPTH)

    with pool:
        for key, result in pool.run(feed()):
            (index,) = key
            body = data.pop(index)
            if isinstance(result, tasks.Checked):
                results[index] = result.validation
            else:
                results[index] = tasks.failed_check(files[index].name, body, result)
    return [results[i] for i in range(len(files))]


def _unreadable(path: Path, error: OSError | None = None) -> Validation | None:
    try:
        if error is not None:
            raise error
        size = path.stat().st_size
        if size <= MAX_INPUT_BYTES:
            return None
        found = issue(
            "E_INPUT_TOO_LARGE", Location(file=path.name), size=size, limit=MAX_INPUT_BYTES
        )
    except OSError as e:
        found = issue("E_INPUT_UNREADABLE", Location(file=path.name), detail=str(e)[:200])
        size = 0
    return Validation(path.name, "", size, "unknown", issues=[found], quarantined=True)


def validation_text(v: Validation, language: Lang) -> str:
    ident = v.identity
    who = f" — {ident.unit}, {ident.period}" if ident is not None and ident.unit else ""
    errors = sum(1 for i in v.issues if i.severity == "error")
    warnings = sum(1 for i in v.issues if i.severity == "warning")
    counts = t("collect.counts", language, errors=errors, warnings=warnings)
    # a file in quarantine was never opened: validate says so
    verdict = (
        t("validate.verdict.not_opened", language)
        if v.verdict == "quarantined"
        else verdict_label(v.verdict, language)
    )
    head = f"{v.file}{who}: {verdict} ({counts})"
    body = render_text(v.issues, language)
    return f"{head}\n{body}\n" if body else head


def validation_json(v: Validation, language: Lang) -> dict[str, Any]:
    ident = v.identity
    return {
        "file": v.file,
        "sha256": v.sha256,
        "size": v.size,
        "format": v.fmt,
        "verdict": v.verdict,
        "unit": ident.unit if ident else None,
        "period": ident.period if ident else None,
        "form_id": ident.form_id if ident else None,
        "errors": sum(1 for i in v.issues if i.severity == "error"),
        "warnings": sum(1 for i in v.issues if i.severity == "warning"),
        "issues": [i.to_dict(language) for i in v.issues],
    }
