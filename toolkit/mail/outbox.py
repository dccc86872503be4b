"""``zvit mail compose``: one message per unit with its form attached, written to
``outbox/<period>/`` as an .eml and recorded in the ledger under its Message-ID.

Which form: the newest the ledger says was issued to the unit for the period (``zvit
templates`` records them), else the one ``forms/<period>/manifest.json`` lists. Composing
again changes nothing for a unit whose form and addresses are unchanged, so a message
already sent is never made anew; a new form makes a new message."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from toolkit.forms.make import due_date
from toolkit.fsutil import relative
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.base import now
from toolkit.ledger.mail import MailLedger, OutMessage
from toolkit.mail import message as mm
from toolkit.mail.texts import Letter, form_body, form_subject
from toolkit.mailio.settings import sender
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.query import assignments
from toolkit.plan.registry import Unit
from toolkit.text import safe_filename
from toolkit.workspace import Workspace

MAX_NAMED = 10  # units named in one line of problems


@dataclass(frozen=True)
class FormFile:
    unit: str
    path: Path
    form_id: str
    rows: int


@dataclass
class Composed:
    period: str
    made: list[OutMessage] = field(default_factory=list)  # new messages
    kept: list[OutMessage] = field(default_factory=list)  # composed before, still current
    problems: list[Issue] = field(default_factory=list)
    outbox: Path | None = None


def outbox_folder(ws: Workspace, period: Period) -> Path:
    return ws.folder("outbox") / safe_filename(str(period))


def compose_forms(
    ws: Workspace, period: Period, *, units: tuple[str, ...] = (), lang: Lang | None = None
) -> Composed:
    """Compose (or keep) the form message of every unit with a form for the period."""
    language: Lang = lang or ws.lang
    registry, plan = ws.registry(), ws.plan(period)
    _check_units(units, registry.units)
    from_ = sender(ws)
    result = Composed(str(period), outbox=outbox_folder(ws, period))
    with MailLedger.open(ws) as ledger:
        forms = form_files(ws, ledger, period)
        expected = [u for u in assignments(plan, registry, period) if not units or u in units]
        result.problems += no_form([u for u in expected if u not in forms], period)
        earlier = ledger.composed(str(period), "form")
        run_id = ledger.start_run("mail compose", str(period), list(units))
        letter = letter_maker(ws, period, language)
        taken: set[Path] = set()
        for unit_id, form in forms.items():
            if units and unit_id not in units:
                continue
            unit = registry.units.get(unit_id)
            if unit is None:
                continue
            to = addresses(unit, result.problems)
            if not to:
                continue
            draft = _draft(from_, to, letter(unit), form)
            prev = earlier.get(unit_id)
            if prev is not None and _same(prev, draft):
                _restore(ws, prev, draft)
                result.kept.append(prev)
                continue
            made = _write(ws, period, unit, form, draft, taken)
            ledger.record_composed(made, run_id)
            result.made.append(made)
        ledger.finish_run(
            run_id,
            {
                "composed": len(result.made),
                "kept": len(result.kept),
                "problems": len(result.problems),
            },
            None,
        )
    return result


def form_files(ws: Workspace, ledger: MailLedger, period: Period) -> dict[str, FormFile]:
    """Unit → the form to send, in registry order; forms whose file is gone are left out."""
    found: dict[str, FormFile] = {}
    for unit, f in ledger.issued_for(str(period)).items():
        path = Path(f.file) if Path(f.file).is_absolute() else ws.root / f.file
        if path.is_file():
            found[unit] = FormFile(unit, path, f.form_id, f.rows)
    manifest = ws.root / "forms" / safe_filename(str(period)) / "manifest.json"
    if manifest.is_file():
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            path = manifest.parent / safe_filename(str(entry["file"]), max_len=200)
            if entry["unit"] not in found and path.is_file():
                found[entry["unit"]] = FormFile(
                    entry["unit"], path, str(entry["form_id"]), int(entry.get("rows", 0))
                )
    order = list(ws.registry().units)
    return dict(
        sorted(found.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    )


def no_form(units: list[str], period: Period) -> list[Issue]:
    """One line for every unit without a form (there may be dozens)."""
    if not units:
        return []
    shown = ", ".join(units[:MAX_NAMED]) + (" …" if len(units) > MAX_NAMED else "")
    where = Location(unit=units[0]) if len(units) == 1 else Location()
    return [issue("W_MAIL_NO_FORM", where, count=len(units), units=shown, period=str(period))]


def addresses(unit: Unit, problems: list[Issue]) -> tuple[str, ...]:
    """The unit's usable addresses; the unusable and the missing are reported."""
    good, bad = mm.split_addresses(unit.emails)
    where = Location(unit=unit.id)
    problems += [issue("E_MAIL_BAD_ADDRESS", where, address=a) for a in bad]
    if not good:
        problems.append(issue("W_MAIL_NO_ADDRESS", where, name=unit.short or unit.name))
    return tuple(good)


def letter_maker(ws: Workspace, period: Period, lang: Lang) -> Callable[[Unit], Letter]:
    """What a message says of the plan and the period, once; the unit varies."""
    plan, registry, from_ = ws.plan(period), ws.registry(), sender(ws)
    coordinator = registry.units.get(plan.coordinator)
    signature = coordinator.name if coordinator is not None else parseaddr(from_)[0] or from_
    due = due_date(plan, period, ws.executors_due())

    def letter(unit: Unit) -> Letter:
        return Letter(
            unit.name, unit.short or unit.name, plan.title, period.label(lang), due, signature, lang
        )

    return letter


def _draft(from_: str, to: tuple[str, ...], letter: Letter, form: FormFile) -> mm.Draft:
    data = form.path.read_bytes()
    return mm.Draft(
        from_,
        to,
        form_subject(letter),
        form_body(letter, form.path.name, form.rows),
        mm.new_message_id(from_),
        now(),
        form.path.name,
        data,
    )


def _same(prev: OutMessage, draft: mm.Draft) -> bool:
    return prev.attachment_sha256 == draft.sha256 and {a.lower() for a in prev.recipients} == {
        a.lower() for a in draft.to
    }


def _restore(ws: Workspace, prev: OutMessage, draft: mm.Draft) -> None:
    """An outbox file deleted by hand is written again, the same message as recorded."""
    path = ws.root / prev.eml
    if not path.exists():
        again = mm.Draft(
            draft.sender,
            prev.recipients,
            prev.subject,
            draft.body,
            prev.message_id,
            prev.composed_at,
            prev.attachment,
            draft.data,
        )
        mm.write_eml(path, mm.build(again))


def _write(
    ws: Workspace, period: Period, unit: Unit, form: FormFile, draft: mm.Draft, taken: set[Path]
) -> OutMessage:
    path = mm.eml_path(outbox_folder(ws, period), f"{unit.short or unit.id} — {period}", taken)
    mm.write_eml(path, mm.build(draft))
    return OutMessage(
        draft.message_id,
        unit.id,
        str(period),
        "form",
        draft.to,
        draft.subject,
        draft.attachment,
        draft.sha256,
        form.form_id,
        relative(path, ws.root),
        draft.date,
    )


def _check_units(units: tuple[str, ...], known: dict[str, Unit]) -> None:
    from toolkit.errors import UsageError

    unknown = [u for u in units if u not in known]
    if unknown:
        raise UsageError("common.units_unknown", units=", ".join(unknown))
