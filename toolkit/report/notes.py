"""The notes sheet: how every figure of the report was obtained, in words.

Kept beside the code it describes (``toolkit.report.status`` and ``toolkit.report.merge``);
a change of a rule there must change the words here."""

from __future__ import annotations

from toolkit.messages import Lang


def _p(text: str) -> str:
    """A paragraph written across source lines, as one line."""
    return " ".join(text.split())


NOTES: dict[Lang, tuple[tuple[str, str], ...]] = {
    "uk": (
        (
            "Який звіт зараховано",
            _p("""
            Для кожної звітної одиниці й періоду зараховано один звіт — за одним правилом, тим
            самим для статусу, зведеного звіту й нагадувань. Порожня форма (без жодної
            відповіді) ніколи не зараховується. Листи, створені самим zvit або надіслані з
            адреси координатора, пропущено. Форма іншого періоду чи плану, торішня форма, файл
            CSV, .xls чи .ods не зараховуються: одиниця позначена «надійшло, але не прийнято».
            З решти чинним є найновіший прийнятий звіт — найновіший за часом надсилання (дата
            листа; для файлів із папки — дата, вказана координатором, або час збереження
            файлу), за однакового часу — той, що зібрано пізніше. Пізніший звіт із помилками
            не скасовує прийнятого: одиниця позначена «прийнято; виправлення від ДАТА має
            помилки». Координатор може закріпити звіт (він чинний навіть із помилками —
            «прийнято координатором попри помилки») або вилучити надісланий помилково; кожне
            таке рішення записано в журналі з часом і причиною й наведено нижче та на аркуші
            «Походження даних».
        """),
        ),
        (
            "Як визначено зведений стан заходу",
            _p("""
            Враховано лише виконавців, які зазначили стан виконання заходу. Ніхто не зазначив —
            «немає звіту». «Втратив актуальність» рахується окремо: якщо так зазначили всі —
            «втратив актуальність», інакше ці відповіді не впливають на зведений стан. З решти: усі
            «виконано» — «виконано»; усі «не виконано» або «не розпочато» — «не виконано»; будь-яке
            «виконується», а також «виконано» разом із «не виконано»/«не розпочато» — «виконується»
            (захід виконано частково). Якщо хтось із виконавців не подав звіту щодо заходу, рядок
            позначено «звітували не всі виконавці»: зведений стан стосується лише тих, хто звітував.
        """),
        ),
        (
            "Прострочені заходи",
            _p("""
            Захід прострочено, якщо його термін виконання минув до кінця звітного періоду, а
            зведений стан — не «виконано» і не «втратив актуальність» (зокрема «немає звіту»).
            Заходи, термін яких минув раніше, але які хтось із виконавців досі не виконав, включено
            до звіту з позначкою «перенесено з попередніх періодів».
        """),
        ),
        (
            "Виконавці заходу",
            _p("""
            Виконавці — звітні одиниці, яких план називає виконавцями заходу (зокрема через групи,
            наприклад «районні державні адміністрації»), і які мали подати звіт за період. Для
            перенесеного заходу — ті, у чиїх формах його було перенесено.
        """),
        ),
        (
            "Індикатори",
            _p("""
            Значення за період — сума значень, наведених виконавцями. Для індикатора у відсотках (%)
            сума не має змісту, тому наведено середнє арифметичне значень виконавців, які його
            вказали (без зважування). Наростаючим підсумком — сума значень усіх прийнятих звітів від
            початку дії плану разом із цим періодом; для індикатора у відсотках — середнє за
            останній період, за який є значення. Якщо рік подано і річним звітом, і квартальними,
            враховано річний.
        """),
        ),
        (
            "Кошти",
            _p("""
            Кошти (тис. грн) — суми за кожним джерелом фінансування по заходу, розділу і звіту в
            цілому; «Усього коштів» — сума за всіма джерелами. Порожня клітинка — жоден виконавець
            не вказав суми.
        """),
        ),
        (
            "Походження даних",
            _p("""
            Кожне наведене значення можна простежити до звітної одиниці, номера звіту в журналі,
            контрольної суми файлу (SHA-256), дати отримання, аркуша й клітинки. На аркуші
            «Походження даних» кожен використаний звіт займає рядок: для кожного стовпця форми
            зазначено літеру стовпця аркуша, з якого прочитано відповідь, а для кожного заходу —
            номер рядка аркуша. Клітинка значення — це літера стовпця і номер рядка (наприклад,
            K і 17 — клітинка K17 файлу з цією контрольною сумою). Для наростаючих підсумків
            наведено й звіти попередніх періодів.
        """),
        ),
        (
            "Тексти виконавців",
            _p("""
            Тексти зі звітів виконавців наведено дослівно, з назвою виконавця перед кожною частиною;
            вони ніколи не виконуються як формули чи посилання. Недопустимі для Excel керівні
            символи вилучено; текст, довший за 32 767 символів (межа клітинки Excel), обрізано з
            позначкою «… [скорочено]» — повний текст є у звіті виконавця.
        """),
        ),
    ),
    "en": (
        (
            "Which report counts",
            _p("""
            For each unit and period one report counts, by one rule, the same for the status,
            the consolidated report and the reminders. A blank form (no answer entered) never
            counts. Messages zvit made itself or sent from the coordinator's address are
            skipped. A form of another period or plan, last year's form, a CSV, .xls or .ods
            file does not count: the unit is marked 'received but not accepted'. Of the rest
            the newest accepted report is in force — newest by when it was sent (the message's
            date; for files from a folder, the date the coordinator gave or the time the file
            was saved), at the same moment the one collected later. A later report with errors
            does not undo an accepted one: the unit is marked 'accepted; the correction of
            DATE has errors'. The coordinator may pin a report (it counts even with errors —
            'accepted by the coordinator despite errors') or exclude one sent by mistake;
            every such decision is kept in the ledger with its time and reason and listed
            below and on the sheet 'Provenance'.
        """),
        ),
        (
            "How the combined status is set",
            _p("""
            Only executors that gave a status on the measure count. None did — 'no report'. 'No
            longer relevant' is counted apart: if every one says so the measure is 'no longer
            relevant', otherwise those answers do not affect the combined status. Of the rest: all
            'done' — 'done'; all 'not done' or 'not started' — 'not done'; any 'in progress', or
            'done' mixed with 'not done'/'not started' — 'in progress' (done in part). When some
            executor did not report on the measure, the row is flagged 'not all executors reported':
            the combined status speaks only for those who did.
        """),
        ),
        (
            "Overdue measures",
            _p("""
            A measure is overdue when its deadline passed by the end of the period and the combined
            status is neither 'done' nor 'no longer relevant' (a measure nobody reported on counts
            as not done). Measures whose deadline passed earlier but which some executor has not
            done yet are included and marked 'carried over from earlier periods'.
        """),
        ),
        (
            "Executors of a measure",
            _p("""
            The reporting units the plan names as executors (also through groups such as 'district
            administrations') that had to report for the period; for a carried-over measure, the
            units whose forms carried it.
        """),
        ),
        (
            "Indicators",
            _p("""
            The value of the period is the sum of the executors' values. For an indicator in percent
            a sum means nothing, so the unweighted mean of the executors that gave a value is shown.
            Cumulative: the sum over every accepted report since the plan began, this period
            included; for a percent indicator, the mean of the latest period with values. When a
            year was reported both annually and by quarters, the annual report counts.
        """),
        ),
        (
            "Funds",
            _p("""
            Funds (thousand UAH) are summed per source for each measure, section and the whole
            report; 'Funds total' adds up the sources. An empty cell: no executor gave an amount.
        """),
        ),
        (
            "Provenance",
            _p("""
            Every value shown traces to its reporting unit, submission number, file checksum
            (SHA-256), date received, sheet and cell. On the sheet 'Provenance' each report used
            has a line: for each form column, the sheet column the answer was read from; for each
            measure, the sheet row. A value's cell is that column and row (K and 17 — cell K17 of
            the file with that checksum). Reports of earlier periods counted in cumulative
            figures are listed too.
        """),
        ),
        (
            "Executors' texts",
            _p("""
            Texts from the units' reports are quoted word for word, each part headed by the unit;
            they are never run as formulas or links. Control characters Excel cannot hold are
            removed; text over 32,767 characters (Excel's cell limit) is cut and marked '…
            [truncated]' — the full text is in the unit's report.
        """),
        ),
    ),
}
