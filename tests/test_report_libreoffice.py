"""The report opens in a real LibreOffice (no repair) and keeps its figures and its
hostile texts inert through a round trip."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from tests.support.libreoffice import LibreOffice
from tests.test_report_data import MADE_ON
from tests.test_report_safety import hostile
from toolkit.report.writer import write_report


def test_libreoffice_opens_the_report(libreoffice: LibreOffice, tmp_path: Path) -> None:
    c = hostile().merge()
    report = write_report(c, tmp_path / "src" / "звіт.xlsx", made_on=MADE_ON)
    ods = libreoffice.convert(report, tmp_path / "ods", "ods")
    assert ods.stat().st_size > 0
    back = libreoffice.convert(report, tmp_path / "xlsx", "xlsx")
    wb = load_workbook(back)
    assert wb.sheetnames == load_workbook(report).sheetnames
    measures = wb["Заходи"]
    heads = [c.value for c in measures[1]]
    ids = [row[heads.index("№ заходу")] for row in measures.iter_rows(min_row=2, values_only=True)]
    assert ids == [r.measure.id for r in c.rows]
    col = heads.index("Державний бюджет, тис. грн")
    for row, values in zip(c.rows, measures.iter_rows(min_row=2, values_only=True), strict=True):
        want = row.funds.get("fund_state")
        assert (values[col] is None) if want is None else abs(values[col] - want) < 1e-6
    with zipfile.ZipFile(back) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(r"<f[ >]", z.read(name).decode("utf-8")), name
