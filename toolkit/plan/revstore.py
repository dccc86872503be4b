"""Where a workspace keeps the revisions of its plan: ``plan.yaml`` as first taken in
(never rewritten), each amendment's plan in ``revisions/``, and the list of amendments
with their effective period and decision in ``revisions.yaml``. Only ``add`` writes, and
it writes the plan file before the list that names it, so a failure leaves the workspace
as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidFileError, UsageError
from toolkit.issues import Location, issue
from toolkit.messages import DEFAULT_LANG, Lang, t
from toolkit.periods import Period
from toolkit.plan.fingerprint import plan_fingerprint
from toolkit.plan.io import load_checked, load_plan
from toolkit.plan.model import Plan
from toolkit.plan.revisions import Revision, Revisions
from toolkit.yamlio import save

INDEX = "revisions.yaml"
FOLDER = "revisions"


@dataclass(frozen=True)
class RevisionStore:
    """``root``: the workspace; ``base``: its plan.yaml; ``cache``: as for ``load_plan``."""

    root: Path
    base: Path
    cache: Path | None = None

    @property
    def index(self) -> Path:
        return self.root / INDEX

    def load(self) -> Revisions:
        plan = load_plan(self.base, self.cache)
        first = Revision(0, Period(plan.first_year), decision_text(plan), plan, self.base.name)
        items = [first]
        for i, entry in enumerate(self._entries(), start=1):
            path = self.root / entry["file"]
            items.append(
                Revision(
                    i,
                    Period.parse(entry["effective"]),
                    entry["decision"],
                    load_plan(path, self.cache),
                    entry["file"],
                    entry.get("taken", ""),
                )
            )
        _check_order(items, self.index.name)
        return Revisions(tuple(items))

    def _entries(self) -> list[dict[str, Any]]:
        if not self.index.is_file():
            return []
        data, _ = load_checked(self.index, "revisions.schema.json")
        entries: list[dict[str, Any]] = data["revisions"]
        return entries

    def add(
        self, plan: Plan, effective: Period, decision: str, taken: date, lang: Lang = DEFAULT_LANG
    ) -> Revision:
        """Keep ``plan`` as the revision in force from ``effective`` (the files' comments
        in ``lang``)."""
        entries = self._entries()
        name = f"{FOLDER}/plan-{effective}.yaml"
        if any(e["file"] == name for e in entries) or (self.root / name).exists():
            raise UsageError("revisions.exists", period=str(effective), file=name)
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        save(path, plan.to_dict(), t("revisions.file.revision_header", lang))
        entries.append(
            {
                "effective": str(effective),
                "decision": decision,
                "file": name,
                "taken": taken.isoformat(),
                "fingerprint": plan_fingerprint(plan),
            }
        )
        index = {"schema": "zvit-revisions/1", "revisions": entries}
        save(self.index, index, t("revisions.file.index_header", lang))
        return self.load().latest


def decision_text(plan: Plan) -> str:
    """The decision that approved the plan, in the plan's own language."""
    return plan.decision.label(DEFAULT_LANG)


def _check_order(items: list[Revision], file: str) -> None:
    """Each revision is of the same plan and takes effect after the one before it, within
    the plan's years."""
    found = []
    for rev in items[1:]:
        if rev.plan.id != items[0].plan.id:  # left from a workspace made anew (init --force)
            where = Location(file=file, path=f"$.revisions[{rev.number - 1}]")
            found.append(
                issue("E_REVISION_OTHER_PLAN", where, found=rev.plan.id, plan=items[0].plan.id)
            )
    for before, rev in pairwise(items):
        if rev.effective.start <= before.effective.start or rev.effective.year > rev.plan.last_year:
            where = Location(file=file, path=f"$.revisions[{rev.number - 1}]")
            found.append(
                issue(
                    "E_REVISION_ORDER",
                    where,
                    effective=str(rev.effective),
                    previous=str(before.effective),
                )
            )
    if found:
        raise InvalidFileError(found, "revisions.broken", file=file)
