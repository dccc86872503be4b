"""The answers of a form: every input cell normalised, then checked against the schema
generated from the form definition, then against the rules a schema cannot state
(the indicator value against its target)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from itertools import compress, repeat
from operator import is_not
from typing import Any

from jsonschema.exceptions import ValidationError

from toolkit.cellref import column_letter
from toolkit.forms.definition import Column, FormDefinition
from toolkit.issues import Issue, Location, issue
from toolkit.messages import Message, Words
from toolkit.periods import Period
from toolkit.plan.indicators import value_kind
from toolkit.plan.model import Measure
from toolkit.schema import SchemaCheck
from toolkit.statuses import DONE
from toolkit.text import norm
from toolkit.validate.answers_schema import answers_schema
from toolkit.validate.normalise import (
    Where,
    all_usual,
    normalise_cell,
    normalise_header,
    usual,
)
from toolkit.validate.reader import Cell, ReadRow, Table, plain_columns
from toolkit.validate.result import AnswerColumns, Answers, Value

_new = tuple.__new__
_NONES = repeat(None)
_CHECKS: dict[str, SchemaCheck] = {}  # by form definition and its fingerprint


def read_answers(
    table: Table,
    rows: dict[str, ReadRow],
    definition: FormDefinition,
    measures: dict[str, Measure],
    file: str,
    sole: frozenset[str] = frozenset(),
) -> tuple[Answers, list[Issue]]:
    """``sole``: the measures this unit executes alone (its value is the whole value)."""
    issues: list[Issue] = []
    sheet = table.sheet
    header: dict[str, Value] = {}
    in_header = _where(file, sheet, None)
    for f in definition.header:
        if f.prefill:
            continue
        cell = table.header[f.key]
        header[f.key] = Value(normalise_header(f, cell, in_header, issues), cell.ref, cell.value)
    columns = _columns(table, list(rows.items()), definition.input_columns, file, issues)
    answers = Answers(sheet, header, columns=columns)
    issues += _schema_issues(answers, definition, measures, file)
    issues += _target_issues(answers, measures, sole, file)
    return answers, issues


def _columns(
    table: Table,
    rows: list[tuple[str, ReadRow]],
    inputs: tuple[Column, ...],
    file: str,
    issues: list[Issue],
) -> AnswerColumns:
    """The input cells, column by column: a whole column typed as the form asks is taken
    as it is (a form's hundreds of cells mostly are); any other is normalised cell by
    cell."""
    keys = tuple(c.key for c in inputs)
    letters = tuple(column_letter(table.columns[key]) for key in keys)
    numbers = tuple(row.row for _, row in rows)
    read = plain_columns([row for _, row in rows], keys)
    raws: dict[tuple[int, int], Any] = {}
    if read is None:  # formulas or percentages on the sheet: each cell with its flags
        found = _cell_by_cell(table.sheet, rows, inputs, file, raws, issues)
        repaired = list(range(len(keys)))
    else:
        found, repaired = [], []
        for k, (column, values_) in enumerate(zip(inputs, read, strict=True)):
            if not all_usual(column, values_):
                values_ = [
                    v
                    if usual(column, v)
                    else _repair(
                        column,
                        v,
                        (i, k),
                        f"{letters[k]}{numbers[i]}",
                        raws,
                        _where(file, table.sheet, rows[i][0]),
                        issues,
                    )
                    for i, v in enumerate(values_)
                ]
                repaired.append(k)
            found.append(values_)
    for k in repaired:  # JSON has no dates: ISO text, as the ledger keeps them
        for i, v in enumerate(found[k]):
            if isinstance(v, date):
                raws.setdefault((i, k), v)
                found[k][i] = v.isoformat()
    return AnswerColumns(
        keys,
        letters,
        tuple(mid for mid, _ in rows),
        numbers,
        tuple(zip(*found, strict=True)) if rows else (),
        raws,
    )


def _cell_by_cell(
    sheet: str,
    rows: list[tuple[str, ReadRow]],
    inputs: tuple[Column, ...],
    file: str,
    raws: dict[tuple[int, int], Any],
    issues: list[Issue],
) -> list[list[Any]]:
    keys = [c.key for c in inputs]
    found: list[list[Any]] = [[] for _ in inputs]
    for i, (mid, row) in enumerate(rows):
        where = _where(file, sheet, mid)
        for k, (column, cell) in enumerate(zip(inputs, row.cells(keys), strict=True)):
            value = normalise_cell(column, cell, where, issues)
            if value is not cell.value:
                raws[(i, k)] = cell.value
            found[k].append(value)
    return found


def _repair(
    column: Column,
    raw: Any,
    at: tuple[int, int],
    ref: str,
    raws: dict[tuple[int, int], Any],
    where: Where,
    issues: list[Issue],
) -> Any:
    value = normalise_cell(column, _new(Cell, (ref, raw, None, False)), where, issues)
    if value is not raw:
        raws[at] = raw
    return value


def _where(file: str, sheet: str, measure: str | None) -> Callable[[str], Location]:
    return lambda ref: Location(file=file, sheet=sheet, cell=ref, measure=measure)


def _document(answers: Answers, measures: dict[str, Measure]) -> dict[str, Any]:
    """The answers as JSON data: empty cells left out, so "required" means "filled"."""
    header = {k: _json(v.value) for k, v in answers.header.items() if v.value is not None}
    c = answers.columns
    rows = []
    if c is not None:
        for mid, line in zip(c.measure_ids, c.values, strict=True):
            # the filled cells' keys and values, picked in C
            row = dict(compress(zip(c.keys, line, strict=True), map(is_not, line, _NONES)))
            row["measure_id"], row["has_target"] = mid, _has_target(measures.get(mid))
            rows.append(row)
    return {"header": header, "rows": rows}


def _has_target(m: Measure | None) -> bool:
    return m is not None and m.indicator.target is not None


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _schema_check(definition: FormDefinition) -> SchemaCheck:
    key = f"{definition.id}:{definition.fingerprint}"
    if key not in _CHECKS:
        _CHECKS[key] = SchemaCheck(answers_schema(definition))
    return _CHECKS[key]


def _schema_issues(
    answers: Answers, definition: FormDefinition, measures: dict[str, Measure], file: str
) -> list[Issue]:
    # most returns are clean: the check says so without listing anything
    errors = _schema_check(definition).errors(_document(answers, measures))
    return [_to_issue(err, answers, definition, file) for err in errors]


def _to_issue(
    err: ValidationError, answers: Answers, definition: FormDefinition, file: str
) -> Issue:
    path = list(err.absolute_path)
    key = _failing_key(err, path)
    if path[:1] == ["header"]:
        cell = answers.header.get(key)
        title: Words | str = next((f.label for f in definition.header if f.key == key), key)
        where = Location(file=file, sheet=answers.sheet, cell=cell.cell if cell else None)
        raw = cell.raw if cell else None
    else:
        measure, value = answers.value_at(int(path[1]), key)
        title = (
            definition.column(key).header if key in {c.key for c in definition.columns} else key
        )  # (a key the form does not define is named as it is)
        where = Location(
            file=file,
            sheet=answers.sheet,
            cell=value.cell if value else None,
            measure=measure,
        )
        raw = value.raw if value else None
    return _coded(err, where, key, title, raw, definition)


def _failing_key(err: ValidationError, path: list[Any]) -> str:
    if err.validator == "required":
        # one error per missing property; its name is only in the message
        m = re.match(r"^'([^']+)' is a required property", err.message)
        return m.group(1) if m else str(path[-1])
    return str(path[-1])


def _coded(
    err: ValidationError,
    where: Location,
    key: str,
    title: Words | str,
    raw: Any,
    definition: FormDefinition,
) -> Issue:
    v = err.validator
    val: Any = err.validator_value
    if v == "required":
        return issue("E_VALUE_REQUIRED", where, column=title, reason=_reason(err))
    if v == "enum":
        words = dict(definition.column(key).choice_labels)
        choices = [Message("common.quoted", {"text": words.get(c, c)}) for c in val]
        return issue("E_CHOICE_INVALID", where, column=title, value=str(raw)[:80], choices=choices)
    if v == "minimum" and val == 0:
        return issue("E_NUMBER_NEGATIVE", where, column=title, value=f"{err.instance:g}")
    if v in ("minimum", "maximum"):
        column = definition.column(key)
        return issue(
            "E_NUMBER_OUT_OF_RANGE",
            where,
            column=title,
            value=err.instance,
            low=column.min,
            high=column.max,
        )
    if v == "maxLength":
        return issue(
            "E_TEXT_TOO_LONG",
            where,
            column=title,
            length=len(str(err.instance)),
            limit=val,
        )
    if v == "format":
        return issue("E_DATE_INVALID", where, column=title, value=str(raw)[:60])
    return issue("E_NUMBER_INVALID", where, column=title, value=str(raw)[:80])


def _reason(err: ValidationError) -> Message | str:
    """Why a conditionally required cell is required: the status that makes it so."""
    if "then" not in err.absolute_schema_path or not isinstance(err.instance, dict):
        return ""
    status = err.instance.get("status")
    if status:
        return Message("validate.required_because.status", {"status": status})
    return Message("validate.required_because.target")


def _target_issues(
    answers: Answers, measures: dict[str, Measure], sole: frozenset[str], file: str
) -> list[Issue]:
    """A percentage over 100; a fraction of things counted whole; a measure reported
    done below its target — only where the unit is its sole executor: a co-executor's
    value is one part of the sum."""
    found = []
    values, statuses = answers.values_of("value"), answers.values_of("status")
    for i, (mid, value, status) in enumerate(
        zip(answers.measure_ids(), values, statuses, strict=True)
    ):
        m = measures.get(mid)
        if m is None or not isinstance(value, float):
            continue
        target = m.indicator.target
        kind = value_kind(m.indicator.unit)
        over = kind == "percent" and value > 100
        broken = kind == "count" and not value.is_integer()
        below = target is not None and value < target and mid in sole and status == DONE
        if not (over or below or broken):
            continue
        _, cell = answers.value_at(i, "value")  # present: value is a float
        where = Location(
            file=file, sheet=answers.sheet, cell=cell.cell if cell else None, measure=mid
        )
        if over:
            found.append(issue("E_PERCENT_OVER_100", where, value=f"{value:g}"))
        if broken:
            unit = m.indicator.unit or ""
            found.append(issue("W_NUMBER_NOT_WHOLE", where, value=f"{value:g}", unit=unit))
        if below:
            found.append(
                issue("W_VALUE_BELOW_TARGET", where, value=f"{value:g}", target=f"{target:g}")
            )
    return found


def unchanged_text(
    answers: Answers,
    previous: tuple[str, Mapping[str, Mapping[str, Any]]] | None,
    file: str,
) -> list[Issue]:
    """ "What was done" copied word for word from the unit's previous report."""
    if previous is None:
        return []
    period, before = previous
    label = Period.parse(period).said()
    found = []
    for i, text in enumerate(answers.values_of("done")):
        if not isinstance(text, str):
            continue
        mid, done = answers.value_at(i, "done")
        old = before.get(mid, {}).get("done")
        if done is not None and isinstance(old, str) and norm(text) == norm(old):
            where = Location(file=file, sheet=answers.sheet, cell=done.cell, measure=mid)
            found.append(issue("W_TEXT_UNCHANGED", where, period=label))
    return found


def is_blank(
    answers: Answers,
    definition: FormDefinition,
    previous: tuple[str, Mapping[str, Mapping[str, Any]]] | None,
) -> bool:
    """No answer entered: every input cell of every row is empty, or holds what the form
    carried over from the unit's previous report (a form sent back as it came)."""
    ids = answers.measure_ids()
    if not ids:
        return False
    before = previous[1] if previous is not None else {}
    for column in definition.input_columns:
        for mid, value in zip(ids, answers.values_of(column.key), strict=True):
            if value is None or value == "":
                continue
            if column.carry_over and _same(value, before.get(mid, {}).get(column.key)):
                continue
            return False
    return True


def _same(value: Any, carried: Any) -> bool:
    if isinstance(value, str) and isinstance(carried, str):
        return norm(value) == norm(carried)
    return bool(value == carried)
