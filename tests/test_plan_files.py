"""Plan and registry files that break their schema, tables with missing columns, and the
same plan read from Word, Excel and CSV."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.errors import InvalidFileError
from toolkit.plan.export import export_plan, preamble, table
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_plan, load_registry
from toolkit.plan.model import Plan
from toolkit.plan.overrides import Overrides

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _codes(err: pytest.ExceptionInfo[InvalidFileError]) -> list[tuple[str, str | None, int | None]]:
    return [(i.code, i.where.path, i.where.line) for i in err.value.issues]


def test_plan_breaking_the_schema_gives_path_and_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "hlukhiv-2020-2026" / "plan.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "repeat: continuous")
    lines[at] = lines[at].replace("continuous", "sometimes")
    broken = tmp_path / "plan.yaml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidFileError) as err:
        load_plan(broken)
    [(code, path, line)] = _codes(err)
    assert code == "E_SCHEMA"
    assert path == "$.sections[0].measures[0].deadline.repeat"
    assert line == at + 1
    assert "sometimes" in err.value.issues[0].message()


def test_registry_with_unknown_member_and_duplicate_alias(tmp_path: Path) -> None:
    bad = tmp_path / "units.yaml"
    bad.write_text(
        "schema: zvit-units/1\nunits:\n"
        "  - {id: a, name: Перша, short: Пр, kind: other, aliases: [спільна]}\n"
        "  - {id: b, name: Друга, short: Др, kind: other, aliases: [Спільна]}\n"
        "groups:\n  - {id: g, name: Група, members: [a, nope]}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFileError) as err:
        load_registry(bad)
    codes = {code for code, _, _ in _codes(err)}
    assert codes == {"E_AMBIGUOUS_ALIAS", "E_UNKNOWN_REF"}
    assert all(i.where.line for i in err.value.issues)


def test_registry_schema_error_has_line(tmp_path: Path) -> None:
    bad = tmp_path / "units.yaml"
    bad.write_text(
        "schema: zvit-units/1\nunits:\n"
        "  - id: Bad Id\n    name: Xyz\n    short: Xyz\n    kind: other\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFileError) as err:
        load_registry(bad)
    assert _codes(err) == [("E_SCHEMA", "$.units[0].id", 3)]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("schema: zvit-plan/1\nid: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidFileError) as err:
        load_plan(bad)
    assert err.value.issues[0].code == "E_YAML_SYNTAX"


def test_table_with_missing_columns_names_them(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["№ з/п", "Найменування заходу", "Виконавці"])
    ws.append(["1.", "Щось зробити", "Хтось"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    with pytest.raises(InvalidFileError) as err:
        import_plan(path)
    [found] = err.value.issues
    assert found.code == "E_TABLE_MISSING_COLUMNS"
    assert "термін виконання" in found.what("uk") and "deadline" in found.what("en")
    assert "індикатори" in found.what("uk")


@pytest.mark.parametrize("name", ["luhansk-2018-2026", "hlukhiv-2020-2026"])
def test_docx_xlsx_csv_give_the_same_plan(name: str, tmp_path: Path) -> None:
    folder = EXAMPLES / name
    plan = load_plan(folder / "plan.yaml")
    registry = load_registry(folder / "units.yaml")
    overrides = Overrides.load(folder / "overrides.yaml")
    expected = plan.to_dict() | {"source": ""}
    for suffix in (".docx", ".xlsx", ".csv"):
        path = tmp_path / f"plan{suffix}"
        if suffix == ".csv":
            path.write_bytes(_csv(plan))
        else:
            export_plan(plan, path)
        result = import_plan(path, registry, overrides)
        assert result.plan is not None, suffix
        assert result.plan.to_dict() | {"source": ""} == expected, suffix


FINANCING = ("Джерела фінансування", "Орієнтовні обсяги фінансування, тис. грн")


@pytest.mark.parametrize("name", ["luhansk-2018-2026", "hlukhiv-2020-2026"])
def test_columns_zvit_does_not_take_are_named(name: str, tmp_path: Path) -> None:
    """Financing columns in the middle of an Excel table, a notes column at the end of a
    Word one: the plan is read word for word, and each column left unread is said."""
    from docx import Document
    from openpyxl import load_workbook

    folder = EXAMPLES / name
    plan = load_plan(folder / "plan.yaml")
    registry = load_registry(folder / "units.yaml")
    overrides = Overrides.load(folder / "overrides.yaml")
    xlsx, docx = tmp_path / "plan.xlsx", tmp_path / "plan.docx"
    export_plan(plan, xlsx)
    wb = load_workbook(xlsx)
    ws = wb.active
    assert ws is not None
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "№ з/п")
    ws.insert_cols(5, 2)
    for col, title in enumerate(FINANCING, start=5):
        ws.cell(head, col).value = title
    for row in range(head + 1, ws.max_row + 1):
        if ws.cell(row, 4).value:
            ws.cell(row, 5).value, ws.cell(row, 6).value = "Місцевий бюджет", 12.5
    wb.save(xlsx)
    export_plan(plan, docx)
    document = Document(str(docx))
    grid = document.tables[-1]
    grid.add_column(grid.columns[0].width)
    grid.rows[0].cells[-1].text = "Примітка"
    document.save(str(docx))
    for path, titles in ((xlsx, list(FINANCING)), (docx, ["Примітка"])):
        result = import_plan(path, registry, overrides)
        assert result.plan is not None and result.ok, path.name
        assert result.plan.to_dict() | {"source": ""} == plan.to_dict() | {"source": ""}
        unread = [i.params["column"] for i in result.issues if i.code == "I_COLUMN_NOT_READ"]
        assert unread == titles, path.name


def _csv(plan: Plan) -> bytes:
    """The plan as a CSV an office program would save (zvit exports none: see plan.export)."""
    header, lines = table(plan)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for text in preamble(plan):
        w.writerow([text])
    w.writerow(header)
    for _kind, cells in lines:
        w.writerow(cells)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # Excel's BOM


def test_spreadsheet_repairs(tmp_path: Path) -> None:
    """Header rows repeated at page breaks and a measure continued on the next page."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Регіональний план заходів на 2020-2022 роки"])
    ws.append(["РІШЕННЯ"])
    ws.append(["від 24.09.2020 № 12"])
    ws.append(["№", "Дії", "Термін виконання", "Виконавці", "Показники"])
    ws.append(["1", "2", "3", "4", "5"])
    ws.append(["I. Розділ"])
    ws.append(["1.", "Перша дія, яка", "2020", "Відділ освіти", "створення 5 груп"])
    ws.append(["1", "2", "3", "4", "5"])
    ws.append(["", "продовжується на іншій сторінці", "", "", ""])
    ws.append(["2.", "Друга дія", "2021-2022 роки", "Відділ освіти", "виконано"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "plan:\n  issuer: Тестова рада\n  coordinator: ssd\n"
        "  reason: у таблиці немає шапки документа\n",
        encoding="utf-8",
    )
    result = import_plan(path, None, Overrides.load(overrides))
    assert result.plan is not None
    measures = list(result.plan.measures())
    assert [m.id for m in measures] == ["I.1", "I.2"]
    assert measures[0].text == "Перша дія, яка продовжується на іншій сторінці"
    assert measures[0].indicator.target == 5
    codes = {i.code for i in result.issues}
    assert {"I_REPAIR_HEADER_ROW", "I_REPAIR_CONTINUATION"} <= codes


def test_formulas_never_computed_are_named(tmp_path: Path) -> None:
    """The № column numbered by formulas in a workbook a program wrote (no values saved
    beside them): the cells read empty, and the import says why its numbering fails."""
    from openpyxl import load_workbook

    folder = EXAMPLES / "hlukhiv-2020-2026"
    plan = load_plan(folder / "plan.yaml")
    path = tmp_path / "plan.xlsx"
    export_plan(plan, path)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    numbered = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "")[:1].isdigit()]
    for above, row in itertools.pairwise(numbered):
        if row == above + 1:
            ws.cell(row, 1).value = f"=A{above}+1"
    wb.save(path)
    result = import_plan(
        path, load_registry(folder / "units.yaml"), Overrides.load(folder / "overrides.yaml")
    )
    [named] = [i for i in result.issues if i.code == "W_PLAN_FORMULAS_NOT_COMPUTED"]
    assert named.params["count"] > 10
    assert not result.ok
    export_plan(plan, path)  # written by zvit: no formulas, nothing to say
    clean = import_plan(
        path, load_registry(folder / "units.yaml"), Overrides.load(folder / "overrides.yaml")
    )
    assert clean.ok and not [i for i in clean.issues if i.code == "W_PLAN_FORMULAS_NOT_COMPUTED"]
