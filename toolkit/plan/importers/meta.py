"""What a plan says about itself, read from the words around its table: the issuing
body, the kind, number and date of the decision, the title and years, and the reporting
rules ("щороку до 10 січня … звіту"). Whatever is not found can be given in the
overrides file next to the plan."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from toolkit.plan.deadlines import MONTHS
from toolkit.plan.model import DueDay, ReportingRule
from toolkit.text import clean

_KINDS = ("розпорядження", "рішення", "наказ", "постанова", "ухвала")
_MONTH = "|".join(MONTHS)
_RULE = re.compile(rf"щороку\s+до\s+(\d{{1,2}})\s+({_MONTH})", re.I)


@dataclass
class PlanMeta:
    issuer: str = ""
    kind: str = ""
    number: str = ""
    date: date | None = None
    title: str = ""
    first_year: int | None = None
    last_year: int | None = None
    executors_rule: ReportingRule | None = None
    coordinator_rule: ReportingRule | None = None
    coordinator_phrase: str = ""


def read_meta(preamble: str) -> PlanMeta:
    lines = [clean(line.replace("**", "")) for line in preamble.splitlines()]
    meta = PlanMeta()
    meta.issuer = _issuer(lines)
    meta.kind = _kind(lines)
    meta.number = _number(preamble)
    meta.date = _date(preamble)
    meta.title = _title(preamble)
    years = re.search(r"на\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\s+рок", meta.title)
    if years:
        meta.first_year, meta.last_year = int(years[1]), int(years[2])
    _rules(preamble, meta)
    return meta


def _issuer(lines: list[str]) -> str:
    for line in lines:
        letters = re.sub(r"[^А-ЯҐЄІЇа-яґєії]", "", line)
        if len(letters) > 10 and letters.isupper():
            return line[:1] + line[1:].lower()
    return ""


def _kind(lines: list[str]) -> str:
    for line in lines:
        squeezed = re.sub(r"\s+", "", line).lower()
        if squeezed in _KINDS:
            return squeezed
    return ""


def _number(text: str) -> str:
    m = re.search(r"№\s*_*\s*(\d+(?:[/-][\dA-Za-zА-Яа-яІі]+)?)", text)
    return m.group(1) if m else ""


def _date(text: str) -> date | None:
    """The first date printed: the decision's own date heads the document."""
    found: list[tuple[int, date]] = []
    for m in re.finditer(rf"(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)", text):
        _add_date(found, m.start(), int(m[3]), MONTHS.index(m[2]) + 1, int(m[1]))
    for m in re.finditer(r"(\d{2})\.(\d{2})\.((?:19|20)\d\d)", text):
        _add_date(found, m.start(), int(m[3]), int(m[2]), int(m[1]))
    return min(found)[1] if found else None


def _add_date(found: list[tuple[int, date]], at: int, year: int, month: int, day: int) -> None:
    """A date as printed; an impossible one ("31.02.2019", a typo) is not a date."""
    with contextlib.suppress(ValueError):
        found.append((at, date(year, month, day)))


def _title(text: str) -> str:
    """The heading printed above the table: it starts with a word naming a plan."""
    paragraphs = [clean(p.replace("**", "")) for p in re.split(r"\n\s*\n", text)]
    for i, para in enumerate(paragraphs):
        if re.match(r"^(Регіональн|Обласн|Міськ|План|Комплексн|Програм)\S*\s", para) and (
            "план" in para.lower() or "програм" in para.lower()
        ):
            title = para
            for nxt in paragraphs[i + 1 :]:
                if not nxt or not nxt[:1].islower():
                    break
                title = f"{title} {nxt}"
            return title
    return ""


def _rules(text: str, meta: PlanMeta) -> None:
    lead = ""  # "3. Відповідальним виконавцям:" — the subject of the sub-items below it
    for sentence in re.split(r"(?<=[.;])\s+(?=\S)|\n\s*\n", text):
        sentence = clean(sentence)
        if sentence.endswith(":"):
            lead = re.sub(r"^\d+[.)]\s*", "", sentence)
            continue
        m = _RULE.search(sentence)
        if not m or not re.search(r"звіт|інформув", sentence, re.I):
            continue
        due = DueDay(MONTHS.index(m[2].lower()) + 1, int(m[1]), next_year=True)
        raw = re.sub(r"^\d+[.)]\s*", "", sentence)
        if lead and re.match(r"^\d+\)", sentence):
            raw = f"{lead} {raw}"
        coordinator = re.match(r"(Службі у справах дітей .+?)(?=\s*\(|\s+щороку|\s+інформув)", raw)
        if coordinator and meta.coordinator_rule is None:
            meta.coordinator_rule = ReportingRule(raw, due)
            meta.coordinator_phrase = "служба" + coordinator[1][len("Службі") :]
        elif meta.executors_rule is None:
            meta.executors_rule = ReportingRule(raw, due)
