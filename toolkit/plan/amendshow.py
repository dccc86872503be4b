"""What ``zvit plan amend``, ``plan revisions`` and ``plan show`` print about revisions:
text for a person (the messages catalog) and the same as JSON."""

from __future__ import annotations

from typing import Any

from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.amend import Amended
from toolkit.plan.changes import change_line, describe
from toolkit.plan.revisions import Revision, Revisions


def amended_text(result: Amended, lang: Lang) -> str:
    lines: list[str] = []
    prev = result.previous
    if result.mapping_file is not None:
        count = len(result.matching.proposed)
        name = result.mapping_file.name
        key = "revisions.amend.undecided_dry" if result.dry_run else "revisions.amend.undecided"
        lines.append(
            t(key, lang, count=count, file=name, marker=t("revisions.mapping.doubtful", lang))
        )
        return "\n".join(lines)
    if not result.decided:
        return t("revisions.amend.not_taken", lang)
    lines.append(t("revisions.amend.changes", lang, period=prev.effective.label(lang)))
    lines += [f"  {line}" for line in describe(result.changes, lang)] or [
        f"  {t('revisions.amend.no_changes', lang)}"
    ]
    if result.revision is None:
        lines.append(t("revisions.amend.dry_run", lang))
    else:
        rev = result.revision
        measures = sum(1 for _ in rev.plan.measures())
        lines.append(
            t(
                "revisions.amend.kept",
                lang,
                period=rev.effective.label(lang),
                file=rev.file,
                measures=measures,
                changes=len(result.changes),
            )
        )
    return "\n".join(lines)


def amended_json(result: Amended, lang: Lang) -> dict[str, Any]:
    return {
        "taken": result.revision is not None,
        "revision": revision_json(result.revision) if result.revision else None,
        "previous": revision_json(result.previous),
        "changes": [c.to_dict() | {"text_" + lang: change_line(c, lang)} for c in result.changes],
        "undecided": {
            new: [{"old": old, "score": score} for old, score in cands]
            for new, cands in result.matching.proposed.items()
        },
        "mapping_file": str(result.mapping_file) if result.mapping_file else None,
        "issues": [i.to_dict(lang) for i in result.issues],
    }


def revision_json(rev: Revision) -> dict[str, Any]:
    return {
        "number": rev.number,
        "effective": str(rev.effective),
        "decision": rev.decision,
        "file": rev.file,
        "taken": rev.taken,
        "measures": sum(1 for _ in rev.plan.measures()),
    }


def revision_line(rev: Revision, lang: Lang) -> str:
    decision = rev.decision if rev.number else t("revisions.first", lang)
    return t(
        "revisions.line",
        lang,
        number=rev.number,
        period=rev.effective.label(lang),
        decision=decision,
        file=rev.file,
        measures=sum(1 for _ in rev.plan.measures()),
    )


def revisions_text(revisions: Revisions, lang: Lang) -> str:
    return "\n".join(revision_line(r, lang) for r in revisions.items)


def in_force(revisions: Revisions, period: Period | None) -> Revision | None:
    """The revision ``plan show`` shows, named only when the plan was ever amended."""
    if not revisions.amended:
        return None
    return revisions.latest if period is None else revisions.in_force(period)
