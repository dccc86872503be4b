"""Whose form is this? The identity is read from its three copies (document properties,
defined names, the hidden sheet), the copies are compared, the checksum recomputed, and
the result checked against the plan, the registry and what is being collected."""

from __future__ import annotations

from toolkit.forms import layout as L
from toolkit.forms.identity import PROPERTY_PREFIX, checksum
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message
from toolkit.validate.context import Context
from toolkit.validate.parts import name_constant
from toolkit.validate.reader import Package, read_meta
from toolkit.validate.result import Identity

_FIELDS = (
    "form_id",
    "plan_id",
    "plan_fp",
    "unit",
    "period",
    "form",
    "version",
    "definition_fp",
    "rows",
)


def read_identity(pkg: Package, file: str) -> tuple[Identity | None, list[Issue]]:
    meta, rows = read_meta(pkg)
    props = {
        k[len(PROPERTY_PREFIX) :]: v
        for k, v in pkg.parts.properties.items()
        if k.startswith(PROPERTY_PREFIX)
    }
    names = {
        "form_id": name_constant(pkg.parts.names.get(L.NAME_FORM_ID, "")) or "",
        "checksum": name_constant(pkg.parts.names.get(L.NAME_CHECKSUM, "")) or "",
    }
    where = Location(file=file)
    carriers = {"properties": props, "names": names, "sheet": meta}
    present = {k: v for k, v in carriers.items() if v.get("form_id")}
    if not present:
        return None, [issue("E_NOT_A_FORM", where)]
    found: list[Issue] = []
    conflict = _conflict(present)
    if conflict is not None:
        found.append(issue("E_IDENTITY_CONFLICT", where, detail=conflict))
    missing = [k for k in carriers if k not in present]
    if missing and conflict is None:
        found.append(issue("W_IDENTITY_PARTIAL", where, missing=[_carrier(k) for k in missing]))
    source = meta if meta.get("form_id") else props
    ids = tuple(r[0] for r in rows)
    hashes = tuple(r[2] for r in rows)
    fields = {k: source.get(k, "") for k in _FIELDS}
    stored = source.get("checksum", "") or names["checksum"]
    if meta.get("form_id") and checksum(fields, ids, hashes) != stored:
        found.append(issue("E_IDENTITY_TAMPERED", where))
    if not meta.get("form_id"):
        ids = ()  # without the hidden sheet the row list is unknown
    identity = Identity(
        form_id=fields["form_id"],
        plan_id=fields["plan_id"],
        plan_fp=fields["plan_fp"],
        unit=fields["unit"],
        period=fields["period"],
        form=fields["form"] or "annual",
        version=fields["version"],
        checksum=stored,
        measure_ids=ids,
    )
    return identity, found


def _carrier(name: str) -> Message:
    return Message(f"validate.identity.{name}")


def _conflict(present: dict[str, dict[str, str]]) -> Message | None:
    for key in ("form_id", "checksum", "unit", "period", "plan_id"):
        values = {name: v[key] for name, v in present.items() if v.get(key)}
        if len(set(values.values())) > 1:
            shown = [
                Message("validate.identity.holds", {"carrier": _carrier(name), "value": value})
                for name, value in values.items()
            ]
            return Message("validate.identity.conflict", {"field": key, "found": shown})
    return None


def check_identity(ident: Identity, ctx: Context, file: str) -> list[Issue]:
    """The identity against the plan, the registry and what is being collected."""
    where = Location(file=file, unit=ident.unit or None)
    found: list[Issue] = []
    if ident.plan_id != ctx.plan.id:
        found.append(issue("E_WRONG_PLAN", where, found=ident.plan_id, expected=ctx.plan.id))
    elif ident.plan_fp != ctx.plan_fp:
        found.append(issue("W_PLAN_CHANGED", where))
    if ident.unit not in ctx.registry.units:
        found.append(issue("E_UNKNOWN_UNIT", where, unit=ident.unit))
    if ctx.period is not None and ident.period != str(ctx.period):
        found.append(issue("E_WRONG_PERIOD", where, found=ident.period, expected=str(ctx.period)))
    if ctx.unit is not None and ident.unit != ctx.unit:
        found.append(issue("E_WRONG_UNIT", where, found=ident.unit, expected=ctx.unit))
    sender_unit = ctx.unit_of_sender()
    if sender_unit and sender_unit != ident.unit:
        found.append(issue("W_SENDER_OTHER_UNIT", where, sender=ctx.sender, found=ident.unit))
    if ctx.issued is not None:
        issued = ctx.issued(ident.unit, ident.period)
        if issued is not None and ident.form_id not in issued:
            found.append(issue("E_UNKNOWN_FORM", where, form_id=ident.form_id))
    return found
