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
from toolkit.plan.importers.casing import restore_case
from toolkit.plan.model import DueDay, ReportingRule
from toolkit.text import clean, visible

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
    title_in_capitals: bool = False


def read_meta(preamble: str) -> PlanMeta:
    preamble = visible(preamble)
    lines = [clean(line.replace("**", "")) for line in preamble.splitlines()]
    own = own_words(preamble)
    meta = PlanMeta()
    meta.issuer = _issuer(lines)
    meta.kind = _kind(lines) or _approved_by(own)
    meta.number = _number(own)
    meta.date = _date(own)
    meta.title, meta.title_in_capitals = _title(preamble)
    years = re.search(r"на\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\s+рок", meta.title, re.I)
    if years:
        meta.first_year, meta.last_year = int(years[1]), int(years[2])
    _rules(preamble, meta)
    return meta


# Words that open the decision's body, where other acts are cited with their numbers.
_BODY = re.compile(
    r"^(?:про\s|відповідно|керуючись|на\s+виконання|з\s+метою|розглянувши|згідно)", re.I
)
# Words that open the approval block of the plan itself ("ЗАТВЕРДЖЕНО рішення … № 207").
_APPROVAL = re.compile(r"^(?:затверджено|додаток|погоджено)", re.I)
_LONG = 200  # a paragraph longer than this is body text, not a heading or approval block


def own_words(preamble: str) -> str:
    """The paragraphs of the decision's own heading and of the plan's approval block: the
    body between them (which cites other acts, "№ 526-р") is left out."""
    kept: list[str] = []
    in_body = False
    for para in re.split(r"\n\s*\n", preamble):
        text = clean(para.replace("**", ""))
        if not text:
            continue
        if _APPROVAL.match(text):
            in_body = False
        elif _BODY.match(text) or len(text) > _LONG:
            in_body = True
        if not in_body and len(text) <= _LONG:
            kept.append(text)
    return "\n\n".join(kept)


_BODIES = re.compile(
    r"рада|адміністрац|комітет|управлін|департамент|міністерств|служба|голова|відділ|"
    r"громад|держав",
    re.I,
)
_NOT_ISSUER = re.compile(r"^(?:затверджено|погоджено|додаток)|план|програм", re.I)


def _issuer(lines: list[str]) -> str:
    for line in lines:
        letters = re.sub(r"[^А-ЯҐЄІЇа-яґєії]", "", line)
        if (
            len(letters) > 10
            and letters.isupper()
            and _BODIES.search(line)
            and not _NOT_ISSUER.search(line)
        ):
            return line[:1] + line[1:].lower()
    return ""


def _kind(lines: list[str]) -> str:
    for line in lines:
        squeezed = re.sub(r"\s+", "", line).lower()
        if squeezed in _KINDS:
            return squeezed
    return ""


# "ЗАТВЕРДЖЕНО рішенням виконавчого комітету …" → рішення
_APPROVED_BY = (
    ("рішення", r"рішення|рішенням"),
    ("розпорядження", r"розпорядження|розпорядженням"),
    ("наказ", r"наказ|наказом"),
    ("постанова", r"постанов[аоию]ю?"),
    ("ухвала", r"ухвал[аоию]ю?"),
)


def _approved_by(own: str) -> str:
    for para in re.split(r"\n\s*\n", own):
        if not _APPROVAL.match(para):
            continue
        following = own[own.index(para) :][:300].lower()
        for kind, pattern in _APPROVED_BY:
            if re.search(rf"\b(?:{pattern})\b", following):
                return kind
    return ""


def _number(text: str) -> str:
    m = re.search(r"№\s*_*\s*(\d+(?:[/-][\dA-Za-zА-Яа-яІі]+)?)", text)
    return m.group(1) if m else ""


def _date(text: str) -> date | None:
    """The first date printed: the decision's own date heads the document."""
    found: list[tuple[int, date]] = []
    for m in re.finditer(rf"(\d{{1,2}})[»\"”]?\s+({_MONTH})\s+((?:19|20)\d\d)", text, re.I):
        _add_date(found, m.start(), int(m[3]), MONTHS.index(m[2].lower()) + 1, int(m[1]))
    for m in re.finditer(r"(\d{2})\.(\d{2})\.((?:19|20)\d\d)", text):
        _add_date(found, m.start(), int(m[3]), int(m[2]), int(m[1]))
    return min(found)[1] if found else None


def _add_date(found: list[tuple[int, date]], at: int, year: int, month: int, day: int) -> None:
    """A date as printed; an impossible one ("31.02.2019", a typo) is not a date."""
    with contextlib.suppress(ValueError):
        found.append((at, date(year, month, day)))


_TITLE = re.compile(r"^(Регіональн|Обласн|Міськ|План|Комплексн|Програм|Стратегічн)\S*\s", re.I)


def _title(text: str) -> tuple[str, bool]:
    """The heading printed above the table: it starts with a word naming a plan. A title
    typed in capitals gets its capitals back from the document's own words."""
    paragraphs = [clean(p.replace("**", "")) for p in re.split(r"\n\s*\n", text)]
    for i, para in enumerate(paragraphs):
        if not (_TITLE.match(para) and re.search("план|програм", para, re.I)):
            continue
        capitals = _is_capitals(para)
        title = para
        for nxt in paragraphs[i + 1 :]:
            if not nxt or (_is_capitals(nxt) != capitals) or (not capitals and nxt[:1].isupper()):
                break
            title = f"{title} {nxt}"
        return (restore_case(title, text), True) if capitals else (title, False)
    return "", False


def _is_capitals(text: str) -> bool:
    letters = re.sub(r"[^А-ЯҐЄІЇа-яґєіїA-Za-z]", "", text)
    return len(letters) > 3 and letters.isupper()


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
