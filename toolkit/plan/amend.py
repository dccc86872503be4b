"""``zvit plan amend``: take an amended plan into a workspace as a new revision.

The amended plan (any source ``plan import`` reads, or an edited plan.yaml) is matched
measure by measure with the revision in force before it (``toolkit.plan.matching``). When
every match is certain, or the coordinator's confirmed mapping file settles the rest, each
measure gets its key — the key of the measure it continues, or a new one — and the plan is
kept as a revision from the effective period on. Otherwise the mapping file is written and
nothing is kept. The difference is given back either way."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from toolkit.errors import InvalidFileError, UsageError
from toolkit.issues import Issue, has_errors
from toolkit.messages import DEFAULT_LANG, Lang
from toolkit.periods import Period
from toolkit.plan.changes import Change, plan_changes
from toolkit.plan.check import check_plan
from toolkit.plan.fingerprint import plan_fingerprint
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan, plan_lines
from toolkit.plan.mapping import read_mapping, write_mapping
from toolkit.plan.matching import Matching, match
from toolkit.plan.model import Measure, Plan, Section, Task
from toolkit.plan.overrides import Overrides
from toolkit.plan.registry import Registry
from toolkit.plan.revisions import Revision, Revisions
from toolkit.plan.revstore import RevisionStore

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class AmendRequest:
    source: Path
    effective: Period
    decision: str = ""
    mapping: Path | None = None
    dry_run: bool = False  # show the difference, keep nothing
    overrides: Path | None = None  # corrections of the import (as for ``plan import``)
    lang: Lang = DEFAULT_LANG  # of the comments in the files written


@dataclass
class Amended:
    """``revision``: the revision kept (None when nothing was); ``mapping_file``: written
    for the coordinator to confirm; ``issues``: of reading the source and the mapping."""

    previous: Revision
    changes: list[Change] = field(default_factory=list)
    matching: Matching = field(default_factory=Matching)
    revision: Revision | None = None
    mapping_file: Path | None = None
    issues: list[Issue] = field(default_factory=list)
    dry_run: bool = False

    @property
    def decided(self) -> bool:
        """Every measure matched, and nothing in the way of taking the plan in."""
        return not self.matching.proposed and not has_errors(self.issues)


def amend_plan(
    store: RevisionStore,
    request: AmendRequest,
    registry: Registry | None,
    today: date | None = None,
) -> Amended:
    revisions = store.load()
    previous = revisions.latest
    _check_effective(previous, request.effective)
    plan, issues = read_amended(request.source, registry, previous.plan, request.overrides)
    out = Amended(previous, issues=issues, dry_run=request.dry_run)
    out.matching = matching = match(previous.plan, plan)
    fps = (plan_fingerprint(previous.plan), plan_fingerprint(plan))
    if request.mapping is not None:
        mapping, found = read_mapping(request.mapping, previous.plan, plan, fps)
        out.issues += found
        if mapping is None:
            return out
        matching.links, matching.removed, matching.proposed = (
            dict(mapping.links),
            mapping.removed,
            {},
        )
        matching.how = {n: "mapping" for n in mapping.links}
    if matching.proposed:
        out.mapping_file = store.root / f"plan-mapping-{request.effective}.yaml"
        if not request.dry_run:
            periods = (previous.effective, request.effective)
            write_mapping(
                out.mapping_file, matching, previous.plan, plan, fps, periods, request.lang
            )
        return out
    keyed = with_keys(plan, matching.links, previous, revisions, request.effective)
    out.changes = plan_changes(previous.plan, keyed)
    if not out.changes and _plain(keyed).to_dict() == _plain(previous.plan).to_dict():
        raise UsageError("revisions.nothing")
    if not request.dry_run:
        taken = today or date.today()
        out.revision = store.add(keyed, request.effective, request.decision, taken, request.lang)
    return out


def _check_effective(previous: Revision, effective: Period) -> None:
    if effective.start <= previous.effective.start:
        raise UsageError(
            "revisions.too_early", effective=str(effective), previous=str(previous.effective)
        )


def read_amended(
    source: Path, registry: Registry | None, base: Plan, overrides: Path | None = None
) -> tuple[Plan, list[Issue]]:
    """The amended plan with the workspace plan's id (it is the same plan); any keys it
    holds are dropped: matching decides them, not an edited file."""
    if source.suffix.lower() in YAML_SUFFIXES:
        loaded: Plan | None = load_plan(source)
        assert loaded is not None
        issues = check_plan(loaded, registry, source.name, plan_lines(source))
    else:
        result = import_plan(source, registry, Overrides.load(overrides))
        loaded, issues = result.plan, list(result.issues)
    if loaded is None or has_errors(issues):
        raise InvalidFileError(issues, "revisions.unreadable", file=source.name)
    plan = loaded
    return replace(_plain(plan), id=base.id), issues


def _plain(plan: Plan) -> Plan:
    """The plan without its keys: what a person wrote."""
    return rekeyed(plan, {m.id: ("", ()) for m in plan.measures()})


def with_keys(
    plan: Plan,
    links: dict[str, tuple[str, ...]],
    previous: Revision,
    revisions: Revisions,
    effective: Period,
) -> Plan:
    """Each measure keeps the key of the measure it continues: the first it is linked to
    whose key no other measure took (so of a split, the first part keeps it); a measure
    merged from others follows their keys; any other gets a key never used before."""
    olds = previous.by_id
    taken: set[str] = set()
    keys: dict[str, tuple[str, tuple[str, ...]]] = {}
    for m in plan.measures():
        came = [olds[o].key for o in links.get(m.id, ()) if o in olds]
        own = next((k for k in came if k not in taken), "")
        taken.add(own)
        keys[m.id] = (own, tuple(k for k in came if k != own))
    used = {m.key for rev in revisions.items for m in rev.plan.measures()} | taken
    for mid, (own, follows) in keys.items():
        if not own:
            own = _fresh(mid, effective, used)
            used.add(own)
            keys[mid] = (own, follows)
    return rekeyed(plan, keys)


def _fresh(mid: str, effective: Period, used: set[str]) -> str:
    candidates = [mid, f"{mid}/{effective}"]
    candidates += [f"{mid}/{effective}-{i}" for i in range(2, 1000)]
    return next(c for c in candidates if c not in used)


def rekeyed(plan: Plan, keys: dict[str, tuple[str, tuple[str, ...]]]) -> Plan:
    def keyed(m: Measure) -> Measure:
        own, follows = keys[m.id]
        return replace(m, key=own or m.id, follows=follows)

    sections = tuple(
        Section(
            s.id,
            s.number,
            s.title,
            tuple(Task(x.id, x.number, x.title, tuple(map(keyed, x.measures))) for x in s.tasks),
            tuple(map(keyed, s.measures)),
        )
        for s in plan.sections
    )
    return replace(plan, sections=sections)
