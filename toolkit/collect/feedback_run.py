"""After a collect run: for each unit whose report for a period has problems, a copy of its
own workbook with the problems marked, in ``feedback/<period>/``. Which report: the one
the rule (``toolkit.ledger.standing``) points at — a correction with errors sent after an
accepted report, the report with errors when nothing is in force, or the one in force
when it was accepted with warnings. The copy is made from the archived original, which
stays untouched; one made earlier for the same submission is kept, never overwritten."""

from __future__ import annotations

from pathlib import Path

from toolkit.collect.archive import read_original
from toolkit.collect.tasks import CheckPool, Feedback, FeedbackTask
from toolkit.collect.workers import Failure
from toolkit.errors import OutputLockedError, ZvitError
from toolkit.fsutil import atomic_write_bytes
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.counting import Counting
from toolkit.ledger.rows import issue_from_dict, renderable
from toolkit.ledger.standing import Standing
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.messages import Lang, Message, t
from toolkit.periods import Period
from toolkit.plan.registry import Registry
from toolkit.text import safe_filename
from toolkit.workspace import Workspace


def feedback_path(ws: Workspace, sub: Submission, registry: Registry, lang: Lang) -> Path:
    unit = registry.units.get(sub.unit)
    short = unit.short if unit is not None else sub.unit
    name = safe_filename(t("feedback.file", lang, unit=short, period=sub.period, id=sub.id))
    return ws.root / "feedback" / safe_filename(sub.period) / f"{name}.xlsx"


_WITH_PROBLEMS = ("accepted_with_warnings", "rejected")


def needs_feedback(sub: Submission | None) -> bool:
    return sub is not None and sub.verdict in _WITH_PROBLEMS and bool(sub.errors or sub.warnings)


def feedback_target(st: Standing) -> Submission | None:
    """The submission the unit gets a marked-up copy of, if any (see the module doc)."""
    if st.newer is not None and st.pin is None:
        found: Submission | None = st.newer.sub
    elif st.attempt is not None:
        found = st.attempt.sub
    elif st.in_force is not None and st.pin is None:
        found = st.in_force.sub
    else:
        found = None
    return found if needs_feedback(found) else None


def make_feedback(
    ws: Workspace,
    ledger: Ledger,
    registry: Registry,
    pool: CheckPool,
    counting: Counting,
    pairs: set[tuple[str, str]],
    lang: Lang,
) -> tuple[list[Path], list[Issue]]:
    """Feedback copies for each (unit, period) as the rule stands; returns the copies
    (new or made before) and the problems met."""
    made: list[Path] = []
    problems: list[Issue] = []
    targets: dict[int, tuple[Path, str]] = {}
    for unit, period in sorted(pairs):
        sub = feedback_target(counting.standing(unit, period))
        if sub is None or sub.id in targets:
            continue
        target = feedback_path(ws, sub, registry, lang)
        if target.exists():
            made.append(target)
            continue
        try:
            task = _task(ws, ledger, registry, sub, lang)
        except (OSError, ZvitError) as e:
            problems.append(_failed(sub.unit, _words(e)))
            continue
        targets[sub.id] = (target, sub.unit)
        pool.submit((sub.id,), task)
    for key, result in pool.run():
        target, unit = targets[key[0]]
        if isinstance(result, Feedback):
            try:
                atomic_write_bytes(target, result.data)
            except (OSError, OutputLockedError) as e:
                problems.append(_failed(unit, _words(e)))
                continue
            made.append(target)
        else:
            detail = result.detail if isinstance(result, Failure) else repr(result)
            problems.append(_failed(unit, detail))
    return sorted(made), problems


def _task(
    ws: Workspace, ledger: Ledger, registry: Registry, sub: Submission, lang: Lang
) -> FeedbackTask:
    data = read_original(ws.root, ledger.archive_path(sub.sha256))
    unit = registry.units.get(sub.unit)
    issues = tuple(issue_from_dict(d) for d in sub.issues if renderable(d))
    return FeedbackTask(
        data,
        issues,
        unit.name if unit else sub.unit,
        Period.parse(sub.period).label(lang),
        sub.form_id,
        lang,
    )


def _failed(unit: str, detail: str | Message) -> Issue:
    shown = detail[:200] if isinstance(detail, str) else detail
    return issue("W_FEEDBACK_FAILED", Location(unit=unit), detail=shown)


def _words(e: Exception) -> str | Message:
    """What went wrong: zvit's own error in the reader's words, any other as it says."""
    if isinstance(e, ZvitError) and e.message is not None:
        return e.message
    return str(e)
