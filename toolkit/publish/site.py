"""``zvit publish``: the consolidated data of one period or a run of periods → a static
site: ``index.html`` (and a page per period for a run), ``data/`` with the open data.

The data is the report's (``report.build.consolidate_workspace``): whatever decides which
submissions count decides it here too, and nothing here reads the ledger."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path, PurePosixPath

from toolkit.errors import UsageError
from toolkit.formats import day
from toolkit.fsutil import atomic_write_bytes
from toolkit.issues import Issue
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.publish.changes import Changes, changes
from toolkit.publish.opendata import Meta, files
from toolkit.publish.render import Site, environment, render_pages
from toolkit.publish.tables import tables
from toolkit.publish.view import NARRATIVES, PeriodView, period_view
from toolkit.report.build import ReportInputs, consolidate_workspace
from toolkit.workspace import Workspace

DATA = "data"
MANIFEST = ".zvit-site.json"  # what the last publish wrote here: only those are replaced
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Published:
    folder: Path
    pages: tuple[str, ...]  # relative to folder
    data: tuple[str, ...]
    views: tuple[PeriodView, ...]
    issues: tuple[Issue, ...]  # the report's and the page's, for the coordinator


def publish(
    ws: Workspace,
    periods: tuple[Period, ...],
    output: Path | None = None,
    *,
    lang: Lang | None = None,
    contacts: bool = False,
    made_on: date | None = None,
    inputs: Mapping[Period, ReportInputs] | None = None,
) -> Published:
    """Write the site of ``periods`` (oldest first) into ``output`` (the workspace's
    ``site/`` by default); ``inputs`` replaces the ledger, period by period."""
    plan = ws.plan(periods[-1])  # the revision in force at the end of the run
    _within(plan, periods)
    lang = lang or ws.lang
    made_on = made_on or date.today()
    merged = [consolidate_workspace(ws, p, (inputs or {}).get(p)) for p in periods]
    wanted = _narratives(ws)
    views = tuple(period_view(c, lang, contacts=contacts, narratives=wanted) for c in merged)
    order = [m.key for m in plan.measures()]
    moves: tuple[Changes, ...] = tuple(changes(a, b, order) for a, b in pairwise(views))
    found = tables(views, moves, contacts=contacts)
    site = Site(
        plan_title=plan.title,
        issuer=plan.issuer,
        decision=plan.decision.label(lang, day(plan.decision.date, lang)),
        first_year=plan.first_year,
        last_year=plan.last_year,
        publisher=_publisher(ws, plan),
        license=str(ws.setting("publish", "license", "") or t("publish.license", lang)),
        license_url=_license_url(ws),
        made_on=made_on,
        periods=periods,
        tables=found,
        contacts=contacts,
    )
    meta = Meta(
        t("publish.dataset", lang, plan=plan.title),
        site.publisher,
        site.license,
        site.license_url,
        made_on,
        lang,
    )
    pages = render_pages(environment(ws.template_folders("site"), lang), site, views, moves)
    data = {f"{DATA}/{name}": body for name, body in files(found, meta)}
    folder = output or ws.folder("site")
    _write(folder, pages | data)
    issues = [i for c in merged for i in c.issues] + [i for v in views for i in v.issues]
    return Published(folder, tuple(pages), tuple(data), views, tuple(issues))


def _within(plan: Plan, periods: tuple[Period, ...]) -> None:
    outside = [p for p in periods if not plan.first_year <= p.year <= plan.last_year]
    if outside:
        raise UsageError(
            "publish.error.outside",
            period=str(outside[0]),
            first=plan.first_year,
            last=plan.last_year,
        )


def _narratives(ws: Workspace) -> tuple[str, ...]:
    found = ws.setting("publish", "narratives", list(NARRATIVES))
    if not isinstance(found, list) or not all(isinstance(k, str) for k in found):
        raise UsageError("publish.error.narratives", value=str(found))
    return tuple(found)


def _license_url(ws: Workspace) -> str:
    """The link under the licence: a web address, or none (never another kind of link)."""
    url = str(ws.setting("publish", "license_url", LICENSE_URL) or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise UsageError("publish.error.license_url", value=url)
    return url


def _publisher(ws: Workspace, plan: Plan) -> str:
    named = ws.setting("publish", "publisher", "")
    if named:
        return str(named)
    coordinator = ws.registry().units.get(plan.coordinator)
    return coordinator.name if coordinator else plan.issuer


def _write(folder: Path, content: Mapping[str, bytes]) -> None:
    """Every file atomically; then the files an earlier publish left here that this one
    no longer makes (a period dropped from the run) go, and only those."""
    earlier = _manifest(folder)
    for name, body in content.items():
        atomic_write_bytes(folder / name, body)
    for name in sorted(earlier - set(content)):
        (folder / name).unlink(missing_ok=True)
    listed = json.dumps(sorted(content), ensure_ascii=False, indent=1) + "\n"
    atomic_write_bytes(folder / MANIFEST, listed.encode("utf-8"))


def _manifest(folder: Path) -> set[str]:
    """The files the last publish wrote, as it listed them; a name that would reach out of
    the folder is ignored, so an edited list can never remove anything else."""
    try:
        names = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(names, list):
        return set()
    out = set()
    for name in names:
        if not isinstance(name, str):
            continue
        path = PurePosixPath(name)
        if not path.is_absolute() and ".." not in path.parts and not set(name) & set("\\:"):
            out.add(name)
    return out
