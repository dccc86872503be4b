"""The report of a period of an amended plan: every submission's answers put on the
measures of the revision in force for the period (``toolkit.plan.revisions``).

* A submission of the period itself made on a form of another revision counts for the
  measures that kept their identity, one to one; an answer on a measure that did not
  (removed, merged or split) is left out with a warning, never counted twice.
* A submission of an earlier period counts for every measure whose lineage holds the
  measure it answered: a renumbered measure keeps its cumulative figure and its open
  status, a merged one adds up the figures of its parts, each part of a split carries
  the figure of the whole.

A plan never amended, and a period whose submissions were all made on its own revision,
are left exactly as they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from toolkit.issues import Issue, Location, issue
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.changes import Change, plan_changes
from toolkit.plan.revisions import Revision, Revisions
from toolkit.report.model import Amendment
from toolkit.validate.result import AnswerRow, Answers

Earlier = Mapping[str, Mapping[str, Submission]]


def align(
    accepted: Mapping[str, Submission],
    earlier: Earlier,
    revisions: Revisions,
    period: Period,
    fps: Mapping[str, str],
) -> tuple[dict[str, Submission], dict[str, dict[str, Submission]], list[Issue]]:
    """``accepted``: unit → its submission of ``period``; ``earlier``: period → the same;
    ``fps``: form id → the plan fingerprint it was issued with (the ledger's)."""
    if not revisions.amended:
        return dict(accepted), {k: dict(v) for k, v in earlier.items()}, []
    target = revisions.in_force(period)
    issues: list[Issue] = []

    def source(sub: Submission, label: str) -> Revision:
        made = revisions.by_fingerprint(fps.get(sub.form_id, ""))
        return made or revisions.in_force(Period.parse(label))

    now = {
        unit: _moved(sub, source(sub, str(period)), target, revisions, issues)
        for unit, sub in accepted.items()
    }
    before = {
        label: {u: _moved(s, source(s, label), target, revisions, None) for u, s in subs.items()}
        for label, subs in earlier.items()
    }
    return now, before, issues


def _moved(
    sub: Submission,
    source: Revision,
    target: Revision,
    revisions: Revisions,
    issues: list[Issue] | None,
) -> Submission:
    """``issues`` given: a submission of the period itself (one to one, see the module)."""
    if source is target or sub.answers is None:
        return sub
    ids = revisions.id_map(source, target, lineage=issues is None)
    rows = []
    for row in sub.answers.rows:
        places = ids.get(row.measure_id, ())
        if not places and issues is not None:
            where = Location(file=sub.filename or None, unit=sub.unit, measure=row.measure_id)
            made, now = str(source.effective), str(target.effective)
            issues.append(
                issue("W_REPORT_MEASURE_RETIRED", where, submission=sub.id, made=made, in_force=now)
            )
        rows += [AnswerRow(mid, row.row, row.values) for mid in places]
    answers = Answers(sub.answers.sheet, sub.answers.header, rows=rows)
    return replace(sub, answers=answers)


def amendment(revisions: Revisions, period: Period) -> Amendment | None:
    """The amendment in force for the period (None: the plan as first taken in) and, when
    it took effect with this period, what it changed."""
    rev = revisions.in_force(period)
    if not rev.number:
        return None
    changes: tuple[Change, ...] = ()
    if revisions.changed_in(period) is not None:
        changes = tuple(plan_changes(revisions.items[rev.number - 1].plan, rev.plan))
    return Amendment(rev.decision, rev.effective, changes)
