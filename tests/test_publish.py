"""``zvit publish`` without a browser: the files it writes, what they hold and what they
never hold, numbers equal to the report's, runs of periods, templates a workspace owns."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.publish_support import (
    HOSTILE,
    MADE_ON,
    PERSON,
    UNIT_PHONE,
    YEARS,
    inputs,
    site_text,
    workspace,
)
from toolkit.cli import cli
from toolkit.errors import UsageError
from toolkit.messages import messages
from toolkit.periods import Period, parse_periods
from toolkit.publish import publish
from toolkit.publish.privacy import scrub
from toolkit.report.build import consolidate_workspace
from toolkit.report.status import DONE, NO_REPORT
from toolkit.workspace import Workspace, copy_templates

ROOT = Path(__file__).resolve().parents[1]
RUN = tuple(Period(y) for y in YEARS)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    root = tmp_path_factory.mktemp("publish")
    ws = workspace(root / "ws")
    publish(ws, RUN, root / "site", made_on=MADE_ON, inputs=inputs())
    return ws, root / "site"


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# ---- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", ["2025"]),
        ("2019..2025", [str(y) for y in range(2019, 2026)]),
        ("2019–2021", ["2019", "2020", "2021"]),
        ("2019-2020", ["2019", "2020"]),
        ("2024-Q3..2025-Q2", ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]),
        ("2025-Q1", ["2025-Q1"]),
        (" 2025 .. 2025 ", ["2025"]),
    ],
)
def test_a_period_or_a_run_of_periods(text: str, expected: list[str]) -> None:
    assert [str(p) for p in parse_periods(text)] == expected


@pytest.mark.parametrize("text", ["2025..2019", "2024..2025-Q1", "x..2025", "1900..2100", ""])
def test_a_wrong_run_is_a_plain_message(text: str) -> None:
    with pytest.raises(UsageError):
        parse_periods(text)


# ---- personal data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "пишіть на ivan.petrenko@osvita.gov.ua",
        "тел. (0642) 55-12-34",
        "моб. 050 123 45 67",
        "+380501234567",
        "+38 (050) 123-45-67",
        "0501234567",
        "тел.: 2-23-45",
        "phone 22345",
    ],
)
def test_e_mails_and_phones_leave_the_narrative(text: str) -> None:
    clean = scrub(f"Зроблено. {text}. Кінець.", "uk")
    assert clean.found
    assert not re.search(r"\d{4}|@", clean.text.replace("Кінець", "")), clean.text
    assert "[вилучено]" in clean.text


@pytest.mark.parametrize(
    "text",
    [
        "Виділено 1 250 000 грн",
        "рішення від 05.01.2026 № 1003",
        "з 01.09.2025 30 дітей",
        "охоплено 12 345 дітей у 2025 році",
        "код ЄДРПОУ 02910019",
        "телефонували 5 разів",
        "сума 10 500 000 000",
    ],
)
def test_amounts_dates_and_numbers_stay(text: str) -> None:
    assert scrub(text, "uk").text == text


def test_no_personal_data_leaves_the_workspace(published: tuple[Workspace, Path]) -> None:
    """Neither the page nor the data hold a file name, hash, submission number, unit id,
    e-mail address, phone or contact person — of the registry or of any narrative."""
    ws, site = published
    text = site_text(site)
    registry = ws.registry()
    for unit in registry.units.values():
        assert unit.contact["person"] not in text
        assert unit.contact["phone"] not in text
        for email in unit.emails:
            assert email not in text
        if "-" in unit.id:
            assert f'"{unit.id}"' not in text and f">{unit.id}<" not in text
    assert PERSON not in text and UNIT_PHONE not in text
    assert "ivanenko@osvita.example" not in text and "55-12-34" not in text
    assert not re.search(r"\b[0-9a-f]{64}\b", text), "a SHA-256 on the page"
    for data in inputs().values():
        for sub in data.accepted.values():
            assert sub.filename not in text
            assert sub.sha256 not in text
            assert sub.source not in text


def test_contacts_of_bodies_only_when_asked_and_never_a_person(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    publish(ws, (Period(2025),), tmp_path / "site", contacts=True, inputs=inputs((2025,)))
    rows = read_csv(tmp_path / "site" / "data" / "bodies.csv")
    unit = ws.registry().units[next(u for u in ws.registry().units if u != "loda")]
    mine = [r for r in rows if r["bodyName"] == unit.name]
    assert mine and mine[0]["email"] == "; ".join(unit.emails)
    # "'+380…": a leading + would be a formula in a spreadsheet; the data.gov.ua
    # recommendations allow exactly this apostrophe before a phone's +
    assert mine[0]["phone"] == "'" + unit.contact["phone"]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert unit.emails[0] in page and PERSON not in site_text(tmp_path / "site")


def test_removed_personal_data_is_reported(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    done = publish(ws, (Period(2025),), tmp_path / "site", inputs=inputs((2025,)))
    codes = {i.code for i in done.issues}
    assert {"W_PUBLISH_EMAIL_REMOVED", "W_PUBLISH_PHONE_REMOVED"} <= codes


# ---- what untrusted text can become --------------------------------------------------


def test_hostile_narrative_is_text_everywhere(published: tuple[Workspace, Path]) -> None:
    _, site = published
    page = (site / "2025.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert 'href="javascript:' not in page and "<b>жирний" not in page and "<img" not in page
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;" in page  # shown, as text
    assert "&lt;script&gt;alert(&#34;zvit&#34;)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page  # data, never a template
    measures = read_csv(site / "data" / "measures.csv")
    hostile = [r for r in measures if "<script>" in r["narrativeDone"]]
    assert hostile and hostile[0]["narrativeDone"].count(HOSTILE.split(" {{")[0]) == 1
    # a text that starts like a formula is kept from running in a spreadsheet
    assert all(not v.startswith(("=", "+", "@")) for r in measures for v in r.values())


def test_only_the_pages_own_stylesheet_runs(published: tuple[Workspace, Path]) -> None:
    _, site = published
    page = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    policy = html.unescape(found.group(1)) if found else ""
    assert "default-src 'none'" in policy and "script" not in policy
    assert not re.search(
        r"\b(src|href)=\"(https?:)?//",
        page.replace('href="https://creativecommons.org/licenses/by/4.0/" rel="license"', ""),
    ), "nothing is loaded from elsewhere"


# ---- the numbers -----------------------------------------------------------------------


def test_open_data_equals_the_report(published: tuple[Workspace, Path]) -> None:
    ws, site = published
    summary = {r["period"]: r for r in read_csv(site / "data" / "summary.csv")}
    indicators = read_csv(site / "data" / "indicators.csv")
    data = inputs()
    for period in RUN:
        c = consolidate_workspace(ws, period, data[period])
        row = summary[str(period)]
        assert int(row["measures"]) == len(c.rows)
        assert int(row["measuresDone"]) == sum(r.combined == DONE for r in c.rows)
        assert int(row["measuresNoReport"]) == sum(r.combined == NO_REPORT for r in c.rows)
        assert int(row["measuresOverdue"]) == sum(r.overdue for r in c.rows)
        assert int(row["unitsExpected"]) == len(c.expected)
        assert int(row["unitsReported"]) == len(c.expected) - len(c.missing)
        shown = {r["measureNumber"]: r for r in indicators if r["period"] == str(period)}
        for r in c.rows:
            if r.value is None and r.target is None:
                assert r.measure.id not in shown
                continue
            got = shown[r.measure.id]
            assert (float(got["value"]) if got["value"] else None) == r.value
            assert (float(got["cumulative"]) if got["cumulative"] else None) == r.cumulative


def test_structure_describes_every_column(published: tuple[Workspace, Path]) -> None:
    _, site = published
    meta = json.loads((site / "data" / "structure.json").read_text(encoding="utf-8"))
    assert meta["@context"][0] == "http://www.w3.org/ns/csvw" and meta["dc:license"]
    structure = read_csv(site / "data" / "structure.csv")
    for table in meta["tables"]:
        header = (site / "data" / table["url"]).read_bytes().decode("utf-8").split("\r\n")[0]
        names = [c["name"] for c in table["tableSchema"]["columns"]]
        assert header.split(",") == names
        assert all(c["titles"] and c["dc:description"] for c in table["tableSchema"]["columns"])
        assert [r["name"] for r in structure if r["table"] == table["url"]] == names
        doc = json.loads((site / "data" / table["url"]).with_suffix(".json").read_text("utf-8"))
        assert doc["columns"] == names and doc["license"]
        assert all(list(row) == names for row in doc["rows"])
        assert all(re.fullmatch(r"[a-z][A-Za-z]*", n) for n in names)  # lowerCamelCase


def test_changes_since_the_previous_year(published: tuple[Workspace, Path]) -> None:
    ws, site = published
    changes = read_csv(site / "data" / "changes.csv")
    data = inputs()
    before = {
        r.measure.id: r.combined for r in consolidate_workspace(ws, RUN[1], data[RUN[1]]).rows
    }
    after = {r.measure.id: r.combined for r in consolidate_workspace(ws, RUN[2], data[RUN[2]]).rows}
    expected = {m for m in before.keys() | after.keys() if before.get(m) != after.get(m)}
    assert {r["measureNumber"] for r in changes if r["period"] == "2025"} == expected
    assert expected, "the seeded years differ"


# ---- files, runs and templates ---------------------------------------------------------


def test_a_run_has_a_page_per_period_and_an_overview(published: tuple[Workspace, Path]) -> None:
    _, site = published
    assert {p.name for p in site.glob("*.html")} == {
        "index.html",
        "2023.html",
        "2024.html",
        "2025.html",
    }
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{y}.html"' in overview for y in YEARS)
    assert overview.count("<h1") == 1 and 'lang="uk"' in overview


def test_republishing_replaces_only_its_own_files(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    site = tmp_path / "site"
    publish(ws, RUN[1:], site, inputs=inputs())
    (site / "webmaster.html").write_text("their own", encoding="utf-8")
    (site / ".zvit-site.json").write_text(
        json.dumps(["2024.html", "../ws/zvit.toml", "data/changes.csv", "webmaster.html"][:3]),
        encoding="utf-8",
    )
    publish(ws, (Period(2025),), site, inputs=inputs((2025,)))
    assert not (site / "2024.html").exists() and not (site / "data" / "changes.csv").exists()
    assert (site / "webmaster.html").is_file() and (ws.root / "zvit.toml").is_file()


def test_init_copies_the_templates_and_the_workspace_copy_wins(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    own = ws.root / "templates" / "site"
    assert {p.name for p in own.iterdir()} == {
        p.name for p in (ROOT / "templates" / "site").iterdir()
    }
    css = own / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.coordinator-own { color: #123456; }\n")
    publish(ws, (Period(2025),), tmp_path / "site", inputs=inputs((2025,)))
    assert ".coordinator-own" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    css.write_text("p::after { content: '</style><script>x</script>'; }", encoding="utf-8")
    with pytest.raises(UsageError):
        publish(ws, (Period(2025),), tmp_path / "site", inputs=inputs((2025,)))


def test_every_key_the_templates_use_is_in_the_catalog() -> None:
    used = set()
    for path in (ROOT / "templates" / "site").glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+[a-z0-9_])["']""", text))
    assert used and not used - set(messages())


def test_the_templates_never_mark_data_safe() -> None:
    for path in (ROOT / "templates" / "site").glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text, path.name


# ---- the command -------------------------------------------------------------------------


def test_cli_publish_with_an_empty_ledger(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    run = CliRunner().invoke
    result = run(cli, ["-w", str(ws.root), "publish", "-p", "2024..2025"])
    assert result.exit_code == 0, result.output
    assert "W_PUBLISH_NO_REPORTS" in result.output
    assert (ws.root / "site" / "index.html").is_file() and (
        ws.root / "site" / "2024.html"
    ).is_file()
    english = run(
        cli,
        ["-w", str(ws.root), "--lang", "en", "publish", "-p", "2025", "-o", str(tmp_path / "en")],
    )
    assert english.exit_code == 0 and "The site is in" in english.output
    assert '<html lang="en">' in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert run(cli, ["-w", str(ws.root), "publish", "-p", "2025..2019"]).exit_code == 2
    assert run(cli, ["-w", str(ws.root), "publish", "-p", "2010"]).exit_code == 2


def test_the_workspace_copy_of_a_template_wins_and_is_kept(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws")
    own = ws.root / "templates" / "site" / "site.css"
    assert ws.template("site", "site.css") == own
    own.write_text("/* mine */", encoding="utf-8")
    assert copy_templates(ws.root) == []  # zvit init --force keeps the coordinator's edits
    assert own.read_text(encoding="utf-8") == "/* mine */"
    own.unlink()
    assert ws.template("site", "site.css") == ROOT / "templates" / "site" / "site.css"
    with pytest.raises(UsageError):
        ws.template("site", "no-such.j2")
