"""``zvit demo``: the reporting cycle on the bundled examples, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from toolkit.issues import count_by_severity
from toolkit.plan.check import check_plan
from toolkit.plan.importing import import_plan
from toolkit.plan.io import load_registry
from toolkit.plan.overrides import Overrides
from toolkit.resources import examples_dir

EXAMPLES = ("luhansk-2018-2026", "hlukhiv-2020-2026")


def run_demo(output: Path) -> Iterator[str]:
    for name in EXAMPLES:
        folder = examples_dir() / name
        registry = load_registry(folder / "units.yaml")
        overrides = Overrides.load(_optional(folder / "overrides.yaml"))
        result = import_plan(folder / "source.txt", registry, overrides)
        if result.plan is None:
            yield f"{name}: імпорт не вдався"
            continue
        plan = result.plan
        checked = check_plan(plan, registry, name)
        c = count_by_severity(checked)
        repairs = count_by_severity(result.issues)["info"]
        yield (
            f"{name}: «{plan.title}» — розділів {len(plan.sections)}, "
            f"заходів {sum(1 for _ in plan.measures())}, звітних одиниць "
            f"{len(registry.units)}; виправлень при імпорті {repairs}; перевірка: "
            f"помилок {c['error']}, попереджень {c['warning']}"
        )


def _optional(path: Path) -> Path | None:
    return path if path.is_file() else None
