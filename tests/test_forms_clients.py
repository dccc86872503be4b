"""Every form of both examples opens in a real client: LibreOffice loads and re-saves
it, and what it saves still holds the same table and identity."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.forms_support import example
from tests.support.libreoffice import LibreOffice
from toolkit.forms.make import FormRequest, make_forms
from toolkit.periods import Period
from toolkit.plan.query import assignments
from toolkit.validate.check import validate_bytes
from toolkit.validate.context import Context

CASES = [
    (name, period)
    for name in ("luhansk-2018-2026", "hlukhiv-2020-2026")
    for period in ("2019", "2025", "2021-Q2")
]


@pytest.mark.parametrize(("name", "period"), CASES)
def test_libreoffice_opens_every_form(
    name: str, period: str, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    plan, registry = example(name)
    p = Period.parse(period)
    forms = make_forms(plan, registry, FormRequest(p, tmp_path / "forms", jobs=1))
    assert len(forms) == len(assignments(plan, registry, p))  # none before a plan starts
    ctx = Context(plan, registry, period=p)
    for form in forms:
        saved = libreoffice.convert(form.path, tmp_path / "saved", "xlsx")
        data = saved.read_bytes()
        # What LibreOffice wrote is read by calamine and recognised as the same form.
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        assert "Звіт" in book.sheet_names
        result = validate_bytes(data, saved.name, ctx)
        assert result.identity is not None and result.identity.form_id == form.form_id
        assert [r.measure_id for r in result.answers.rows] == list(result.identity.measure_ids)
        codes = {i.code for i in result.issues}
        assert codes == {"E_FORM_BLANK"}, (form.path.name, codes)  # nothing entered yet
