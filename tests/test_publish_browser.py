"""The published pages in a real browser (the system's headless Chromium): axe-core finds
no serious or critical violation, the page reads at 320 px and on a desktop, by keyboard,
without JavaScript, offline and on paper; the numbers on it are the report's; an
executor's markup stays text.

ZVIT_SHOTS=DIR keeps the screenshots there, to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.publish_support import HOSTILE, MADE_ON, YEARS, inputs, workspace
from tests.support.browser import axe_source
from toolkit.periods import Period
from toolkit.publish import publish
from toolkit.report.build import consolidate_workspace
from toolkit.report.model import Consolidated
from toolkit.report.status import COMBINED
from toolkit.workspace import Workspace

pytestmark = pytest.mark.slow
RUN = tuple(Period(y) for y in YEARS)
FIELDS = {
    "виконано": "measuresDone",
    "виконується": "measuresInProgress",
    "не виконано": "measuresNotDone",
    "втратив актуальність": "measuresLost",
    "немає звіту": "measuresNoReport",
}


@dataclass(frozen=True)
class Site:
    ws: Workspace
    uk: Path  # the run, in Ukrainian
    en: Path  # the last year alone, in English

    def report(self, period: Period) -> Consolidated:
        return consolidate_workspace(self.ws, period, inputs()[period])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("site")
    ws = workspace(root / "ws")
    data = inputs()
    publish(ws, RUN, root / "uk", made_on=MADE_ON, inputs=data)
    publish(ws, RUN[-1:], root / "en", lang="en", made_on=MADE_ON, inputs=data)
    return Site(ws, root / "uk", root / "en")


@contextmanager
def opened(browser: Browser, path: Path, width: int = 1280, **options: Any) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        yield page
    finally:
        context.close()


def shot(page: Page, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ZVIT_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png")
    return folder / f"{name}.png"


def number(text: str) -> float:
    """A number as the Ukrainian page shows it («1 234,5», «45 %»)."""
    return float(re.sub(r"[\s\u00a0%]", "", text).replace(",", "."))


@pytest.mark.parametrize("page_name", ["uk/2025.html", "uk/index.html", "en/index.html"])
def test_axe_finds_no_serious_or_critical_violation(
    chromium: Browser, site: Site, page_name: str
) -> None:
    folder, name = page_name.split("/")
    # axe is a script, which the page's own policy forbids: this one context may run it
    with opened(chromium, getattr(site, folder) / name, bypass_csp=True) as page:
        page.add_script_tag(content=axe_source())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
    assert result["testEngine"]["version"] == "4.14.1"


@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_reads_at_phone_and_desktop_widths(
    chromium: Browser, site: Site, width: int, tmp_path: Path
) -> None:
    for name in ("2025.html", "index.html"):
        with opened(chromium, site.uk / name, width) as page:
            # the page itself never scrolls sideways; a wide table scrolls in its own region
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            wide = page.evaluate(
                """() => [...document.querySelectorAll('table')].filter(t =>
                    t.scrollWidth > document.documentElement.clientWidth &&
                    !(t.parentElement.matches('.table-wrap[role=region][tabindex="0"]')))
                    .length"""
            )
            assert wide == 0
            assert shot(page, f"{name}-{width}", tmp_path).stat().st_size > 10_000
            for part in ("#sections", "article.measure", "#indicators", "#course-indicators"):
                if page.locator(part).count():
                    page.locator(part).first.scroll_into_view_if_needed()
                    shot(page, f"{name}-{width}-{part.strip('#').split('.')[0]}", tmp_path)


def test_the_numbers_on_the_page_are_the_reports(chromium: Browser, site: Site) -> None:
    period = RUN[-1]
    c = site.report(period)
    with opened(chromium, site.uk / f"{period}.html") as page:
        facts = page.eval_on_selector_all(
            "dl.facts data", "ds => ds.map(d => [d.dataset.field, d.value, d.textContent])"
        )
        shown = {field: (value, text) for field, value, text in facts}
        expected = {f: sum(r.combined == s for r in c.rows) for s, f in FIELDS.items()}
        expected |= {
            "measures": len(c.rows),
            "measuresOverdue": sum(r.overdue for r in c.rows),
            "unitsExpected": len(c.expected),
            "unitsReported": len(c.expected) - len(c.missing),
            "unitsMissing": len(c.missing),
        }
        for field, want in expected.items():
            value, text = shown[field]
            assert float(value) == want and number(text) == want, field
        rows = page.eval_on_selector_all(
            "table[data-table=sections] tbody tr",
            """trs => trs.map(tr => [tr.dataset.section,
                 Object.fromEntries([...tr.querySelectorAll('data')].map(d =>
                     [d.dataset.field, d.value]))])""",
        )
        assert [sid for sid, _ in rows] == [s.section.id for s in c.sections]
        for (_, cells), s in zip(rows, c.sections, strict=True):
            assert int(cells["measures"]) == s.measures
            for status in COMBINED:
                assert int(cells[FIELDS[status]]) == s.by_status.get(status, 0)
        indicators = page.eval_on_selector_all(
            "table[data-table=indicators] tbody tr",
            """trs => trs.map(tr => [tr.dataset.measure,
                 Object.fromEntries([...tr.querySelectorAll('data')].map(d =>
                     [d.dataset.field, [d.value, d.textContent]]))])""",
        )
        by_id = {r.measure.id: r for r in c.rows}
        assert indicators
        for mid, cells in indicators:
            r = by_id[mid]
            for field, want in (("value", r.value), ("cumulative", r.cumulative)):
                value, text = cells[field]
                if want is None:
                    assert value == "" and text == "—"
                else:
                    assert float(value) == want and number(text) == round(want, 2)
        statuses = page.eval_on_selector_all(
            "article.measure",
            "as => as.map(a => [a.dataset.measure, a.querySelector('h4 .status').textContent])",
        )
        assert statuses == [[r.measure.id, r.combined] for r in c.rows]


def test_markup_in_a_narrative_is_shown_as_text(chromium: Browser, site: Site) -> None:
    with opened(chromium, site.uk / "2025.html") as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        said = page.locator("p.said", has_text="<script>")
        assert said.count() == 1
        text = said.first.text_content() or ""
        assert HOSTILE.split(" <img")[0] in text and "[вилучено]" in text
        assert page.evaluate("document.scripts.length") == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert said.first.locator("a, b, img, script").count() == 0
        page.wait_for_timeout(200)
        assert dialogs == []


def test_self_contained_offline_and_without_javascript(chromium: Browser, site: Site) -> None:
    requested: list[str] = []
    for js in (True, False):
        context = chromium.new_context(offline=True, java_script_enabled=js)
        try:
            page = context.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.goto((site.uk / "2025.html").as_uri())
            assert page.locator("h1").count() == 1
            assert page.locator("article.measure").count() == len(site.report(RUN[-1]).rows)
            assert page.evaluate("document.fonts.size") == 0 or page.evaluate(
                "[...document.fonts].every(f => f.status !== 'error')"
            )
        finally:
            context.close()
    assert requested == [(site.uk / "2025.html").as_uri()] * 2


def test_keyboard_reaches_the_content_first(chromium: Browser, site: Site) -> None:
    with opened(chromium, site.uk / "2025.html") as page:
        page.keyboard.press("Tab")
        skip = page.evaluate("document.activeElement.className")
        assert skip == "skip"
        box = page.locator("a.skip").bounding_box()
        assert box is not None and box["y"] >= 0  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert style != "none", "focus must be visible"
        regions = page.locator(".table-wrap[tabindex='0']").count()
        assert regions >= 3


@pytest.mark.parametrize("page_name", ["uk/2025.html", "uk/index.html", "en/index.html"])
def test_headings_tables_charts_and_language(chromium: Browser, site: Site, page_name: str) -> None:
    folder, name = page_name.split("/")
    with opened(chromium, getattr(site, folder) / name) as page:
        levels = page.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))"
        )
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in pairwise(levels)), levels
        tables = page.eval_on_selector_all(
            "table",
            "ts => ts.map(t => [!!t.caption && t.caption.textContent.trim().length > 0,"
            " t.querySelectorAll('th[scope]').length])",
        )
        assert tables and all(caption and heads for caption, heads in tables)
        charts = page.eval_on_selector_all(
            "svg[role=img]",
            """ss => ss.map(s => s.getAttribute('aria-labelledby').split(' ').map(id =>
                 (document.getElementById(id) || {}).textContent || '').join(' ').trim())""",
        )
        assert charts and all(len(c) > 20 for c in charts)
        assert page.get_by_role("img").count() == len(charts)
        lang = page.evaluate("document.documentElement.lang")
        assert lang == folder
        if folder == "en":
            plan = page.locator("p.plan")
            assert plan.get_attribute("lang") == "uk"
            assert page.locator("h1").text_content().startswith("Implementation")  # type: ignore[union-attr]


def test_printed(chromium: Browser, site: Site, tmp_path: Path) -> None:
    with opened(chromium, site.uk / "2025.html") as page:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('nav.toc')).display") == (
            "none"
        )
        pdf = tmp_path / "page.pdf"
        page.pdf(path=pdf, format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Стан виконання плану заходів" in text and "Підсумки" in text
        assert "Перейти до змісту" not in text
