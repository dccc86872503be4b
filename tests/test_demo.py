"""`zvit demo` runs the whole cycle on both examples and leaves its results to inspect;
every slip its simulated executors make is found by collect and kept in the ledger."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.libreoffice import LibreOffice
from toolkit.cli import cli
from toolkit.demo.executors import Behaviour, assign
from toolkit.ledger.counting import Counting
from toolkit.ledger.status import MISSING, period_status
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.query import assignments
from toolkit.workspace import Workspace

# starts worker processes (or a whole cycle) and waits on them
pytestmark = pytest.mark.slow

EXAMPLES = ("luhansk-2018-2026", "hlukhiv-2020-2026")
PERIOD = Period(2025)
# what a unit does → the code its file must give, on the form of which period
SLIPS = {
    "sloppy": ("W_NUMBER_AS_TEXT", PERIOD),
    "careless": ("E_VALUE_REQUIRED", PERIOD),
    "plan_edit": ("E_PLAN_TEXT_CHANGED", PERIOD),
    "wrong_period": ("E_WRONG_PERIOD", PERIOD.previous()),
}


def test_demo_runs_the_cycle(tmp_path: Path, libreoffice: LibreOffice) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    for name in EXAMPLES:
        root = out / name
        forms = list((root / "forms" / "2025").glob("*.xlsx"))
        assert len(forms) > 5
        [report] = (root / "reports").glob("Зведений звіт 2025.xlsx")
        wb = openpyxl.load_workbook(report, read_only=True)
        assert len(wb.sheetnames) >= 6
        # the report of each example opens in a real client and keeps its sheets
        again = openpyxl.load_workbook(libreoffice.convert(report, tmp_path / name, "xlsx"))
        assert again.sheetnames == wb.sheetnames
        wb.close()
        assert list((root / "feedback").rglob("*.xlsx")), "some executors slipped"
        assert (root / "zvit.db").is_file() and list((root / "archive").rglob("*"))
        assert f"{name}/reports/Зведений звіт 2025.xlsx — зведений звіт" in result.output
        _slips_found(Workspace(root))
    shown = ["Повнота", "E_PLAN_TEXT_CHANGED «Змінено текст плану»", "E_WRONG_PERIOD"]
    shown += ["W_NUMBER_AS_TEXT", "W_SUPERSEDED", "Де що лежить", "/inbox/ —"]
    assert all(text in result.output for text in shown), result.output
    # run again, naming the folder with -o: the demo folder is its own and is made anew
    again = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert again.exit_code == 0, again.output


def _slips_found(ws: Workspace) -> None:
    """Each example has every slip at least once, and each gives its code in the ledger:
    numbers as text, a changed locked cell (then a corrected resubmission), last year's
    form; the silent units are missing."""
    plan, registry = ws.plan(), ws.registry()
    kinds = assign(plan, registry, PERIOD, list(assignments(plan, registry, PERIOD)))
    with Ledger.open(ws) as ledger:
        for kind, (code, period) in SLIPS.items():
            units = _units(kinds, kind)
            assert units or kind == "careless", f"{ws.root.name}: nobody is {kind}"
            for unit in units:
                first = ledger.history(unit, str(period))[-1]
                assert code in _codes(first), (unit, kind, _codes(first))
        [again] = [u for u, b in kinds.items() if b.resubmits]
        newer, older = ledger.history(again, str(PERIOD))
        st = Counting(ledger).standing(again, str(PERIOD))
        assert "E_PLAN_TEXT_CHANGED" in _codes(older) and st.part(older.id) == "older"
        assert newer.accepted
        silent = _units(kinds, "silent")
        assert silent and not any(ledger.history(u, str(PERIOD)) for u in silent)
    states = {s.unit: s.state for s in period_status(ws, PERIOD).units}
    assert all(states[u] == MISSING for u in silent)
    # last year's form and a CSV came: received, but not accepted — never «missing»
    unusable = _units(kinds, "wrong_period") + _units(kinds, "wrong_format")
    assert unusable and all(states[u] == "unusable" for u in unusable), states
    assert any(b.late for b in kinds.values())


def _units(kinds: dict[str, Behaviour], kind: str) -> list[str]:
    return [u for u, b in kinds.items() if b.kind == kind]


def _codes(sub: Submission) -> set[str]:
    return {str(i["code"]) for i in sub.issues}


def test_demo_never_overwrites_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("important", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "important"
    both = CliRunner().invoke(cli, ["demo", str(tmp_path / "a"), "-o", str(tmp_path / "b")])
    assert both.exit_code == 2 and not (tmp_path / "a").exists()
