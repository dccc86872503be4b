"""Plan documents that cannot be read whole: every one gives its own code, never a
traceback and never a silently partial plan. Bad files, rows that cannot be placed,
numbering gaps, measures without executors or deadlines, particulars that are missing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from tests.support import hostile
from tests.support.councildocs import Layout
from tests.support.councilexcel import write_xlsx
from tests.support.councilword import write_docx
from toolkit.cli import cli
from toolkit.errors import InvalidFileError
from toolkit.plan.check import check_plan
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Deadline, Plan, Section
from toolkit.plan.overrides import Overrides

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HLUKHIV = EXAMPLES / "hlukhiv-2020-2026"
LUHANSK = EXAMPLES / "luhansk-2018-2026"


def _plan(folder: Path = HLUKHIV) -> Plan:
    return load_plan(folder / "plan.yaml")


def _import(path: Path, folder: Path = HLUKHIV, overrides: bool = True) -> Any:
    return import_plan(
        path,
        load_registry(folder / "units.yaml"),
        Overrides.load(folder / "overrides.yaml") if overrides else Overrides(),
    )


def _refused(path: Path) -> list[str]:
    with pytest.raises(InvalidFileError) as err:
        import_plan(path)
    return [i.code for i in err.value.issues]


def _tidy_docx(tmp_path: Path, folder: Path = HLUKHIV, **layout: Any) -> Path:
    path = tmp_path / "plan.docx"
    write_docx(_plan(folder), Layout("t", **layout), path)
    return path


# --- files that are not a readable plan ---------------------------------------------------


@pytest.fixture
def no_office(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZVIT_SOFFICE", "none")


def test_empty_file(tmp_path: Path) -> None:
    for name in ("plan.docx", "plan.xlsx", "plan.csv"):
        (tmp_path / name).write_bytes(b"")
        assert _refused(tmp_path / name) == ["E_PLAN_FILE_EMPTY"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_truncated_download(kind: str, tmp_path: Path) -> None:
    whole = tmp_path / f"whole.{kind}"
    (write_docx if kind == "docx" else write_xlsx)(_plan(), Layout("t"), whole)
    for cut in (0.3, 0.6, 0.95):
        data = whole.read_bytes()
        broken = tmp_path / f"plan.{kind}"
        broken.write_bytes(data[: int(len(data) * cut)])
        assert _refused(broken) == ["E_PLAN_FILE_DAMAGED"], cut


def test_damaged_part_inside_a_whole_package(tmp_path: Path) -> None:
    whole = _tidy_docx(tmp_path)
    parts = hostile.members(whole.read_bytes())
    parts["word/document.xml"] = parts["word/document.xml"][:5000]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(hostile.pack(parts))
    assert _refused(broken) == ["E_PLAN_FILE_DAMAGED"]


def test_password_protected(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_tidy_docx(tmp_path).read_bytes())).encrypt("таємно", out)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(out.getvalue())
    assert _refused(locked) == ["E_PLAN_FILE_ENCRYPTED"]


def test_web_page_saved_as_docx(tmp_path: Path) -> None:
    page = tmp_path / "plan.docx"
    page.write_text(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table><tr><td>№</td>'
        "<td>Захід</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert _refused(page) == ["E_PLAN_FILE_HTML"]
    mht = tmp_path / "plan2.docx"
    mht.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"\r\n')
    assert _refused(mht) == ["E_PLAN_FILE_HTML"]


def test_pdf_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert _refused(tmp_path / "plan.pdf") == ["E_PLAN_FILE_PDF"]
    (tmp_path / "plan.bin").write_bytes(b"\x01\x02\x03 binary")
    assert _refused(tmp_path / "plan.bin") == ["E_PLAN_FILE_UNKNOWN"]
    (tmp_path / "plan.docx").write_bytes(b"just some words, not a package")
    assert _refused(tmp_path / "plan.docx") == ["E_PLAN_FILE_DAMAGED"]
    (tmp_path / "pics.zip").write_bytes(hostile.pack({"a.txt": b"x"}))
    assert _refused(tmp_path / "pics.zip") == ["E_PLAN_FILE_UNKNOWN"]


@pytest.mark.usefixtures("no_office")
def test_old_and_open_formats_without_libreoffice_say_save_as_docx(tmp_path: Path) -> None:
    doc = tmp_path / "plan.docx"  # an old .doc renamed .docx
    doc.write_bytes(hostile.cfb({"WordDocument": b"\xec\xa5" + b"\x00" * 510}))
    odt = tmp_path / "plan.odt"
    odt.write_bytes(hostile.pack({"mimetype": b"application/vnd.oasis.opendocument.text"}))
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Plan}")
    xls = tmp_path / "plan.xls"
    xls.write_bytes(hostile.xls_minimal())
    for path, target in ((doc, "docx"), (odt, "docx"), (rtf, "docx"), (xls, "xlsx")):
        with pytest.raises(InvalidFileError) as err:
            import_plan(path)
        [found] = err.value.issues
        assert found.code == "E_PLAN_NEEDS_OFFICE"
        assert f"збережіть як .{target}" in found.message("uk").lower()


def test_missing_libreoffice_program_is_a_coded_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZVIT_SOFFICE", str(tmp_path / "nowhere" / "soffice"))
    rtf = tmp_path / "plan.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Plan}")
    assert _refused(rtf) == ["E_PLAN_NEEDS_OFFICE"]


def test_cli_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "plan.docx"
    bad.write_bytes(_tidy_docx(tmp_path).read_bytes()[:3000])
    result = CliRunner().invoke(cli, ["plan", "import", str(bad), "-o", str(tmp_path / "p.yaml")])
    assert result.exit_code == 1
    assert "E_PLAN_FILE_DAMAGED" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "body",
    [
        bytes(range(256)) * 10,  # anything at all, named .csv
        b"\xef\xbb\xbf",  # Excel's BOM and nothing else
        '№;Захід;Термін;Виконавці\rI.;Розділ\r\n1;"незакрите;'.encode("cp1251"),
        b"a\x00b;c;d;e\n",
    ],
    ids=["bytes", "bom", "broken-quotes", "nul"],
)
def test_any_csv_gets_a_coded_error(body: bytes, tmp_path: Path) -> None:
    bad = tmp_path / "plan.csv"
    bad.write_bytes(body)
    result = CliRunner().invoke(cli, ["plan", "import", str(bad), "-o", str(tmp_path / "p.yaml")])
    assert result.exit_code == 1
    assert "[E_" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_csv_with_old_mac_line_ends_is_read(tmp_path: Path) -> None:
    from tests.test_plan_files import _csv

    plan = load_plan(EXAMPLES / "hlukhiv-2020-2026" / "plan.yaml")
    path = tmp_path / "plan.csv"
    path.write_bytes(_csv(plan).replace(b"\r\n", b"\r"))
    folder = EXAMPLES / "hlukhiv-2020-2026"
    overrides = Overrides.load(folder / "overrides.yaml")
    result = import_plan(path, load_registry(folder / "units.yaml"), overrides)
    assert result.plan is not None
    assert result.plan.to_dict() | {"source": ""} == plan.to_dict() | {"source": ""}


# --- never silently partial -----------------------------------------------------------------


def _rows_of(path: Path) -> tuple[Any, list[Any]]:
    document = docx.Document(str(path))
    table = max(document.tables, key=lambda t: len(t.rows))
    return document, list(table.rows)


def _row_with(rows: list[Any], text: str) -> Any:
    return next(r for r in rows if any(text in c.text for c in r.cells))


def test_a_lost_row_is_a_numbering_gap(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    victim = _row_with(rows, _plan().measure("II.3").text[:40])
    victim._tr.getparent().remove(victim._tr)
    document.save(str(path))
    result = _import(path)
    gaps = [i for i in result.issues if i.code == "E_NUMBERING_GAP"]
    assert [(g.params["part"], g.params["expected"], g.params["found"]) for g in gaps] == [
        ("II", 3, 4)
    ]
    counts = [i for i in result.issues if i.code == "E_PLAN_COUNT"]
    assert [(c.params["expected"], c.params["found"]) for c in counts] == [(47, 46)]
    assert result.plan is None  # a plan read in part is never saved


def test_cli_does_not_save_a_plan_read_in_part(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    victim = _row_with(rows, _plan().measure("VIII.5").text[:40])
    victim._tr.getparent().remove(victim._tr)
    victim = _row_with(rows, _plan().measure("VIII.2").text[:40])
    victim._tr.getparent().remove(victim._tr)
    document.save(str(path))
    out = tmp_path / "plan.yaml"
    args = ["plan", "import", str(path), "-o", str(out), "--units", str(HLUKHIV / "units.yaml")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "E_NUMBERING_GAP" in result.output and "План не збережено" in result.output
    assert "VIII. Моніторинг та оцінка виконання Регіональної плану — заходів: 3" in result.output
    assert not out.exists()


def test_numbers_repeated_or_out_of_order(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    _row_with(rows, _plan().measure("II.5").text[:40]).cells[0].text = "4."
    _row_with(rows, _plan().measure("III.3").text[:40]).cells[0].text = "9."
    document.save(str(path))
    codes = [(i.code, i.params.get("part")) for i in _import(path).issues if i.code[:5] == "E_NUM"]
    assert ("E_NUMBERING_REPEAT", "II") in codes
    assert ("E_NUMBERING_GAP", "III") in codes and ("E_NUMBERING_ORDER", "III") in codes


def test_a_row_that_cannot_be_placed_is_an_error(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    _row_with(rows, _plan().measure("V.2").text[:40]).cells[0].text = "2а"
    document.save(str(path))
    result = _import(path)
    unread = [i for i in result.issues if i.code == "E_ROW_UNREAD"]
    assert len(unread) == 1 and "2а" in unread[0].what("uk")
    assert any(i.code == "E_NUMBERING_GAP" for i in result.issues)


def test_a_section_without_measures(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    victim = _row_with(rows, _plan().measure("I.1").text[:40])
    victim._tr.getparent().remove(victim._tr)
    document.save(str(path))
    result = _import(path, overrides=False)
    assert [i.params["section"] for i in result.issues if i.code == "E_SECTION_EMPTY"] == ["I"]


def test_no_measures_at_all(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    for row in rows[2:]:
        cells = row.cells
        if cells[0] is not cells[-1]:  # not a section row
            cells[0].text = ""
    document.save(str(path))
    result = _import(path)
    codes = {i.code for i in result.issues}
    assert "E_PLAN_EMPTY" in codes
    assert result.plan is None


def test_measure_without_executors_or_deadline(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    _row_with(rows, _plan().measure("II.2").text[:40]).cells[3].text = ""
    _row_with(rows, _plan().measure("II.4").text[:40]).cells[2].text = ""
    document.save(str(path))
    result = _import(path)
    found = {(i.code, i.where.measure) for i in result.issues if i.severity == "error"}
    assert found == {("E_NO_EXECUTORS", "II.2"), ("E_NO_DEADLINE", "II.4")}
    assert result.plan is None  # a measure without a deadline cannot be reported on


def test_an_unreadable_deadline_is_one_error_not_a_count(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path)
    document, rows = _rows_of(path)
    _row_with(rows, _plan().measure("III.2").text[:40]).cells[2].text = "колись згодом"
    document.save(str(path))
    result = _import(path)
    errors = [(i.code, i.where.measure) for i in result.issues if i.severity == "error"]
    assert errors == [("E_DEADLINE_UNPARSED", "III.2")]
    assert sum(s.count for s in result.summary) == 47


def test_plan_check_refuses_what_import_refuses() -> None:
    plan = _plan()
    registry = load_registry(HLUKHIV / "units.yaml")
    empty = replace(plan, sections=tuple(replace(s, measures=()) for s in plan.sections))
    assert [i.code for i in check_plan(empty, registry, "plan.yaml")] == ["E_PLAN_EMPTY"]
    first = plan.sections[0]
    m = first.measures[0]
    bare = replace(
        m,
        deadline=Deadline("", m.deadline.start, m.deadline.end, m.deadline.repeat),
        executors=replace(m.executors, raw="", refs=(), unresolved=()),
    )
    holed = replace(
        plan,
        sections=(replace(first, measures=(bare,)), *plan.sections[1:2], *plan.sections[3:]),
    )
    codes = [(i.code, i.where.measure) for i in check_plan(holed, registry, "plan.yaml")]
    assert ("E_NO_DEADLINE", "I.1") in codes and ("E_NO_EXECUTORS", "I.1") in codes
    assert ("E_NUMBERING_GAP", None) in codes  # section III is gone
    lonely = replace(plan, sections=(*plan.sections, Section("IX", "IX.", "Порожній")))
    assert "E_SECTION_EMPTY" in [i.code for i in check_plan(lonely, registry, "plan.yaml")]


def test_cli_plan_check_fails_a_plan_with_no_measures(tmp_path: Path) -> None:
    from toolkit.plan.io import save_plan

    plan = _plan()
    empty = replace(plan, sections=tuple(replace(s, measures=()) for s in plan.sections))
    save_plan(empty, tmp_path / "plan.yaml")
    result = CliRunner().invoke(cli, ["plan", "check", str(tmp_path / "plan.yaml")])
    assert result.exit_code == 1
    assert "E_PLAN_EMPTY" in result.output and "гаразд" not in result.output


# --- particulars ------------------------------------------------------------------------------


def test_number_comes_from_the_decision_not_from_the_act_it_cites(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path, heading_table=True)
    document = docx.Document(str(path))
    document.tables[0]._tbl.getparent().remove(document.tables[0]._tbl)  # the date/№ table
    document.save(str(path))
    result = _import(path)
    assert result.plan is not None
    assert (result.plan.decision.number, str(result.plan.decision.date)) == ("207", "2020-09-24")


@pytest.mark.parametrize("folder", [HLUKHIV, LUHANSK])
def test_appendix_alone_names_exactly_what_is_missing(folder: Path, tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path, folder, preamble="appendix")
    result = _import(path, folder, overrides=False)
    [missing] = [i for i in result.issues if i.code == "E_PLAN_META_MISSING"]
    assert missing.params["fields"] == "issuer, coordinator"
    with_overrides = _import(path, folder)
    [missing] = [i for i in with_overrides.issues if i.code == "E_PLAN_META_MISSING"]
    assert missing.params["fields"] == "coordinator"


def test_reading_summary_is_printed_in_both_languages(tmp_path: Path) -> None:
    path = _tidy_docx(tmp_path, numbering="auto", merge_down=True)
    out = tmp_path / "plan.yaml"
    args = ["plan", "import", str(path), "-o", str(out), "--units", str(HLUKHIV / "units.yaml")]
    args += ["--overrides", str(HLUKHIV / "overrides.yaml")]
    uk = CliRunner().invoke(cli, args)
    assert uk.exit_code == 0, uk.output
    assert "Прочитано з «plan.docx»" in uk.output
    assert "ІІ. Розвиток освітніх" in uk.output and "заходів: 21" in uk.output
    assert "Усього: розділів 8, заходів 47." in uk.output
    en = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert en.exit_code == 0, en.output
    assert "Read from 'plan.docx'" in en.output and "In all: 8 sections, 47 measures." in en.output
