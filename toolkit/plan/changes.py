"""The difference between two revisions of a plan, as a person reads it: measures added,
removed, merged, split, renumbered, moved between sections, reworded, with executors,
deadline, indicator or target changed; sections renumbered. Worked out from the measures'
keys alone (``toolkit.plan.revisions``), so the same words come out when an amendment is
taken in and in every report of a period it applies to."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.messages import Lang, t
from toolkit.plan.model import Measure, Plan, Section
from toolkit.text import norm

SHORT = 90  # characters of a measure's text shown in a line


@dataclass(frozen=True)
class Change:
    """``new``: the measure's id in the later revision ("" when removed); ``old``: the
    ids it had (several for a merge); ``before``/``after``: what changed, as written."""

    kind: str
    new: str = ""
    old: tuple[str, ...] = ()
    text: str = ""
    before: str = ""
    after: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "new": self.new,
            "old": list(self.old),
            "text": self.text,
            "before": self.before,
            "after": self.after,
        }


def plan_changes(old: Plan, new: Plan) -> list[Change]:
    """What ``new`` changed in ``old``, in the order of ``new`` (removals last)."""
    out = _sections(old, new)
    olds = {m.key: m for m in old.measures()}
    order = {m.key: i for i, m in enumerate(old.measures())}
    heirs: dict[str, list[Measure]] = {}  # old key → the new measures that continue it
    for n in new.measures():
        for key in (n.key, *n.follows):
            if key in olds:
                heirs.setdefault(key, []).append(n)
    split = {k for k, ns in heirs.items() if len(ns) > 1}
    titles = {m.id: s.title for s in (*old.sections, *new.sections) for m in s.all_measures()}
    old_titles = {m.id: s.title for s in old.sections for m in s.all_measures()}
    for n in new.measures():
        came = sorted(
            (olds[k] for k in (n.key, *n.follows) if k in olds), key=lambda o: order[o.key]
        )
        if not came:
            out.append(Change("added", n.id, (), n.text))
        elif len(came) > 1:
            out.append(Change("merged", n.id, tuple(o.id for o in came), n.text))
        elif came[0].key in split:
            if heirs[came[0].key][0] is n:
                parts = ", ".join(h.id for h in heirs[came[0].key])
                out.append(Change("split", parts, (came[0].id,), came[0].text))
        else:
            out += _details(came[0], n, old_titles[came[0].id], titles[n.id])
    out += [Change("removed", "", (o.id,), o.text) for k, o in olds.items() if k not in heirs]
    return out


def _details(o: Measure, n: Measure, old_title: str, new_title: str) -> list[Change]:
    out = []

    def changed(kind: str, before: str, after: str) -> None:
        out.append(Change(kind, n.id, (o.id,), n.text, before, after))

    if o.id != n.id:
        changed("renumbered", o.id, n.id)
    if norm(old_title) != norm(new_title):
        changed("moved", old_title, new_title)
    if norm(o.text) != norm(n.text):
        changed("reworded", o.text, n.text)
    if set(o.executors.ids) != set(n.executors.ids):
        gone = [r.phrase for r in o.executors.refs if r.id not in n.executors.ids]
        came = [r.phrase for r in n.executors.refs if r.id not in o.executors.ids]
        changed("executors", "; ".join(gone), "; ".join(came))
    elif not o.executors.ids and norm(o.executors.raw) != norm(n.executors.raw):
        changed("executors", o.executors.raw, n.executors.raw)
    if norm(o.deadline.raw) != norm(n.deadline.raw) or (o.deadline.start, o.deadline.end) != (
        n.deadline.start,
        n.deadline.end,
    ):
        changed("deadline", o.deadline.raw, n.deadline.raw)
    if norm(o.indicator.raw) != norm(n.indicator.raw):
        changed("indicator", o.indicator.raw, n.indicator.raw)
    if o.indicator.target != n.indicator.target:
        changed("target", _number(o.indicator.target), _number(n.indicator.target))
    return out


def _sections(old: Plan, new: Plan) -> list[Change]:
    """Sections kept under the same title with another number."""
    by_title: dict[str, Section] = {norm(s.title): s for s in old.sections}
    out = []
    for s in new.sections:
        before = by_title.get(norm(s.title))
        if before is not None and _roman(before.number) != _roman(s.number):
            out.append(Change("section", s.id, (before.id,), s.title, before.number, s.number))
    return out


def _roman(number: str) -> str:
    """A section's number as compared: «ІІ.» typed in Cyrillic is «II.»."""
    return number.translate(_CYRILLIC_ROMAN).strip(" .")


_CYRILLIC_ROMAN = str.maketrans({"І": "I", "Х": "X", "У": "V", "і": "I", "х": "X"})


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def short(text: str, limit: int = SHORT) -> str:
    """One line of at most ``limit`` characters: a measure named in a list."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


DETAILS = ("renumbered", "moved", "reworded", "executors", "deadline", "indicator", "target")


def describe(changes: list[Change], lang: Lang) -> list[str]:
    """The changes as lines of text: a measure's changes on one line after its number."""
    lines: list[str] = []
    group: list[Change] = []
    for c in [*changes, Change("")]:
        if group and (c.kind not in DETAILS or (c.new, c.old) != (group[0].new, group[0].old)):
            lines.append(_measure_line(group, lang))
            group = []
        if c.kind in DETAILS:
            group.append(c)
        elif c.kind:
            lines.append(change_line(c, lang))
    return lines


def _measure_line(group: list[Change], lang: Lang) -> str:
    first = group[0]
    what = "; ".join(change_what(c, lang) for c in group)
    renumbered = first.old and first.old[0] != first.new
    ids = f"{first.old[0]} → {first.new}" if renumbered else first.new
    return t("revisions.change.measure", lang, ids=ids, text=short(first.text), what=what)


def change_line(c: Change, lang: Lang) -> str:
    """One change in words, on its own (the report lists them one by one)."""
    if c.kind in DETAILS:
        return _measure_line([c], lang)
    return t(f"revisions.change.{c.kind}", lang, **_params(c, lang))


def change_what(c: Change, lang: Lang) -> str:
    """What changed in a measure, without naming it (``revisions.what.KIND``)."""
    key = c.kind
    if c.kind == "target" and c.before and c.after:
        key = "target_up" if float(c.after) > float(c.before) else "target_down"
    return t(f"revisions.what.{key}", lang, **_params(c, lang))


def _params(c: Change, lang: Lang) -> dict[str, str]:
    return {
        "new": c.new,
        "old": ", ".join(c.old),
        "text": short(c.text),
        "before": short(c.before) or t("common.none", lang),
        "after": short(c.after) or t("common.none", lang),
    }
