"""The normalised plan as text for a person (``zvit plan show``)."""

from __future__ import annotations

from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry

_REPEAT_UK = {
    "once": "одноразово",
    "continuous": "протягом строку",
    "monthly": "щомісяця",
    "quarterly": "щокварталу",
    "annually": "щороку",
    "years": "у визначені роки",
}


def render_plan(
    plan: Plan,
    measures: list[Measure],
    registry: Registry | None,
    period: Period | None = None,
    lang: Lang = "uk",
) -> str:
    uk = lang == "uk"
    lines = [
        plan.title,
        f"{plan.issuer}, {plan.decision.kind} від "
        f"{plan.decision.date:%d.%m.%Y} № {plan.decision.number}",
    ]
    if period is not None:
        what = "Заходи, що звітуються за" if uk else "Measures reported for"
        lines.append(f"{what} {period.label(lang)}: {len(measures)}")
    wanted = {m.id for m in measures}
    for s in plan.sections:
        chosen = [m for m in s.all_measures() if m.id in wanted]
        if not chosen:
            continue
        lines.append("")
        lines.append(f"{s.number} {s.title}")
        for m in chosen:
            lines.append(f"  {m.id:<10} {m.text}")
            d = m.deadline
            span = f"{d.start:%d.%m.%Y}–{d.end:%d.%m.%Y}, {_REPEAT_UK[d.repeat]}"
            lines.append(f"  {'':<10} термін: {d.raw} ({span})")
            names = [registry.name_of(i) if registry else i for i in m.executors.ids]
            names += [f"?{p}" for p in m.executors.unresolved]
            lines.append(f"  {'':<10} виконавці: {'; '.join(names)}")
            target = m.indicator.target
            shown = f" [ціль: {target:g} {m.indicator.unit or ''}]" if target is not None else ""
            lines.append(f"  {'':<10} індикатор: {m.indicator.raw}{shown}")
    return "\n".join(lines)
