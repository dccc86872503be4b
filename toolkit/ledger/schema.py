"""The ledger's tables, as numbered migrations. ``ledger.py`` applies the ones a database
lacks, each in its own transaction, and records them in ``schema_version``.

To change the schema, append a migration; never edit one that has shipped. Triggers keep
the record append-only: rows are never deleted or changed. (Before version 3 a
submission's ``superseded_by`` was set once when a newer one came; since then what is in
force is decided when read, by ``toolkit.ledger.standing``, and the column is left as it
was.)"""

from __future__ import annotations

# Columns of a submission that are written once: a later migration that adds a column to
# ``submissions`` adds it to the trigger too.
_FROZEN = (
    "id, sha256, source_id, run_id, unit, period, form_id, attributed, received_at, "
    "submitted_at, order_key, received_key, verdict, errors, warnings, issues, answers, "
    "application, retry"
)

_V1 = [
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        period TEXT,
        inputs TEXT NOT NULL DEFAULT '[]',      -- JSON list of what was given
        summary TEXT,                           -- JSON counts, when the run finished
        report TEXT,                            -- the run's report, relative to the workspace
        host TEXT NOT NULL DEFAULT '',
        pid INTEGER,
        version TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL,
        format TEXT NOT NULL,
        archive_path TEXT NOT NULL,             -- relative, '/'-separated; '' if not kept
        first_seen TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id)
    )""",
    """CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL REFERENCES files(sha256),
        source_key TEXT NOT NULL,               -- 'msgid:<id>' or 'loc:<location>'
        kind TEXT NOT NULL,                     -- file | zip | mail | msg | imap
        location TEXT NOT NULL,                 -- path, 'mbox:…#3', '… > member'
        filename TEXT NOT NULL DEFAULT '',
        message_id TEXT,
        sender TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        mail_date TEXT,
        via TEXT NOT NULL DEFAULT '',           -- forwarded messages / containers crossed
        imap_mailbox TEXT,
        imap_uid INTEGER,
        seen_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        UNIQUE (sha256, source_key)
    )""",
    """CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL REFERENCES files(sha256),
        source_id INTEGER NOT NULL REFERENCES sources(id),
        run_id INTEGER REFERENCES runs(id),
        unit TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL DEFAULT '',
        form_id TEXT NOT NULL DEFAULT '',
        attributed INTEGER NOT NULL DEFAULT 0,  -- identity trusted: counts for unit+period
        received_at TEXT NOT NULL,              -- ISO 8601 with the offset it happened in
        submitted_at TEXT NOT NULL,
        order_key TEXT NOT NULL,                -- submitted_at in UTC: "latest wins"
        received_key TEXT NOT NULL,             -- received_at in UTC: the tie-break
        verdict TEXT NOT NULL CHECK (verdict IN
            ('accepted', 'accepted_with_warnings', 'rejected', 'quarantined')),
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        issues TEXT NOT NULL,                   -- JSON list of Issue.to_dict()
        answers TEXT,                           -- JSON Answers.to_json(), or NULL
        application TEXT NOT NULL DEFAULT '',
        retry INTEGER NOT NULL DEFAULT 0,       -- check failed for a passing reason
        superseded_by INTEGER REFERENCES submissions(id)
    )""",
    "CREATE INDEX submissions_period_unit ON submissions (period, unit, attributed)",
    "CREATE INDEX submissions_sha ON submissions (sha256)",
    "CREATE INDEX sources_sha ON sources (sha256)",
    """CREATE TABLE issued_forms (
        form_id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        period TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        plan_fp TEXT NOT NULL,
        rows INTEGER NOT NULL,
        file TEXT NOT NULL,
        checksum TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX issued_unit_period ON issued_forms (unit, period)",
    f"""CREATE TRIGGER submissions_written_once BEFORE UPDATE OF {_FROZEN} ON submissions
        BEGIN SELECT RAISE(ABORT, 'zvit ledger: submissions are append-only'); END""",
    """CREATE TRIGGER submissions_superseded_once BEFORE UPDATE OF superseded_by ON submissions
        WHEN OLD.superseded_by IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'zvit ledger: a submission is superseded only once'); END""",
    *[
        f"""CREATE TRIGGER {table}_kept BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'zvit ledger: {table} are never deleted'); END"""
        for table in ("submissions", "files", "sources", "issued_forms")
    ],
    *[
        f"""CREATE TRIGGER {table}_unchanged BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'zvit ledger: {table} are never changed'); END"""
        for table in ("files", "sources", "issued_forms")
    ],
]

# Version 2: the e-mail exchange. Messages composed for the units (forms, reminders), each
# attempt to send one (to some or all of its recipients), and the IMAP messages a collect
# run has taken in (so the next run downloads only what is new).
_V2 = [
    """CREATE TABLE mail_messages (
        message_id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        period TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('form', 'reminder')),
        recipients TEXT NOT NULL,               -- JSON list of addresses
        subject TEXT NOT NULL,
        attachment TEXT NOT NULL DEFAULT '',    -- file name as attached; '' for none
        attachment_sha256 TEXT,
        form_id TEXT NOT NULL DEFAULT '',
        eml TEXT NOT NULL,                      -- the .eml in outbox/, relative
        composed_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id)
    )""",
    "CREATE INDEX mail_messages_unit ON mail_messages (period, kind, unit)",
    """CREATE TABLE mail_sends (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES mail_messages(message_id),
        unit TEXT NOT NULL,
        period TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('form', 'reminder')),
        recipients TEXT NOT NULL,               -- JSON list: the addresses of this attempt
        attachment_sha256 TEXT,
        status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
        error TEXT NOT NULL DEFAULT '',
        sent_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id)
    )""",
    "CREATE INDEX mail_sends_message ON mail_sends (message_id)",
    "CREATE INDEX mail_sends_unit ON mail_sends (period, kind, unit)",
    """CREATE TABLE imap_messages (
        id INTEGER PRIMARY KEY,
        mailbox TEXT NOT NULL,                  -- 'user@host/folder'
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id TEXT,
        size INTEGER NOT NULL,
        seen_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        UNIQUE (mailbox, uidvalidity, uid)
    )""",
    "CREATE INDEX imap_messages_mid ON imap_messages (message_id)",
    *[
        f"""CREATE TRIGGER {table}_kept BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'zvit ledger: {table} are never deleted'); END"""
        for table in ("mail_messages", "mail_sends", "imap_messages")
    ],
    *[
        f"""CREATE TRIGGER {table}_unchanged BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'zvit ledger: {table} are never changed'); END"""
        for table in ("mail_messages", "mail_sends", "imap_messages")
    ],
]

# Version 3: which return counts is decided when read (``toolkit.ledger.standing``), so
# submissions are never changed again; the coordinator's decisions (pin, unpin, exclude)
# are rows of their own; every place a file was seen says when the unit sent it and how
# that is known (a file sent twice counts from its latest sending).
_V3 = [
    "DROP TRIGGER submissions_written_once",
    "DROP TRIGGER submissions_superseded_once",
    """CREATE TRIGGER submissions_unchanged BEFORE UPDATE ON submissions
        BEGIN SELECT RAISE(ABORT, 'zvit ledger: submissions are never changed'); END""",
    # mail Date | given (collect --received) | saved (the workbook's own time) |
    # file (the file system's time) | collected (none known: when zvit took it in)
    "ALTER TABLE sources ADD COLUMN sent_at TEXT",
    "ALTER TABLE sources ADD COLUMN sent_how TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('pin', 'unpin', 'exclude')),
        unit TEXT NOT NULL,
        period TEXT NOT NULL,
        submission INTEGER REFERENCES submissions(id),  -- NULL for unpin
        reason TEXT NOT NULL DEFAULT '',
        decided_by TEXT NOT NULL DEFAULT '',    -- user@host of whoever ran the command
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX decisions_unit_period ON decisions (period, unit)",
    """CREATE TRIGGER decisions_kept BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'zvit ledger: decisions are never deleted'); END""",
    """CREATE TRIGGER decisions_unchanged BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'zvit ledger: decisions are never changed'); END""",
]

# version → statements; version 1 is the first schema.
MIGRATIONS: dict[int, list[str]] = {1: _V1, 2: _V2, 3: _V3}
LATEST = max(MIGRATIONS)
