"""What the units read: subjects and bodies of the form message and of the reminders, in
Ukrainian (English when the workspace's ``[output] lang`` is ``en``). Plain text only:
everything quoted here (unit names, issue texts) goes into the message as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.issues import Issue
from toolkit.messages import Lang

MAX_LISTED = 15  # issues listed in a reminder; the feedback workbook has them all


@dataclass(frozen=True)
class Letter:
    """What every message of the exchange says about the plan and the period."""

    unit_name: str
    unit_short: str
    plan_title: str
    period_label: str
    due: date | None
    signature: str
    lang: Lang = "uk"


def form_subject(letter: Letter) -> str:
    if letter.lang == "en":
        return f"Report for {letter.period_label}: form for {letter.unit_short}"
    return f"Звіт за {letter.period_label}: форма для {letter.unit_short}"


def reminder_subject(letter: Letter, *, errors: bool) -> str:
    if letter.lang == "en":
        what = "needs corrections" if errors else "not received yet"
        return f"Reminder: report for {letter.period_label} from {letter.unit_short} {what}"
    what = "потребує виправлень" if errors else "ще не надійшов"
    return f"Нагадування: звіт {letter.unit_short} за {letter.period_label} {what}"


def form_body(letter: Letter, filename: str, rows: int) -> str:
    due = _due(letter)
    if letter.lang == "en":
        return "\n".join(
            [
                "Good day,",
                "",
                f"please report on the action plan «{letter.plan_title}» for {letter.period_label}"
                f" ({letter.unit_name}).",
                "",
                "What to do:",
                f"1. Open the attached file «{filename}» in Excel or LibreOffice Calc.",
                f"2. For each of its {rows} measures fill in the status, what was done and the "
                "value of the indicator; at the top, who filled the form in and a phone number.",
                "3. Do not rename sheets, add or delete rows; save as an Excel workbook (.xlsx).",
                "",
                f"Due: {due}.",
                "",
                "How to send it: reply to this message and attach the filled file. Any file name "
                "will do: the form is recognised automatically. To correct a report, send the new "
                "file the same way; the newest one counts.",
                "",
                "Kind regards,",
                letter.signature,
                "",
            ]
        )
    return "\n".join(
        [
            "Добрий день!",
            "",
            f"Просимо подати звіт про виконання плану заходів «{letter.plan_title}» за "
            f"{letter.period_label} ({letter.unit_name}).",
            "",
            "Що зробити:",
            f"1. Відкрийте вкладений файл «{filename}» в Excel або LibreOffice Calc.",
            f"2. Для кожного з заходів форми (їх {rows}) заповніть стан виконання, що зроблено, і "
            "значення показника; угорі вкажіть, хто заповнив форму, і номер телефону.",
            "3. Не перейменовуйте аркуші, не додавайте й не видаляйте рядки; зберігайте файл у "
            "форматі Excel (.xlsx).",
            "",
            f"Строк подання: {due}.",
            "",
            "Як надіслати: дайте відповідь на цей лист (кнопка «Відповісти») і вкладіть заповнений "
            "файл. Назва файлу може бути будь-якою — форму буде розпізнано автоматично. Щоб "
            "виправити звіт, надішліть новий файл так само: зараховується найновіший.",
            "",
            "З повагою,",
            letter.signature,
            "",
        ]
    )


def missing_body(letter: Letter, filename: str, today: date) -> str:
    due = _due(letter)
    past = letter.due is not None and letter.due < today
    if letter.lang == "en":
        return "\n".join(
            [
                "Good day,",
                "",
                f"this is a reminder: the report of {letter.unit_name} for {letter.period_label} "
                f"has not been received. Due: {due}" + (" (overdue)." if past else "."),
                "",
                f"The form is attached again («{filename}»). Please fill it in and send it as a "
                "reply to this message (any file name will do).",
                "",
                "Kind regards,",
                letter.signature,
                "",
            ]
        )
    return "\n".join(
        [
            "Добрий день!",
            "",
            f"Нагадуємо: звіт ({letter.unit_name}) за {letter.period_label} досі не надійшов. "
            f"Строк подання: {due}" + (" — його вже минуло." if past else "."),
            "",
            f"Форму додано до цього листа ще раз («{filename}»). Заповніть її й надішліть у "
            "відповідь на цей лист (назва файлу може бути будь-якою).",
            "",
            "З повагою,",
            letter.signature,
            "",
        ]
    )


def errors_body(letter: Letter, sent_on: date, issues: list[Issue], feedback: str | None) -> str:
    en = letter.lang == "en"
    errors = [i for i in issues if i.severity == "error"] or issues
    listed = [f"- {i.message(letter.lang)}" for i in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        rest = len(errors) - MAX_LISTED
        listed.append(f"… and {rest} more" if en else f"… і ще {rest}")
    if en:
        attached = (
            f"The attached file «{feedback}» is your report with every problem marked "
            "(red cells, with a note on each). Correct them in it or in your own file "
            "and send it as a reply to this message."
            if feedback
            else "Correct your file and send it as a reply to this message."
        )
        return "\n".join(
            [
                "Good day,",
                "",
                f"the report of {letter.unit_name} for {letter.period_label}, sent on "
                f"{sent_on:%d.%m.%Y}, has errors and could not be accepted. Due: {_due(letter)}.",
                "",
                attached,
                "",
                "The errors:",
                *listed,
                "",
                "Kind regards,",
                letter.signature,
                "",
            ]
        )
    attached = (
        f"У вкладенні «{feedback}» — ваш звіт, у якому позначено кожну помилку "
        "(клітинки виділено червоним, до кожної — примітка з поясненням). Виправте їх у "
        "цьому файлі або у своєму й надішліть у відповідь на цей лист."
        if feedback
        else "Виправте свій файл і надішліть його у відповідь на цей лист."
    )
    return "\n".join(
        [
            "Добрий день!",
            "",
            f"Звіт ({letter.unit_name}) за {letter.period_label}, надісланий "
            f"{sent_on:%d.%m.%Y}, має помилки, тому його не прийнято. Строк подання: "
            f"{_due(letter)}.",
            "",
            attached,
            "",
            "Помилки:",
            *listed,
            "",
            "З повагою,",
            letter.signature,
            "",
        ]
    )


def due_text(letter: Letter) -> str:
    """The due date as a letter says it."""
    return _due(letter)


def _due(letter: Letter) -> str:
    if letter.due is None:
        return "as the plan sets" if letter.lang == "en" else "як установлено планом заходів"
    prefix = "by " if letter.lang == "en" else "до "
    return f"{prefix}{letter.due:%d.%m.%Y}"
