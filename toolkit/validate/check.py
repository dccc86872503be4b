"""One returned file → one Validation, in one pass: the file gate (format, limits,
hostile content), identity, structure and values. Never raises on bad content; every
problem is an issue, and an unusable file is marked for quarantine."""

from __future__ import annotations

import zipfile
from datetime import datetime
from typing import Any

from toolkit.cellref import row_of
from toolkit.gate.sniff import Inspection, inspect
from toolkit.issues import Issue, Location, issue
from toolkit.validate.context import Context
from toolkit.validate.identity import check_identity, read_identity
from toolkit.validate.reader import Package, open_package, read_table
from toolkit.validate.result import Validation
from toolkit.validate.sheets import READ_ERRORS
from toolkit.validate.structure import check_structure
from toolkit.validate.values import is_blank, read_answers, unchanged_text

_ORDER = {"error": 0, "warning": 1, "info": 2}
_BLANK_NOISE = frozenset({"E_VALUE_REQUIRED", "W_TEXT_UNCHANGED"})
# What reading a damaged package may raise: the file's fault, reported as E_CORRUPT.
_DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    RuntimeError,
    *READ_ERRORS,
)


def validate_bytes(
    data: bytes, name: str, ctx: Context, gate: Inspection | None = None
) -> Validation:
    """``gate``: the file gate's finding on these bytes, when the caller has it already."""
    gate = gate if gate is not None else inspect(data, name)
    result = Validation(file=name, sha256=gate.sha256, size=gate.size, fmt=gate.fmt)
    result.issues += [_located(i, name) for i in gate.issues]
    if not gate.usable:
        result.quarantined = True
        return result
    try:
        pkg = open_package(data, gate.inflated, gate.names)
    except Exception as e:  # any reader failure on untrusted bytes is the file's fault
        result.issues.append(_corrupt(name, e))
        result.quarantined = True
        return result
    try:
        _check(pkg, ctx, result)
    except _DAMAGED as e:
        result.issues.append(_corrupt(name, e))
        result.quarantined = True
    finally:
        pkg.close()
    result.issues.sort(key=_sort_key)
    return result


def _corrupt(name: str, e: Exception) -> Issue:
    """A reader failing on untrusted bytes: the file's fault, the failure's class kept for
    whoever looks into it (the catalog's ``exception``)."""
    kind = type(e).__name__
    return issue("E_CORRUPT", Location(file=name), detail=kind, exception=kind)


def _check(pkg: Package, ctx: Context, result: Validation) -> None:
    name = result.file
    result.application = pkg.parts.application
    result.saved_at = saved_time(pkg.parts.modified)
    identity, found = read_identity(pkg, name)
    result.issues += found
    if identity is None:
        return
    result.identity = identity
    ctx, found = ctx.for_form(identity.plan_fp, identity.period, name)
    result.issues += found
    result.issues += check_identity(identity, ctx, name)
    definition = ctx.definition(identity.form)
    table = read_table(pkg, definition)
    if table is None:
        where = Location(file=name, unit=identity.unit)
        report = definition.sheets["report"]  # named in the reader's language
        result.issues.append(issue("E_TABLE_MISSING", where, sheet=report))
        return
    measures = ctx.measures()
    matched = check_structure(table, definition, identity.measure_ids, measures, name)
    result.issues += matched.issues
    sole = ctx.sole_measures(identity.unit)
    answers, found = read_answers(table, matched.rows, definition, measures, name, sole)
    result.answers = answers
    result.issues += found
    found_before = ctx.previous(identity.unit, identity.period) if ctx.previous else None
    previous = ctx.earlier(found_before)  # put on this revision's measures
    if ctx.previous is not None:
        result.issues += unchanged_text(answers, previous, name)
    if is_blank(answers, definition, previous):
        # nothing entered: one finding says so, not a «required» for every cell
        result.issues = [i for i in result.issues if i.code not in _BLANK_NOISE]
        where = Location(file=name, unit=identity.unit, sheet=answers.sheet)
        result.issues.append(issue("E_FORM_BLANK", where, rows=len(answers.measure_ids())))
    _unit_everywhere(result, identity.unit)


def saved_time(text: str) -> datetime | None:
    """The workbook's own time of its last save. Without a zone (some LibreOffice
    versions) it is the local time of the computer that saved it: taken as ours."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.year < 2000:  # an unset time (1970, 1601): no time
        return None
    return moment if moment.tzinfo else moment.astimezone()


def _unit_everywhere(result: Validation, unit: str) -> None:
    result.issues = [i if i.where.unit else _with(i, unit=unit) for i in result.issues]


def _with(i: Issue, **changes: Any) -> Issue:
    where = Location(**(vars(i.where) | changes))
    return Issue(i.code, where, i.params)


def _located(i: Issue, name: str) -> Issue:
    return i if i.where.file else _with(i, file=name)


def _sort_key(i: Issue) -> tuple[int, str, int, str]:
    cell = i.where.cell or ""
    return (_ORDER[i.severity], i.where.sheet or "", row_of(cell), cell)
