"""``zvit collect --imap``: take the replies in straight from the mailbox.

Messages come from :func:`toolkit.mailio.imap.fetch` (read-only, in batches, only those
the ledger has not seen) and go through the very pipeline of ``zvit collect`` as messages
read from files do. Only once collect has recorded what they held does the ledger note
them as taken in (UIDVALIDITY + UID, Message-ID), and only then, if ``[imap] move_to`` is
set, are they moved: a run that fails half-way leaves the mailbox to be read again, and
the same bytes never make a second submission."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from toolkit.collect.gather import Input, MailInput, Problem
from toolkit.collect.outcome import CollectRun
from toolkit.collect.run import Progress, collect
from toolkit.issues import Issue, Location, issue
from toolkit.ledger.base import now
from toolkit.ledger.mail import ImapTaken, MailLedger
from toolkit.ledger.rows import Given
from toolkit.mailio.imap import FetchedMessage, ImapSettings, MailServerError, Seen, fetch, move
from toolkit.mailio.settings import imap_settings, mailbox_key
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.workspace import Workspace


@dataclass
class ImapRun:
    collect: CollectRun
    mailbox: str
    fetched: int = 0  # messages downloaded and processed in this run
    known_by_id: int = 0  # skipped by Message-ID although their UID was new
    moved: int = 0
    problems: list[Issue] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return self.collect.clean and not any(p.severity == "error" for p in self.problems)


def collect_imap(
    ws: Workspace,
    paths: Sequence[Path] = (),
    period: Period | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
    lang: Lang | None = None,
    env: Mapping[str, str] | None = None,
    settings: ImapSettings | None = None,
    received: Given | None = None,
) -> ImapRun:
    """Collect ``paths`` (if any) and the new messages of the IMAP folder; ``received``
    dates the files of ``paths`` (see ``collect``)."""
    settings = settings or imap_settings(ws, env)
    key = mailbox_key(settings)
    started = time.monotonic()
    with MailLedger.open(ws) as ledger:
        seen = ledger.imap_seen(key)
        feed = _Feed(settings, seen, key, base=len(paths))
        feed.start()  # fails here, before any run, when the server cannot be used
        if feed.empty and not paths:  # checking the mail often leaves no trace of it
            label = [f"imap:{key}"]
            run = CollectRun(
                run_id=0,
                period=str(period) if period else None,
                inputs=label,
                started_at=now(),
                finished_at=now(),
            )
        else:
            run = collect(
                ws,
                paths,
                period,
                jobs=jobs,
                progress=progress,
                timeout=timeout,
                lang=lang,
                more=feed,
                more_labels=[f"imap:{key}"],
                received=received,
            )
            ledger.record_imap(key, feed.taken, run.run_id)
        result = ImapRun(run, key, len(feed.taken), seen.by_message_id, problems=feed.problems)
    if settings.move_to and feed.taken:
        result.moved = _move(settings, feed.taken, result.problems)
    result.seconds = time.monotonic() - started
    return result


class _Feed:
    """The fetched messages as collect inputs; remembers each one handed over."""

    def __init__(self, settings: ImapSettings, seen: Seen, mailbox: str, base: int) -> None:
        self.settings, self.seen, self.mailbox, self.base = settings, seen, mailbox, base
        self.taken: list[ImapTaken] = []
        self.problems: list[Issue] = []
        self.empty = True
        self._messages: Iterator[FetchedMessage] = iter(())

    def start(self) -> None:
        """Log in and fetch the first batch now, so a refused login is an error of its
        own rather than a run with nothing in it."""
        messages = fetch(self.settings, self.seen)
        first = next(messages, None)
        self.empty = first is None
        self._messages = chain([first], messages) if first is not None else iter(())

    def __iter__(self) -> Iterator[Input]:
        try:
            for index, m in enumerate(self._messages):
                self.taken.append(ImapTaken(m.uidvalidity, m.uid, m.message_id, m.size))
                if m.issues:
                    yield from (Problem(i) for i in m.issues)
                else:
                    yield MailInput(
                        (self.base, index), m.raw, m.source, "imap", self.mailbox, m.uid
                    )
        except MailServerError as e:  # what came before is processed and recorded
            where = Location(file=f"imap:{self.mailbox}")
            self.problems.append(issue("E_IMAP_FAILED", where, detail=e.message))


def _move(settings: ImapSettings, taken: list[ImapTaken], problems: list[Issue]) -> int:
    target = settings.move_to or ""
    moved = 0
    for validity in sorted({t.uidvalidity for t in taken}):
        uids = [t.uid for t in taken if t.uidvalidity == validity]
        try:
            moved += move(settings, validity, uids, target)
        except MailServerError as e:
            problems.append(
                issue(
                    "W_IMAP_MOVE_FAILED",
                    Location(file=f"imap:{settings.folder}"),
                    folder=target,
                    detail=e.message,
                )
            )
    return moved
