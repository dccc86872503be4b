"""Simulated executors for ``zvit demo``: each unit fills its form the way civil servants
do — most correctly, some late, some with numbers typed as text, a forgotten reason, a
locked plan cell rewritten, last year's form sent back, a file saved in the wrong format,
silence, a corrected file after feedback — and replies by e-mail.

Forms are filled with openpyxl (what "Excel" does to the file is not the point here: the
test suite fills forms in a real LibreOffice). openpyxl ignores sheet protection, as does a
user who unprotects the sheet to "correct" the plan text. Replies are .eml messages with
the form attached under a Cyrillic name, delivered into a maildir the demo then collects."""

from __future__ import annotations

import io
import mailbox
import random
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.forms import layout as L
from toolkit.forms.definition import FormDefinition
from toolkit.forms.generate import GeneratedForm
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.plan.query import assignments
from toolkit.plan.registry import Registry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The slips every example shows at least once, in the order they are handed out.
MUST = ("sloppy", "plan_edit", "wrong_period", "silent")
FIRST_ROW = {"sloppy": "виконано", "careless": "не виконано"}
MIX = ["good"] * 14 + ["sloppy"] * 2 + ["careless"] * 2 + ["late"] * 2 + ["silent"] * 2


@dataclass(frozen=True)
class Behaviour:
    """What a unit does with its form. ``kind``: good | sloppy (numbers as text) |
    careless (reasons forgotten) | plan_edit (a locked plan cell rewritten) | wrong_period
    (last period's form filled) | wrong_format (a CSV named .xlsx) | silent."""

    kind: str
    late: bool = False
    resubmits: bool = False  # sends a corrected file a week later


@dataclass(frozen=True)
class Setting:
    """What every reply of one example shares."""

    plan: Plan
    registry: Registry
    definition: FormDefinition
    period: Period
    coordinator: str
    first_day: datetime


def behaviours(
    units: list[str], can_go_back: Collection[str] = (), seed: int = 2025
) -> dict[str, Behaviour]:
    """A fixed, realistic mix: the first unit reports well and the last sends a wrong
    file; each slip in ``MUST`` goes to at least one unit in between (the wrong period
    only to one of ``can_go_back``, which had a form the period before); the rest are
    drawn from ``MIX``. The unit that rewrote the plan text resubmits after feedback."""
    if not units:
        return {}
    rng = random.Random(seed)
    out = {unit: _drawn(rng.choice(MIX)) for unit in units}
    out[units[0]] = Behaviour("good")
    if len(units) > 3:
        out[units[-1]] = Behaviour("wrong_format")
    free = units[1:-1]
    rng.shuffle(free)
    for kind in MUST:
        fits = [u for u in free if kind != "wrong_period" or u in can_go_back]
        if fits:
            free.remove(fits[0])
            out[fits[0]] = Behaviour(kind, resubmits=kind == "plan_edit")
    if not any(b.late for b in out.values()):
        late = next(u for u, b in out.items() if b.kind in ("sloppy", "good"))
        out[late] = replace(out[late], late=True)
    return out


def assign(
    plan: Plan, registry: Registry, period: Period, units: list[str]
) -> dict[str, Behaviour]:
    """What each of ``units`` (those with a form of ``period``, in order) does with it."""
    return behaviours(units, can_go_back=assignments(plan, registry, period.previous()))


def _drawn(kind: str) -> Behaviour:
    return Behaviour("good", late=True) if kind == "late" else Behaviour(kind)


def fill(form: bytes, plan: Plan, definition: FormDefinition, kind: str, seed: int) -> bytes:
    """The form filled in: ``kind`` "careless" forgets reasons, "sloppy" types numbers as
    text, "plan_edit" rewrites the first measure's locked text; anything else is correct."""
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(io.BytesIO(form))
    ws = wb[next(n for n in definition.sheet_names("report") if n in wb.sheetnames)]
    meta = wb[definition.sheet("meta")]
    ids = [str(r[0].value) for r in meta.iter_rows(min_row=L.META_TABLE_TOP + 2) if r[0].value]
    lay = L.Layout(definition, len(ids))
    _header(ws, lay, rng)
    for i, mid in enumerate(ids):
        _row(ws, lay, i, plan.measure(mid).indicator.target, kind, rng)
    if kind == "plan_edit":
        at = ws.cell(lay.data_row(0) + 1, lay.col("measure") + 1)
        at.value = f"{at.value} (виконано частково, див. пояснення)"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: Worksheet, lay: L.Layout, rng: random.Random) -> None:
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
        ws.cell(lay.header_row(key) + 1, L.VALUE_COLS[0] + 1, value)


def _row(
    ws: Worksheet, lay: L.Layout, i: int, target: float | None, kind: str, rng: random.Random
) -> None:
    r = lay.data_row(i) + 1

    def put(key: str, value: object) -> None:
        ws.cell(r, lay.col(key) + 1, value)

    status = rng.choices(["виконано", "виконується", "не виконано"], [3, 5, 1])[0]
    if i == 0 and kind in FIRST_ROW:
        status = FIRST_ROW[kind]  # so even a one-row form shows the slip
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
    if rng.random() < 0.4 or kind == "sloppy":
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
    setting: Setting, forms: list[GeneratedForm]
) -> tuple[list[bytes], dict[str, Behaviour]]:
    """Every unit's reply (none from the silent ones), and what each unit did."""
    s = setting
    kinds = assign(s.plan, s.registry, s.period, [f.unit for f in forms])
    out = []
    for n, form in enumerate(forms):
        out += _unit_replies(s, form, kinds[form.unit], n)
    return out, kinds


def _unit_replies(s: Setting, form: GeneratedForm, b: Behaviour, n: int) -> list[bytes]:
    if b.kind == "silent":
        return []
    unit = s.registry.units[form.unit]
    sender = unit.emails[0] if unit.emails else f"{unit.id}@example.gov.ua.example"
    when = s.first_day + timedelta(days=n % 3 + (20 if b.late else 0), hours=n % 7)
    subject = f"Звіт за {form.path.stem}"

    def send(data: bytes, name: str, at: datetime = when) -> bytes:
        return reply(s.coordinator, sender, data, name, at, subject)

    if b.kind == "wrong_format":
        return [send("Захід;Стан\nI.1.1;виконано\n".encode("cp1251"), f"{unit.short} звіт.xlsx")]
    blank = _previous_form(s, form.unit) if b.kind == "wrong_period" else form.path.read_bytes()
    sent = [send(fill(blank, s.plan, s.definition, b.kind, seed=n), f"{unit.short} — звіт.xlsx")]
    if b.resubmits:
        fixed = fill(form.path.read_bytes(), s.plan, s.definition, "good", seed=n)
        later = when + timedelta(days=7)
        sent.append(send(fixed, f"{unit.short} — виправлено.xlsx", later))
    return sent


def _previous_form(s: Setting, unit: str) -> bytes:
    """The unit's form of the period before, made as ``zvit templates`` made it then: the
    file an executor finds in last year's mail and fills instead of the new one."""
    [spec] = build_specs(
        s.plan,
        s.registry,
        s.definition,
        s.period.previous(),
        only=[unit],
        reply_to=s.coordinator,
    )
    return render_form(spec)
