"""The report document a coordinator signs: the consolidated report rendered into the Word
template (``templates/docx/report.docx``, the workspace's copy winning) with docxtpl.

docxtpl keeps the document's look in the template, where a coordinator can restyle it in
Word or LibreOffice, and the content here; python-docx alone would put both in code.

Everything the template shows is prepared here as plain text: the words from the message
catalog, names instead of ids, one date format. Texts typed by executors are untrusted:
control characters go, and the template is rendered with autoescaping, so ``<``, ``&`` or
``{{`` in a narrative stay the characters a person typed."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError

from toolkit.errors import UsageError
from toolkit.formats import num
from toolkit.messages import Lang, t
from toolkit.report.labels import day, status_label
from toolkit.report.model import Consolidated, MeasureRow, UnitAnswer
from toolkit.report.status import DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE
from toolkit.text import clean_text
from toolkit.workspace import ReportSettings

TEMPLATE = Path("docx") / "report.docx"  # under templates/, shipped and in a workspace
_STATUS_KEYS = {
    DONE: "done",
    IN_PROGRESS: "in_progress",
    NOT_DONE: "not_done",
    LOST: "lost",
    NO_REPORT: "no_report",
}


def render_document(
    c: Consolidated,
    template: Path,
    *,
    lang: Lang = "uk",
    made_on: date,
    people: ReportSettings | None = None,
    sender: str = "",
) -> bytes:
    """The .docx bytes; ``sender`` is used when ``people`` names none (the coordinator's
    unit from the registry)."""
    context = document_context(c, lang=lang, made_on=made_on, people=people, sender=sender)
    try:
        doc = DocxTemplate(str(template))
        doc.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
    except (TemplateError, KeyError, ValueError, OSError) as e:
        raise UsageError("document.template_failed", template=template, detail=e) from e
    doc.core_properties.created = doc.core_properties.modified = _moment(made_on)
    doc.core_properties.title = str(context["subject"])  # in the document's language
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def document_context(
    c: Consolidated,
    *,
    lang: Lang,
    made_on: date,
    people: ReportSettings | None = None,
    sender: str = "",
) -> dict[str, Any]:
    people = people or ReportSettings()
    period = c.period.label(lang)
    blank = t("document.blank", lang)
    return {
        "addressee": [line for line in people.addressee.splitlines() if line.strip()] or [blank],
        "sender": people.sender or sender,
        "registration": t("document.registration", lang),
        "subject": subject(c.plan.title, period, lang),
        "intro": _intro(c, lang),
        "summary": _summary(c, lang),
        "labels": {
            key: t(f"document.col.{key}", lang)
            for key in ("number", "measure", "deadline", "executors", "state")
        },
        "sections": _sections(c, lang),
        "missing_heading": t(
            "document.missing_heading" if c.missing else "document.missing_none",
            lang,
            period=period,
        ),
        "missing": [_clean(u.name or u.short) for u in c.missing],
        "signer_position": people.signer_position or blank,
        "signer_name": people.signer_name or blank,
        "signer_hint": "" if people.signer_name else t("document.signer_hint", lang),
        "executor": people.executor,
        "made_on": day(made_on),
    }


# «Регіональний стратегічний план дій …» → «Регіонального стратегічного плану дій …»:
# the adjectives before «план» and «план» itself, the common shape of a plan's title.
_ADJECTIVE = re.compile(r"^(\w+)(ий|ій)$")
_PLAN = re.compile(r"^(план|програма)$", re.IGNORECASE)


def subject(title: str, period: str, lang: Lang) -> str:
    """«Про стан виконання <plan in the genitive> за 2025 рік»; a title of another shape is
    quoted whole (a wrong ending would be worse than the quotation marks)."""
    title = _clean(title)
    # declined in Ukrainian only: the title is the plan's own, a Ukrainian phrase
    genitive = _genitive(title) if lang == "uk" else None
    if genitive:
        return t("document.subject", lang, plan=genitive, period=period)
    return t("document.subject_quoted", lang, plan=title, period=period)


def _genitive(title: str) -> str | None:
    words = title.split(" ")
    for i, word in enumerate(words):
        if _PLAN.match(word):
            ending = "плану" if word.lower() == "план" else "програми"
            head = [_adjective(w) for w in words[:i]]
            if any(h is None for h in head):
                return None
            if word[:1].isupper():
                ending = ending.capitalize()
            return " ".join([*(h for h in head if h), ending, *words[i + 1 :]])
    return None


def _adjective(word: str) -> str | None:
    found = _ADJECTIVE.match(word)
    if not found:
        return None
    return found[1] + ("ого" if found[2] == "ий" else "ього")


def _intro(c: Consolidated, lang: Lang) -> str:
    d = c.plan.decision
    decision = d.label(lang, day(d.date))
    return t(
        "document.intro", lang, decision=decision, issuer=c.plan.issuer, period=c.period.label(lang)
    )


def _summary(c: Consolidated, lang: Lang) -> str:
    counts = dict.fromkeys(_STATUS_KEYS.values(), 0)
    for row in c.rows:
        key = _STATUS_KEYS.get(row.combined, "not_done")  # «не розпочато» is not done
        counts[key] += 1
    carried = sum(1 for r in c.rows if r.carried)
    expected = c.expected
    reported = [u for u in expected if not u.missing]
    return t(
        "document.summary",
        lang,
        measures=len(c.rows),
        carried=t("document.summary_carried", lang, count=carried) if carried else "",
        **counts,
        expected=len(expected),
        reported=len(reported),
        on_time=sum(1 for u in reported if u.late is None),
        missing=len(c.missing),
    )


def _sections(c: Consolidated, lang: Lang) -> list[dict[str, Any]]:
    by_section: dict[str, list[MeasureRow]] = {}
    for row in c.rows:
        by_section.setdefault(row.measure.section, []).append(row)
    out = []
    for section in c.plan.sections:
        rows = by_section.get(section.id)
        if not rows:
            continue
        title = t("document.section", lang, number=section.number, title=section.title)
        out.append({"title": _clean(title), "measures": [_measure(c, r, lang) for r in rows]})
    return out


def _measure(c: Consolidated, r: MeasureRow, lang: Lang) -> dict[str, Any]:
    executors = [a for a in r.answers if a.expected]
    return {
        "number": r.measure.id,
        "text": _clean(r.measure.text),
        "deadline": _clean(r.measure.deadline.raw),
        "executors": ", ".join(_clean(a.short) for a in executors),
        "status": _status(r, lang),
        "notes": [*_notes(c, r.answers, lang), *_facts(c, r, lang)],
    }


def _status(r: MeasureRow, lang: Lang) -> str:
    label = status_label(r.combined, lang)
    label = label[:1].upper() + label[1:]
    if r.partial:
        return t(
            "document.status_partial", lang, status=label, reported=r.reported, expected=r.expected
        )
    return t("document.status", lang, status=label)


def _notes(c: Consolidated, answers: Iterable[UnitAnswer], lang: Lang) -> list[dict[str, str]]:
    """Each executor's own words, attributed by its short name."""
    notes = []
    for a in answers:
        parts = []
        for i, key in enumerate(c.text_keys):
            text = _clean(a.texts.get(key, ""))
            if not text:
                continue
            if i:
                header = c.definition.column(key).header.text(lang)
                text = f"{header[:1].lower()}{header[1:]} — {text}"
            parts.append(text)
        if parts:
            notes.append({"who": f"{_clean(a.short)}: ", "text": "; ".join(parts)})
    return notes


def _facts(c: Consolidated, r: MeasureRow, lang: Lang) -> list[dict[str, str]]:
    """What the report adds to the executors' words: who did not report, the deadline
    passed, the indicator against its target."""
    facts = []
    silent = [a.short for a in r.answers if a.expected and a.status is None]
    if silent and r.reported:
        facts.append(t("document.no_report_from", lang, units=", ".join(silent)))
    if r.overdue:
        facts.append(t("document.overdue", lang))
    indicator = r.measure.indicator
    if indicator.raw:
        facts.append(t("document.indicator", lang, indicator=_clean(indicator.raw)))
    if r.value is not None or r.cumulative is not None:
        unit = f" {indicator.unit}" if indicator.unit else ""
        target = (
            t("document.target", lang, target=_number(indicator.target, lang), unit=unit)
            if indicator.target is not None
            else ""
        )
        facts.append(
            t(
                "document.indicator_values",
                lang,
                period=c.period.label(lang),
                value=_number(r.value, lang),
                target=target,
                cumulative=_number(r.cumulative, lang),
            )
        )
    return [{"who": "", "text": f} for f in facts]


def _number(value: float | None, lang: Lang) -> str:
    """12 · 12,5 · 1 234,5 (a comma and a space in Ukrainian)."""
    return num(value, lang, 2)


def _clean(text: str) -> str:
    """Untrusted text fit for the document: no control characters, one line."""
    return " ".join(clean_text(text).split())


def _moment(d: date) -> datetime:
    return datetime.combine(d, time())
