"""``zvit collect | status | history | validate`` through click, on a real workspace; the
status numbers against a scenario counted by hand; a form filled in LibreOffice."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.collect_support import (
    EMAIL,
    PERIOD,
    answers,
    broken,
    filled,
    in_force,
    issue_forms,
    message,
    new_workspace,
    write_eml,
)
from tests.support import hostile
from tests.support.libreoffice import LibreOffice
from toolkit.cli import cli
from toolkit.collect.run import collect
from toolkit.ledger.store import Ledger
from toolkit.plan.query import assignments
from toolkit.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luhansk-2018-2026"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    """Due 05.01.2026 (zvit.toml). osvita: accepted on time; szn: errors, on time;
    zdorovia: accepted, late; media: accepted, then a late broken copy; mrg: missing."""
    root = tmp_path_factory.mktemp("scenario")
    ws = new_workspace(root / "ws")
    forms = issue_forms(ws)
    inbox = root / "inbox"
    plan = [
        ("loda-osvita", filled(ws, forms["loda-osvita"]), 3),
        ("loda-szn", broken(ws, forms["loda-szn"]), 4),
        ("loda-zdorovia", filled(ws, forms["loda-zdorovia"]), 10),
        ("loda-media", filled(ws, forms["loda-media"]), 2),
        ("loda-media", broken(ws, forms["loda-media"]), 12),
    ]
    for n, (unit, body, day) in enumerate(plan):
        when = datetime(2026, 1, day, 8, 0, tzinfo=UTC)
        write_eml(
            inbox / f"{n}.eml", message([(f"{unit}.xlsx", body)], sender=EMAIL[unit], when=when)
        )
    return ws, inbox


def test_collect_json_then_status_and_history(scenario: tuple[Workspace, Path]) -> None:
    ws, inbox = scenario
    code, out, _ = invoke("-w", str(ws.root), "collect", str(inbox), "--period", "2025", "--json")
    assert code == 1  # two reports have errors
    run = json.loads(out)
    assert run["counts"]["files"] == 5 and run["counts"]["rejected"] == 2
    assert {f["unit"] for f in run["files"]} == set(EMAIL) - {"loda-mrg"}
    assert Path(run["report"]).is_file()

    expected = len(assignments(ws.plan(), ws.registry(), PERIOD))
    code, out, _ = invoke("-w", str(ws.root), "status", "--period", "2025", "--json")
    assert code == 0
    status = json.loads(out)
    # counted by hand from the scenario
    assert status["due"] == date(2026, 1, 5).isoformat()
    assert status["counts"] == {
        "expected": expected,
        "received": 4,
        "accepted": 3,  # media's later broken copy does not erase its accepted report
        "pinned": 0,
        "with_errors": 1,
        "unusable": 0,
        "late": 1,
        "on_time": 2,
        "missing": expected - 4,
    }
    assert status["rates"]["completeness"] == pytest.approx(3 / expected)
    assert status["rates"]["timeliness"] == pytest.approx(2 / expected)
    state = {u["unit"]: (u["state"], u["late"]) for u in status["units"]}
    assert state["loda-osvita"] == ("accepted", False)
    assert state["loda-szn"] == ("rejected", False)
    assert state["loda-zdorovia"] == ("accepted", True)
    assert state["loda-media"] == ("accepted", False)
    assert state["loda-mrg"] == ("missing", False)
    [media] = [u for u in status["units"] if u["unit"] == "loda-media"]
    assert media["newer"]["submitted_at"].startswith("2026-01-12")

    code, out, _ = invoke("-w", str(ws.root), "status", "--period", "2025")
    assert code == 0
    shares = out.replace("\u00a0", " ")  # «5,2 %» is kept on one line (toolkit.formats)
    assert f"Повнота: {300 / expected:.1f} %".replace(".", ",") in shares
    assert "Строк подання: 05.01.2026" in out and "ДОЗ ОДА" in out
    assert "прийнято; виправлення від 12.01.2026 має помилки" in out

    # the unit named by the start of its short name, in any case
    code, out, _ = invoke("-w", str(ws.root), "history", "дмк", "--period", "2025")
    assert code == 0, out
    first, second = (line for line in out.splitlines() if line.startswith("№"))
    newer, older = (int(line.split(":")[0].strip("№ ")) for line in (first, second))
    assert "12.01.2026" in first and "з помилками" in first and f"лишається № {older}" in first
    assert "02.01.2026" in second and "ЧИННИЙ" in second and "дата листа" in second
    code, out, _ = invoke(
        "-w", str(ws.root), "--lang", "en", "history", "loda-media", "--period", "2025", "--json"
    )
    [period] = json.loads(out)
    parts = [(s["verdict"], s["part"]) for s in period["submissions"]]
    assert parts == [("rejected", "correction"), ("accepted", "in_force")]
    code, _, err = invoke("-w", str(ws.root), "history", "nobody", "--period", "2025")
    assert code == 2 and "E_UNIT_UNKNOWN" in err and "nobody" in err
    code, _, err = invoke("-w", str(ws.root), "history", "д", "--period", "2025")
    assert code == 2 and "E_UNIT_AMBIGUOUS" in err and "loda-media (ДМК ОДА)" in err

    # the coordinator decides: each decision a new row, shown in status and history
    w = ("-w", str(ws.root))
    code, _, err = invoke(*w, "pin", str(newer))
    assert code == 2 and "E_REASON_REQUIRED" in err
    code, out, _ = invoke(*w, "pin", f"№{newer}", "--reason", "виправлено телефоном")
    assert code == 0, out
    assert "прийнято координатором попри помилки: виправлено телефоном" in out
    code, out, _ = invoke(*w, "status", "--period", "2025", "--json")
    status = json.loads(out)
    assert status["counts"]["accepted"] == 3 and status["counts"]["pinned"] == 1
    assert [d["kind"] for d in status["decisions"]] == ["pin"]
    code, out, _ = invoke(*w, "unpin", "ДМК ОДА", "--period", "2025")
    assert code == 0 and "прийнято; виправлення від 12.01.2026" in out
    code, out, _ = invoke(*w, "unpin", "ДМК ОДА", "--period", "2025")
    assert code == 0 and "I_NOTHING_PINNED" in out
    code, out, _ = invoke(*w, "exclude", str(older), "--reason", "надіслано помилково")
    assert code == 0 and "з помилками" in out
    code, out, _ = invoke(*w, "history", "loda-media")
    assert "вилучено координатором: надіслано помилково" in out
    code, _, err = invoke(*w, "pin", "99999", "--reason", "x")
    assert code == 2 and "E_SUBMISSION_UNKNOWN" in err
    code, out, _ = invoke(*w, "pin", str(older), "--reason", "повернути")  # takes it back
    assert code == 0 and "закріплено координатором: повернути" in out
    with Ledger.open(ws) as ledger:
        assert ledger.count("decisions") == 4


def test_validate_exit_codes(tmp_path: Path) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    good, bad = tmp_path / "good.xlsx", tmp_path / "bomb.xlsx"
    good.write_bytes(filled(ws, form))
    bad.write_bytes(hostile.billion_laughs_shared_strings())
    w = ("-w", str(ws.root))
    code, out, _ = invoke(*w, "validate", str(good), "--period", "2025")
    assert code == 0 and "прийнято" in out
    code, out, _ = invoke(*w, "validate", str(good), str(bad), "--lang", "en")
    assert code == 1 and "E_XML_DTD" in out and "accepted" in out and "не " not in out
    code, out, _ = invoke(*w, "validate", str(good), "--unit", "loda-szn", "--json")
    assert code == 1 and "E_WRONG_UNIT" in {i["code"] for i in json.loads(out)[0]["issues"]}
    code, _, _ = invoke("validate", str(good), "--plan", str(EXAMPLE / "plan.yaml"))
    assert code == 2
    code, out, _ = invoke(
        "validate",
        str(good),
        "--plan",
        str(EXAMPLE / "plan.yaml"),
        "--units",
        str(EXAMPLE / "units.yaml"),
        "--period",
        "2024",
    )
    assert code == 1 and "E_WRONG_PERIOD" in out
    with Ledger.open(ws) as ledger:
        assert ledger.count("submissions") == 0  # validate never records


def test_a_form_filled_in_libreoffice_is_accepted(tmp_path: Path, libreoffice: LibreOffice) -> None:
    ws = new_workspace(tmp_path / "ws")
    form = issue_forms(ws, ("loda-media",))["loda-media"]
    cells = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers(ws, form).items()}
    (tmp_path / "in").mkdir()
    saved = tmp_path / "in" / "ДМК ОДА — звіт 2025.xlsx"
    libreoffice.fill(form.path, saved, cells)
    [f] = collect(ws, [tmp_path / "in"], PERIOD).files
    assert f.verdict == "accepted", [i.message() for i in f.issues]
    with Ledger.open(ws) as ledger:
        assert "LibreOffice" in in_force(ledger)["loda-media"].application
