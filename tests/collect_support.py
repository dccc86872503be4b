"""Helpers for the collect/ledger tests: a workspace made from an example, its forms, and
returned copies filled in as an executor would (openpyxl, or LibreOffice), and mail."""

from __future__ import annotations

import io
import mailbox
import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import openpyxl

from toolkit.cellref import a1
from toolkit.forms import layout as L
from toolkit.forms.definition import load_definition
from toolkit.forms.generate import GeneratedForm
from toolkit.forms.make import FormRequest, make_forms
from toolkit.ledger.counting import Counting
from toolkit.ledger.store import Ledger
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.validate.reader import open_package, read_table
from toolkit.workspace import Workspace, init_from_example

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luhansk-2018-2026"
PERIOD = Period(2025)
SHEET = "Звіт"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Units of the example with few measures in 2025: quick to fill.
UNITS = ("loda-osvita", "loda-szn", "loda-zdorovia", "loda-media", "loda-mrg")
EMAIL = {
    "loda-osvita": "osvita@loga.gov.ua.example",
    "loda-szn": "szn@loga.gov.ua.example",
    "loda-zdorovia": "zdorovia@loga.gov.ua.example",
    "loda-media": "media@loga.gov.ua.example",
    "loda-mrg": "mrg-deinst@loga.gov.ua.example",
}


def new_workspace(root: Path) -> Workspace:
    return init_from_example(root, EXAMPLE)


def issue_forms(
    ws: Workspace, units: tuple[str, ...] = UNITS, period: Period = PERIOD
) -> dict[str, GeneratedForm]:
    request = FormRequest(period, ws.root / "forms" / str(period), units, jobs=1)
    return {f.unit: f for f in make_forms(ws.plan(), ws.registry(), request)}


def answers(
    ws: Workspace,
    form: GeneratedForm,
    *,
    status: str = "виконується",
    note: str = "Проведено наради, видано наказ.",
) -> dict[tuple[str, str], Any]:
    """A complete, correct report: every cell a careful executor fills in."""
    ids = measure_ids(form.path.read_bytes())
    lay = L.Layout(load_definition("annual"), len(ids))
    plan = ws.plan()

    def header(key: str) -> tuple[str, str]:
        return SHEET, a1(lay.header_row(key), L.VALUE_COLS[0])

    cells: dict[tuple[str, str], Any] = {
        header("person"): "Іваненко Олена Петрівна, начальниця відділу",
        header("phone"): "(06452) 2-22-22",
        header("filled_on"): date(2026, 1, 3),
    }
    for i, mid in enumerate(ids):
        target = plan.measure(mid).indicator.target
        cells[(SHEET, a1(lay.data_row(i), lay.col("status")))] = status
        cells[(SHEET, a1(lay.data_row(i), lay.col("done")))] = note
        cells[(SHEET, a1(lay.data_row(i), lay.col("value")))] = (
            float(target) if target is not None else 1.0
        )
    return cells


def in_force(ledger: Ledger, period: str = "2025") -> dict[str, Submission]:
    """Unit → the submission in force (by the rule; verdicts, not answers)."""
    return Counting(ledger).in_force(period)


def fill(form: GeneratedForm, cells: Mapping[tuple[str, str], Any]) -> bytes:
    """The form as openpyxl saves it after typing ``cells``."""
    wb = openpyxl.load_workbook(form.path)
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filled(ws: Workspace, form: GeneratedForm, **kw: Any) -> bytes:
    return fill(form, answers(ws, form, **kw))


def broken(ws: Workspace, form: GeneratedForm) -> bytes:
    """A report with errors: a status that is not on the list."""
    return fill(form, answers(ws, form, status="майже"))


def saved_at(data: bytes, when: datetime | None) -> bytes:
    """The workbook as if last saved at ``when`` (its docProps/core.xml says so, as Excel
    and LibreOffice write it); None: no time of its own."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                stamp = (
                    b""
                    if when is None
                    else when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                )
                part = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    part,
                )
            dst.writestr(item, part)
    return out.getvalue()


def measure_ids(data: bytes) -> list[str]:
    pkg = open_package(data)
    try:
        table = read_table(pkg, load_definition("annual"))
        assert table is not None
        return [str(r.value("measure_id")) for r in table.rows]
    finally:
        pkg.close()


def message(
    attachments: list[tuple[str, bytes]],
    *,
    sender: str = "someone@example.org",
    subject: str = "Звіт за 2025 рік",
    when: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Виконавець <{sender}>"
    msg["To"] = "ssd@loga.gov.ua.example"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when or datetime(2026, 1, 3, 9, 30, tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="loga.gov.ua.example")
    msg.set_content("Добрий день! Звіт у вкладенні.")
    for name, data in attachments:
        msg.add_attachment(
            data, maintype="application", subtype=XLSX_TYPE.split("/")[1], filename=name
        )
    return msg


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes())
    return path


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    try:
        for msg in messages:
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return path


def write_maildir(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.Maildir(path, create=True)
    try:
        for msg in messages:
            box.add(msg)
    finally:
        box.close()
    return path
