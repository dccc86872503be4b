"""The standard blank forms in ``templates/xlsx/``: each shipped definition rendered
with a three-measure sample plan, to show what executors receive. A test keeps them in
step with the definitions; regenerate with ``uv run python -m toolkit.forms.blank``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from toolkit.forms.definition import load_definition
from toolkit.forms.spec import build_specs
from toolkit.forms.writer import render_form
from toolkit.fsutil import atomic_write_bytes
from toolkit.periods import Period
from toolkit.plan.deadlines import parse_deadline
from toolkit.plan.indicators import parse_indicator
from toolkit.plan.model import (
    Decision,
    ExecutorRef,
    Executors,
    Measure,
    Plan,
    Reporting,
    ReportingRule,
    Section,
)
from toolkit.plan.registry import Registry
from toolkit.resources import templates_dir

SAMPLE = (
    ("Проведення засідань міжвідомчої робочої групи", "щокварталу", "проведення засідань"),
    ("Створення мережі прийомних сімей", "2018-2026 роки", "створення 115 прийомних сімей"),
    ("Забезпечення доступу до освіти дітей", "2019-2026 роки", "забезпечення 100 % дітей"),
)
FORMS = {"annual": Period(2025), "quarterly": Period(2025, 1)}


def sample_plan() -> Plan:
    executors = Executors("Зразкова установа", (ExecutorRef("zrazok", "Зразкова установа"),))
    measures = tuple(
        Measure(
            id=f"I.{n}",
            number=f"{n}.",
            text=text,
            deadline=parse_deadline(deadline, 2018, 2026),
            executors=executors,
            indicator=parse_indicator(indicator),
            section="I",
        )
        for n, (text, deadline, indicator) in enumerate(SAMPLE, start=1)
    )
    return Plan(
        id="zrazok",
        title="Зразок плану заходів",
        issuer="Зразкова адміністрація",
        decision=Decision("розпорядження", "1", date(2018, 1, 1)),
        first_year=2018,
        last_year=2026,
        coordinator="zrazok",
        reporting=Reporting(None, ReportingRule("")),
        sections=(Section("I", "I.", "Зразковий розділ", measures=measures),),
    )


def sample_registry() -> Registry:
    unit = {"id": "zrazok", "name": "Зразкова установа", "short": "Зразок", "kind": "other"}
    return Registry.from_dict({"units": [unit]})


def render_blank(form: str) -> bytes:
    definition = load_definition(form)
    [spec] = build_specs(sample_plan(), sample_registry(), definition, FORMS[form])
    return render_form(spec)


def write_blanks(folder: Path) -> list[Path]:
    paths = []
    for form in FORMS:
        path = folder / f"{form}.xlsx"
        atomic_write_bytes(path, render_blank(form))
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else templates_dir() / "xlsx"
    for written in write_blanks(target):
        print(written)
