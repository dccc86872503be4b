"""The normalised plan as text for a person (``zvit plan show``)."""

from __future__ import annotations

from toolkit.messages import Lang, t
from toolkit.periods import Period
from toolkit.plan.model import Measure, Plan
from toolkit.plan.registry import Registry


def render_plan(
    plan: Plan,
    measures: list[Measure],
    registry: Registry | None,
    period: Period | None = None,
    lang: Lang = "uk",
) -> str:
    lines = [plan.title, f"{plan.issuer}, {plan.decision.label(lang)}"]
    if period is not None:
        lines.append(
            t("plan.show.reported_for", lang, period=period.label(lang), count=len(measures))
        )
    wanted = {m.id for m in measures}
    for s in plan.sections:
        chosen = [m for m in s.all_measures() if m.id in wanted]
        if not chosen:
            continue
        lines.append("")
        lines.append(f"{s.number} {s.title}")
        for m in chosen:
            lines.append(f"  {m.id:<10} {m.text}")
            lines += [f"  {'':<10} {line}" for line in _details(m, registry, lang)]
    return "\n".join(lines)


def _details(m: Measure, registry: Registry | None, lang: Lang) -> list[str]:
    d = m.deadline
    span = f"{d.start:%d.%m.%Y}–{d.end:%d.%m.%Y}, {t(f'plan.repeat.{d.repeat}', lang)}"
    names = [registry.name_of(i) if registry else i for i in m.executors.ids]
    names += [f"?{p}" for p in m.executors.unresolved]
    target = m.indicator.target
    shown = ""
    if target is not None:
        shown = t("plan.show.target", lang, target=f"{target:g} {m.indicator.unit or ''}".strip())
    return [
        t("plan.show.deadline", lang, deadline=d.raw, span=span),
        t("plan.show.executors", lang, names="; ".join(names)),
        t("plan.show.indicator", lang, indicator=m.indicator.raw) + shown,
    ]
