"""`zvit demo` runs the whole cycle on both examples and leaves its results to inspect."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from tests.support.libreoffice import LibreOffice
from toolkit.cli import cli


def test_demo_runs_the_cycle(tmp_path: Path, libreoffice: LibreOffice) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("luhansk-2018-2026", "hlukhiv-2020-2026"):
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
    assert "Повнота" in result.output
    # run again: the demo folder is its own and is made anew
    again = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert again.exit_code == 0, again.output


def test_demo_never_overwrites_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("important", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "important"
