"""Every word of the report a person reads, in Ukrainian and English."""

from __future__ import annotations

from toolkit.report.status import DONE, IN_PROGRESS, LOST, NO_REPORT, NOT_DONE, NOT_STARTED

_TEXTS: dict[str, tuple[str, str]] = {
    # sheets (Excel allows 31 characters)
    "sheet.title": ("Титульний аркуш", "Title"),
    "sheet.summary": ("Підсумки за розділами", "Summary by section"),
    "sheet.measures": ("Заходи", "Measures"),
    "sheet.matrix": ("Матриця виконавців", "Matrix"),
    "sheet.missing": ("Неподані та запізнілі", "Missing and late"),
    "sheet.warnings": ("Попередження", "Warnings"),
    "sheet.provenance": ("Походження даних", "Provenance"),
    "sheet.notes": ("Примітки", "Notes"),
    # title sheet
    "title.heading": (
        "Звіт про виконання плану заходів",
        "Report on the implementation of the plan",
    ),
    "title.plan": ("План", "Plan"),
    "title.issuer": ("Затвердив", "Approved by"),
    "title.decision": ("Рішення", "Decision"),
    "title.decision_fmt": ("{kind} від {date} № {number}", "{kind} of {date} No. {number}"),
    "title.period": ("Звітний період", "Period"),
    "title.made_on": ("Дата складання", "Date made"),
    "title.due": ("Строк подання звітів виконавцями", "Units' reports due"),
    "title.expected": ("Звітних одиниць мали подати звіт", "Units expected to report"),
    "title.reported": ("Подали звіт (прийнято)", "Reported (accepted)"),
    "title.late": ("З них із запізненням", "Of them late"),
    "title.missing": ("Не подали", "Missing"),
    "title.unexpected": ("Подали, хоча не очікувалося", "Reported without being expected"),
    "title.measures": ("Заходів у звіті", "Measures in the report"),
    "title.carried": ("З них перенесено як прострочені", "Of them carried over as overdue"),
    "title.contents": ("Зміст", "Contents"),
    # summary
    "col.section": ("Розділ", "Section"),
    "col.section_title": ("Назва розділу", "Section title"),
    "col.measures": ("Заходів", "Measures"),
    "col.share_done": ("Частка виконаних", "Share done"),
    "col.overdue": ("Прострочено", "Overdue"),
    "col.partial": ("Звітували не всі виконавці", "Not all executors reported"),
    "col.funds_total": ("Усього коштів, тис. грн", "Funds total, thousand UAH"),
    "summary.total": ("Усього", "Total"),
    "summary.chart": ("Заходи за зведеним станом", "Measures by combined status"),
    # measures
    "col.measure_id": ("№ заходу", "Measure"),
    "col.measure": ("Найменування заходу", "Measure"),
    "col.deadline": ("Термін виконання", "Deadline"),
    "col.executors": ("Виконавців", "Executors"),
    "col.reported": ("Звітували", "Reported"),
    "col.combined": ("Зведений стан", "Combined status"),
    "col.carried": ("Перенесено з попередніх періодів", "Carried over from earlier periods"),
    "col.lost": ("Втратив актуальність (виконавців)", "No longer relevant (executors)"),
    "col.statuses": ("Стан за виконавцями", "Status by executor"),
    "col.indicator": ("Індикатор (показник) виконання", "Indicator"),
    "col.target": ("Цільове значення", "Target"),
    "col.target_unit": ("Одиниця виміру", "Unit"),
    "col.value": ("Значення за період", "Value in the period"),
    "col.value_rule": ("Як обчислено", "How computed"),
    "col.cumulative": ("Наростаючим підсумком", "Cumulative"),
    "rule.sum": ("сума", "sum"),
    "rule.mean": ("середнє", "mean"),
    "yes": ("так", "yes"),
    # matrix
    "col.unit": ("Виконавець", "Unit"),
    "col.unit_id": ("Код одиниці", "Unit id"),
    "matrix.legend": ("Умовні позначення:", "Legend:"),
    # missing and late
    "col.state": ("Стан", "State"),
    "col.name": ("Повна назва", "Full name"),
    "col.submitted": ("Надіслано", "Sent"),
    "col.received": ("Отримано", "Received"),
    "col.emails": ("Електронна пошта", "E-mail"),
    "col.person": ("Контактна особа", "Contact person"),
    "col.phone": ("Телефон", "Phone"),
    "col.note": ("Примітка", "Note"),
    "state.missing": ("не подано", "missing"),
    "state.late": ("із запізненням", "late"),
    "state.attempt": (
        "надійшов файл із висновком «{verdict}»",
        "a file came with verdict '{verdict}'",
    ),
    "missing.none": ("Усі звітні одиниці подали звіти вчасно.", "Every unit reported on time."),
    # warnings and provenance
    "col.submission": ("Звіт №", "Submission"),
    "col.code": ("Код", "Code"),
    "col.severity": ("Рівень", "Severity"),
    "col.sheet": ("Аркуш", "Sheet"),
    "col.cell": ("Клітинка", "Cell"),
    "col.message": ("Повідомлення", "Message"),
    "col.period": ("Період", "Period"),
    "col.column": ("Стовпець форми", "Form column"),
    "provenance.file": ("Звіт виконавця", "Unit's report"),
    "provenance.columns": (
        "Стовпець аркуша, з якого прочитано відповідь",
        "Sheet column each answer was read from",
    ),
    "provenance.rows": ("Рядок аркуша для заходу", "Sheet row of each measure"),
    "col.sha256": ("SHA-256 файлу", "File SHA-256"),
    "col.file": ("Файл", "File"),
    "warnings.none": ("Звіти прийнято без попереджень.", "Reports were accepted without warnings."),
    "severity.warning": ("попередження", "warning"),
    "severity.info": ("примітка", "note"),
}

_STATUS_EN = {
    DONE: "done",
    IN_PROGRESS: "in progress",
    NOT_DONE: "not done",
    NOT_STARTED: "not started",
    LOST: "no longer relevant",
    NO_REPORT: "no report",
}


def t(key: str, lang: str) -> str:
    uk, en = _TEXTS[key]
    return en if lang == "en" else uk


def status_label(status: str | None, lang: str) -> str:
    """A status as the reader sees it; an unknown status is shown as it was typed."""
    status = status or NO_REPORT
    return _STATUS_EN.get(status, status) if lang == "en" else status
