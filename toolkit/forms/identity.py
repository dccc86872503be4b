"""The identity every form carries: which plan, unit, period and form it was made for,
and which measures sit on which rows.

It is written three times — as custom document properties of string type, as defined
names, and as cells of a hidden sheet — because those are what come back verbatim from
Excel and LibreOffice. A checksum over the whole identity is stored with each copy; the
reader recomputes it and compares the copies, so an edited or transplanted identity is
noticed rather than trusted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from toolkit.forms.definition import FormDefinition
from toolkit.periods import Period
from toolkit.plan.fingerprint import plan_fingerprint as plan_fingerprint  # defined with the plan
from toolkit.plan.model import Measure, Plan

PROPERTY_PREFIX = "zvit."


def row_hash(m: Measure) -> str:
    """The locked words of a measure's row, to notice them being edited."""
    text = "|".join([m.id, m.text, m.deadline.raw, m.indicator.raw])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Identity:
    form_id: str
    plan_id: str
    plan_fp: str
    unit: str
    period: str
    form: str
    version: str
    definition_fp: str
    measure_ids: tuple[str, ...]
    row_hashes: tuple[str, ...]

    @property
    def checksum(self) -> str:
        return checksum(self.fields(), self.measure_ids, self.row_hashes)

    def fields(self) -> dict[str, str]:
        return {
            "form_id": self.form_id,
            "plan_id": self.plan_id,
            "plan_fp": self.plan_fp,
            "unit": self.unit,
            "period": self.period,
            "form": self.form,
            "version": self.version,
            "definition_fp": self.definition_fp,
            "rows": str(len(self.measure_ids)),
        }

    def properties(self) -> dict[str, str]:
        """Custom document properties — all strings, so no client retypes them."""
        props = {PROPERTY_PREFIX + k: v for k, v in self.fields().items()}
        props[PROPERTY_PREFIX + "checksum"] = self.checksum
        return props


def checksum(fields: dict[str, str], ids: tuple[str, ...], hashes: tuple[str, ...]) -> str:
    canonical = json.dumps([fields, list(ids), list(hashes)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def make_identity(
    plan: Plan,
    unit_id: str,
    period: Period,
    definition: FormDefinition,
    measures: list[Measure],
    fp: str | None = None,
) -> Identity:
    """``fp``: the plan's fingerprint when the caller has it (one per run, not per form)."""
    fp = fp or plan_fingerprint(plan)
    ids = tuple(m.id for m in measures)
    seed = json.dumps([fp, unit_id, str(period), definition.id, definition.version, ids])
    return Identity(
        form_id="ZV-" + hashlib.sha256(seed.encode()).hexdigest()[:12].upper(),
        plan_id=plan.id,
        plan_fp=fp,
        unit=unit_id,
        period=str(period),
        form=definition.id,
        version=definition.version,
        definition_fp=definition.fingerprint,
        measure_ids=ids,
        row_hashes=tuple(row_hash(m) for m in measures),
    )
