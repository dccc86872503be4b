"""Simulated executors for ``zvit demo``: each unit fills its form the way civil servants
do — most correctly, some with numbers typed as text, a forgotten reason, a resubmission
after feedback, a file saved in the wrong format, silence — and replies by e-mail.

Forms are filled with openpyxl (what "Excel" does to the file is not the point here: the
test suite fills forms in a real LibreOffice). Replies are .eml messages with the form
attached under a Cyrillic name, delivered into a maildir the demo then collects."""

from __future__ import annotations

import io
import mailbox
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import openpyxl

from toolkit.forms import layout as L
from toolkit.forms.definition import FormDefinition
from toolkit.forms.generate import GeneratedForm
from toolkit.plan.model import Plan
from toolkit.plan.registry import Registry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Behaviour:
    """What a unit does with its form."""

    kind: str  # good | sloppy | careless | wrong_format | silent | late
    resubmits: bool = False


def behaviours(units: list[str], seed: int = 2025) -> dict[str, Behaviour]:
    """A fixed, realistic mix: most reply well; a few slip; some never answer."""
    rng = random.Random(seed)
    kinds = ["good"] * 12 + ["sloppy"] * 3 + ["careless"] * 2 + ["late"] + ["silent"] * 2
    out = {}
    for n, unit in enumerate(units):
        kind = rng.choice(kinds) if n else "good"
        out[unit] = Behaviour(kind, resubmits=kind == "careless" and rng.random() < 0.5)
    if len(units) > 3:
        out[units[-1]] = Behaviour("wrong_format")
    return out


def fill(form: Path, plan: Plan, definition: FormDefinition, kind: str, seed: int) -> bytes:
    """The form filled in: ``kind`` "careless" forgets reasons, "sloppy" types numbers as
    text, everything else is correct."""
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(form)
    ws = wb[definition.sheet("report")]
    meta = wb[definition.sheet("meta")]
    ids = [str(r[0].value) for r in meta.iter_rows(min_row=L.META_TABLE_TOP + 2) if r[0].value]
    lay = L.Layout(definition, len(ids))
    _header(ws, lay, rng)
    for i, mid in enumerate(ids):
        _row(ws, lay, i, plan.measure(mid).indicator.target, kind, rng)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: object, lay: L.Layout, rng: random.Random) -> None:
    values = {
        "person": rng.choice(
            [
                "Коваленко Ірина Миколаївна, начальниця відділу",
                "Шевчук Олег Петрович, головний спеціаліст",
            ]
        ),
        "phone": f"(0642) {rng.randint(50, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        "email": "vykonavets@example.gov.ua.example",
        "filled_on": datetime(2026, 1, rng.randint(2, 5)),
    }
    for key, value in values.items():
        ws.cell(lay.header_row(key) + 1, L.VALUE_COLS[0] + 1, value)  # type: ignore[attr-defined]


def _row(
    ws: object, lay: L.Layout, i: int, target: float | None, kind: str, rng: random.Random
) -> None:
    r = lay.data_row(i) + 1

    def put(key: str, value: object) -> None:
        ws.cell(r, lay.col(key) + 1, value)  # type: ignore[attr-defined]

    status = rng.choices(["виконано", "виконується", "не виконано"], [3, 5, 1])[0]
    put("status", status)
    if status == "не виконано":
        if kind != "careless":
            put("reasons", "Не передбачено коштів у місцевому бюджеті на цей рік.")
        return
    put(
        "done",
        rng.choice(
            [
                "Проведено 4 засідання, прийнято відповідні рішення, інформацію оприлюднено.",
                "Створено та забезпечено роботу служби; укладено договори з надавачами послуг.",
                "Проведено навчання фахівців (12 осіб), розроблено методичні рекомендації.",
            ]
        ),
    )
    if target is not None:
        value = round(target * rng.uniform(0.1, 0.4), 1)
        put("value", f"{value:g}".replace(".", ",") if kind == "sloppy" else value)
    if rng.random() < 0.4:
        amount = round(rng.uniform(5, 250), 1)
        put("fund_local", f"{amount:g} тис. грн" if kind == "sloppy" else amount)


def reply(
    to: str, sender: str, attachment: bytes, name: str, when: datetime, subject: str
) -> bytes:
    """An executor's reply with the filled form attached (RFC 2231 Cyrillic file name)."""
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, to
    msg["Subject"] = f"Re: {subject}"
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain="executor.example")
    msg.set_content("Добрий день! Надсилаємо заповнений звіт. З повагою, виконавець.")
    maintype, subtype = XLSX.split("/")
    msg.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


def deliver(maildir: Path, messages: list[bytes]) -> None:
    box = mailbox.Maildir(str(maildir), create=True)
    for raw in messages:
        box.add(raw)
    box.close()


def replies(
    plan: Plan,
    registry: Registry,
    definition: FormDefinition,
    forms: list[GeneratedForm],
    coordinator: str,
    first_day: datetime,
) -> tuple[list[bytes], dict[str, Behaviour]]:
    """Every unit's reply (none from the silent ones); the careless who resubmit send a
    corrected file a week later."""
    plan_units = [f.unit for f in forms]
    kinds = behaviours(plan_units)
    out = []
    for n, form in enumerate(forms):
        b = kinds[form.unit]
        if b.kind == "silent":
            continue
        unit = registry.units[form.unit]
        sender = unit.emails[0] if unit.emails else f"{unit.id}@example.gov.ua.example"
        when = first_day + timedelta(days=n % 3, hours=n % 7)
        if b.kind == "late":
            when += timedelta(days=20)
        subject = f"Звіт за {form.path.stem}"
        if b.kind == "wrong_format":
            csv = "Захід;Стан\nI.1.1;виконано\n".encode("cp1251")
            out.append(reply(coordinator, sender, csv, f"{unit.short} звіт.xlsx", when, subject))
            continue
        filled = fill(form.path, plan, definition, b.kind, seed=n)
        out.append(reply(coordinator, sender, filled, f"{unit.short} — звіт.xlsx", when, subject))
        if b.resubmits:
            fixed = fill(form.path, plan, definition, "good", seed=n)
            later = when + timedelta(days=7)
            out.append(
                reply(coordinator, sender, fixed, f"{unit.short} — виправлено.xlsx", later, subject)
            )
    return out, kinds
