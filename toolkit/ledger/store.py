"""The ledger: the workspace's ``zvit.db``, the one record of what was received, from whom,
when, and what became of it. The only module that touches SQLite.

Append-only. A file (by sha256) is stored once, with every place it was seen (sources); it
is one submission however often it arrives. Which submission of a unit and period is in
force is never written here: ``toolkit.ledger.standing`` decides it when read, from the
submissions and the coordinator's decisions (rows of their own). The connection, its
transactions and migrations: ``toolkit.ledger.base``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.forms.generate import GeneratedForm
from toolkit.forms.identity import plan_fingerprint
from toolkit.fsutil import relative
from toolkit.ledger.base import LedgerBase, now
from toolkit.ledger.rows import (
    ACCEPTED,
    ORDER,
    SELECT,
    SELECT_BRIEF,
    Given,
    IssuedForm,
    Source,
    decision_from_row,
    iso,
    same_outcome,
    sent_of,
    submission_from_row,
    submission_from_values,
    submission_values,
)
from toolkit.ledger.standing import Decision
from toolkit.ledger.submissions import Submission
from toolkit.periods import Period
from toolkit.plan.model import Plan
from toolkit.validate.result import Validation
from toolkit.workspace import Workspace

__all__ = ["IssuedForm", "Ledger", "Recorded", "Source", "record_issued_forms"]


@dataclass(frozen=True)
class Recorded:
    """What recording one file did: its submission, and whether it was one already."""

    submission: Submission
    duplicate: bool


class Ledger(LedgerBase):
    """The record of files, submissions, forms issued and decisions (the connection and
    its transactions: ``LedgerBase``)."""

    # --- recording files --------------------------------------------------------------

    def known(self, sha256: str) -> Submission | None:
        """The submission this exact file already is, unless its check must be redone
        (without its answers: the caller needs the verdict)."""
        found = self._one(
            f"{SELECT_BRIEF} WHERE s.sha256 = ? ORDER BY s.id DESC LIMIT 1",
            (sha256,),
            with_answers=False,
        )
        return None if found is None or found.retry else found.submission

    def submitted_files(self) -> set[str]:
        """The sha256 of every file that is a submission (a run looks them up once)."""
        return {r[0] for r in self._conn.execute("SELECT DISTINCT sha256 FROM submissions")}

    def add_source(
        self,
        sha256: str,
        size: int,
        fmt: str,
        archive: str,
        source: Source,
        run_id: int | None = None,
        given: Given | None = None,
    ) -> Submission | None:
        """Remember one more place a file already recorded was seen; its submission. A
        message's Date (or ``given``) says when the unit sent the file again: a file sent
        once more counts from then (the workbook's own time is the same as before)."""
        moment = now()
        sent = None
        if source.mail_date is not None or given is not None:
            sent = sent_of(source, moment, given=given)
        with self._write() as c:
            self._file_and_source(c, sha256, size, fmt, archive, source, run_id, moment, sent)
        return self.known(sha256)

    def record(
        self,
        validation: Validation,
        source: Source,
        archive: str,
        *,
        run_id: int | None = None,
        received_at: datetime | None = None,
        given: Given | None = None,
    ) -> Recorded:
        """Record one checked file: its bytes, where it was seen and when the unit sent it,
        and — unless the same bytes are already a submission — a new submission. A
        submission whose verdict depended on the run (a timeout, another period) is
        checked again when its bytes come again, and the new check is a new submission
        (the rule in ``toolkit.ledger.standing`` reads only the latest check of a file).
        ``given``: when the unit sent it, as the coordinator says (``collect --received``)."""
        v = validation
        moment = now()
        received = received_at or moment
        sent, how = sent_of(source, received, saved=v.saved_at, given=given)
        with self._write() as c:
            source_id, fresh, new_file = self._file_and_source(
                c, v.sha256, v.size, v.fmt, archive, source, run_id, moment, (sent, how)
            )
            # bytes never seen before are no submission yet: nothing to look up
            before = (
                None
                if new_file
                else self._one(
                    f"{SELECT_BRIEF} WHERE s.sha256 = ? ORDER BY s.id DESC LIMIT 1",
                    (v.sha256,),
                    with_answers=False,
                )
            )
            if before is not None and (not before.retry or same_outcome(before.submission, v)):
                return Recorded(before.submission, duplicate=True)
            values = submission_values(v, source, source_id, run_id, received, sent)
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cur = c.execute(
                f"INSERT INTO submissions ({cols}) VALUES ({marks})", tuple(values.values())
            )
            new_id = int(cur.lastrowid or 0)
        # the row just written, without reading it back — unless its source was already
        # known (the row then names that source as first recorded)
        new = submission_from_values(new_id, values, source, how) if fresh else self._get(new_id)
        return Recorded(new, False)  # verdicts, not answers

    def _file_and_source(
        self,
        c: sqlite3.Connection,
        sha256: str,
        size: int,
        fmt: str,
        archive: str,
        source: Source,
        run_id: int | None,
        moment: datetime | None = None,
        sent: tuple[datetime, str] | None = None,
    ) -> tuple[int, bool, bool]:
        """The source's row id, whether it is new, and whether the file is. ``sent``:
        when the unit sent it by this source and how that is known (None: not known)."""
        seen = iso(moment or now())
        new_file = (
            c.execute(
                "INSERT OR IGNORE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (sha256, size, fmt, archive, seen, run_id),
            ).rowcount
            == 1
        )
        cur = c.execute(
            "INSERT OR IGNORE INTO sources (sha256, source_key, kind, location, filename, "
            "message_id, sender, subject, mail_date, via, imap_mailbox, imap_uid, seen_at, "
            "run_id, sent_at, sent_how) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha256,
                source.key,
                source.kind,
                source.location,
                source.filename,
                source.message_id,
                source.sender,
                source.subject,
                iso(source.mail_date) if source.mail_date else None,
                source.via,
                source.imap_mailbox,
                source.imap_uid,
                seen,
                run_id,
                iso(sent[0]) if sent else None,
                sent[1] if sent else "",
            ),
        )
        if cur.rowcount == 1 and cur.lastrowid:
            return cur.lastrowid, True, new_file
        row = c.execute(
            "SELECT id FROM sources WHERE sha256 = ? AND source_key = ?", (sha256, source.key)
        ).fetchone()
        return int(row[0]), False, new_file

    # --- issued forms -----------------------------------------------------------------

    def record_issued(
        self, plan: Plan, period: Period, forms: Iterable[GeneratedForm], root: Path | None = None
    ) -> int:
        """Remember the forms sent out (a form id is recorded once). Returns how many new."""
        fp, created, added = plan_fingerprint(plan), iso(now()), 0
        with self._write() as c:
            for f in forms:
                cur = c.execute(
                    "INSERT OR IGNORE INTO issued_forms VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f.form_id,
                        f.unit,
                        str(period),
                        plan.id,
                        fp,
                        f.rows,
                        relative(f.path, root),
                        f.checksum,
                        created,
                    ),
                )
                added += cur.rowcount
        return added

    def issued_forms(self, unit: str, period: str) -> list[IssuedForm]:
        rows = self._conn.execute(
            "SELECT * FROM issued_forms WHERE unit = ? AND period = ? ORDER BY created_at, form_id",
            (unit, str(period)),
        )
        return [IssuedForm.from_row(r) for r in rows]

    def issued_map(self) -> dict[tuple[str, str], frozenset[str]]:
        """(unit, period) → every form id sent for it: what a check of a form needs."""
        found: dict[tuple[str, str], set[str]] = {}
        for row in self._conn.execute("SELECT unit, period, form_id FROM issued_forms"):
            found.setdefault((row[0], row[1]), set()).add(row[2])
        return {k: frozenset(v) for k, v in found.items()}

    def issued_fingerprints(self) -> dict[str, str]:
        """Form id → the fingerprint of the plan (revision) it was made with."""
        rows = self._conn.execute("SELECT form_id, plan_fp FROM issued_forms")
        return {r[0]: r[1] for r in rows}

    def reported_units(self) -> frozenset[str]:
        """Units with an accepted report of any period: the ones whose earlier answers a
        new form may repeat (a check of every form looks for them)."""
        rows = self._conn.execute(
            f"SELECT DISTINCT unit FROM submissions WHERE attributed = 1 AND verdict IN {ACCEPTED}"
        )
        return frozenset(r[0] for r in rows)

    # --- reading ----------------------------------------------------------------------

    def history(self, unit: str, period: str) -> list[Submission]:
        """Every submission recorded for the unit and period, newest first as first sent
        (what is in force, and each one's part: ``toolkit.ledger.counting``)."""
        rows = self._conn.execute(
            f"{SELECT} WHERE s.unit = ? AND s.period = ? ORDER BY {ORDER}", (unit, str(period))
        )
        return [submission_from_row(r) for r in rows]

    def submissions(
        self, ids: Iterable[int], *, with_answers: bool = True
    ) -> dict[int, Submission]:
        """The submissions with these ids, by id."""
        wanted = sorted(set(ids))
        select = SELECT if with_answers else SELECT_BRIEF
        found: dict[int, Submission] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            part = wanted[start : start + 500]
            marks = ", ".join("?" for _ in part)
            for r in self._conn.execute(f"{select} WHERE s.id IN ({marks})", tuple(part)):
                found[r["id"]] = submission_from_row(r, with_answers)
        return found

    # --- decisions --------------------------------------------------------------------

    def decide(self, decision: Decision) -> Decision:
        """Append the coordinator's decision; returns it with its id."""
        d = decision
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO decisions (kind, unit, period, submission, reason, decided_by, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (d.kind, d.unit, d.period, d.submission, d.reason, d.by, iso(d.at)),
            )
            return replace(d, id=int(cur.lastrowid or 0))

    def decisions(self, period: str | None = None) -> list[Decision]:
        """The coordinator's decisions (of one period), in the order they were made."""
        where, params = ("WHERE period = ?", (str(period),)) if period is not None else ("", ())
        rows = self._conn.execute(f"SELECT * FROM decisions {where} ORDER BY id", params)
        return [decision_from_row(r) for r in rows]

    def submission(self, submission_id: int, *, with_answers: bool = True) -> Submission | None:
        select = SELECT if with_answers else SELECT_BRIEF
        found = self._one(f"{select} WHERE s.id = ?", (submission_id,), with_answers=with_answers)
        return None if found is None else found.submission

    def _get(self, submission_id: int) -> Submission:
        found = self.submission(submission_id, with_answers=False)
        assert found is not None
        return found

    def sources(self, sha256: str) -> list[Source]:
        rows = self._conn.execute("SELECT * FROM sources WHERE sha256 = ? ORDER BY id", (sha256,))
        return [Source.from_row(r) for r in rows]

    def archive_path(self, sha256: str) -> str:
        row = self._conn.execute(
            "SELECT archive_path FROM files WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return "" if row is None else str(row[0])

    def count(self, table: str) -> int:
        if table not in ("runs", "files", "sources", "submissions", "issued_forms", "decisions"):
            raise ValueError(table)
        return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def _one(
        self, sql: str, params: tuple[Any, ...], *, with_answers: bool = True
    ) -> _Found | None:
        row = self._conn.execute(sql, params).fetchone()
        if row is None:
            return None
        return _Found(submission_from_row(row, with_answers), bool(row["retry"]))


@dataclass(frozen=True)
class _Found:
    submission: Submission
    retry: bool


def record_issued_forms(
    ws: Workspace, plan: Plan, period: Period, forms: Iterable[GeneratedForm]
) -> int:
    """For ``zvit templates``: remember the forms just written in the workspace."""
    with Ledger.open(ws) as ledger:
        return ledger.record_issued(plan, period, forms, ws.root)
