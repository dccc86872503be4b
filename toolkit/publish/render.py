"""The pages, from Jinja2 templates (``templates/site/``; a workspace's own copy wins).

Escaping is always on (``autoescape=True`` for every template, whatever its name), and the
templates receive only the public view (``view.py``) and the open-data description, so an
executor's text can never become markup, a script or a link. The stylesheet is inlined and
pinned by its hash in the page's Content-Security-Policy: the page loads nothing and runs
nothing, from disk or from any server."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from toolkit import formats as fmt
from toolkit.errors import UsageError
from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.publish.changes import Changes
from toolkit.publish.charts import STATUS_CLASS, bar, segments
from toolkit.publish.course import course
from toolkit.publish.opendata import description, title
from toolkit.publish.tables import Table
from toolkit.publish.view import PeriodView
from toolkit.report.labels import status_label
from toolkit.report.notes import notes
from toolkit.report.status import COMBINED, DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE

STYLESHEET = "site.css"
PERIOD_PAGE = "period.html.j2"
OVERVIEW_PAGE = "overview.html.j2"
# The open data's column of each combined status (tables.py names them)
STATUS_FIELDS = {
    DONE: "measuresDone",
    IN_PROGRESS: "measuresInProgress",
    NOT_DONE: "measuresNotDone",
    LOST: "measuresLost",
    NO_REPORT: "measuresNoReport",
}
# The report's notes a reader of the page needs: how statuses, overdue measures,
# executors, indicators and funds were counted. The rest (provenance by sheet and cell,
# the Excel limits of texts) is about the workbook.
PUBLIC_NOTES = 5


@dataclass(frozen=True)
class Site:
    """What every page says about the plan and the site itself."""

    plan_title: str
    issuer: str
    decision: str
    first_year: int
    last_year: int
    publisher: str
    license: str
    license_url: str
    made_on: date
    periods: tuple[Period, ...]
    tables: tuple[Table, ...]
    contacts: bool

    @property
    def many(self) -> bool:
        return len(self.periods) > 1


def page_name(period: Period, site: Site) -> str:
    """The file of a period's page: ``index.html`` when it is the only one."""
    return f"{period.slug()}.html" if site.many else "index.html"


def environment(folders: Sequence[Path], lang: Lang) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Any] = {
        "num": partial(_num, lang),
        "pct": lambda v: fmt.pct(v, lang),
        "day": lambda v: fmt.day(v, lang),
        "machine": fmt.machine,
        "status": lambda s: status_label(s, lang),
        "status_class": lambda s: STATUS_CLASS.get(s or "", "noreport"),
        "period_label": lambda p: p.label(lang),
    }
    env.filters |= filters
    env.globals |= {
        "t": partial(_t, lang),
        "lang": lang,
        "statuses": COMBINED,
        "status_fields": STATUS_FIELDS,
        "notes": notes(lang)[:PUBLIC_NOTES],
        "segments": segments,
        "bar": bar,
        "field_title": lambda f: title(f, lang),
        "field_about": lambda f: description(f, lang),
    }
    return env


def _num(lang: Lang, value: float | None, digits: int = 2) -> str:
    return fmt.num(value, lang, digits)


def _t(lang: Lang, key: str, **params: Any) -> str:
    return t(key, lang, **params)


def render_pages(
    env: Environment, site: Site, views: tuple[PeriodView, ...], changes: tuple[Changes, ...]
) -> dict[str, bytes]:
    """File name → bytes of every page of the site."""
    css = env.get_template(STYLESHEET).render()
    if "</" in css:
        raise UsageError("publish.error.stylesheet")
    common = {
        "site": site,
        "css": Markup(css),  # the coordinator's own stylesheet, checked above
        "csp": _policy(css),
        "page_name": lambda p: page_name(p, site),
    }
    before = {c.period: c for c in changes}
    pages = {}
    for v in views:
        html = env.get_template(PERIOD_PAGE).render(
            common, view=v, changes=before.get(v.period), current=v.period
        )
        pages[page_name(v.period, site)] = html.encode("utf-8")
    if site.many:
        html = env.get_template(OVERVIEW_PAGE).render(
            common, views=views, changes=changes, course=course(views), current=None
        )
        pages["index.html"] = html.encode("utf-8")
    return pages


def _policy(css: str) -> str:
    """Nothing may load or run but the page's own stylesheet (and pictures inlined as data)."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
