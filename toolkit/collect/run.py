"""``zvit collect``: take in returned files from folders, archives and mail, check each in
a worker process, keep the originals, record everything in the ledger, and write the
run's report and the feedback copies for units whose report has problems (which one:
``feedback_run.feedback_target``, from the rule of ``toolkit.ledger.standing``).

The run is a pipeline: ``gather`` (what was given, lazily) → ``Checking`` (tasks for the
workers; their results become entries, originals archived) → ``Recorder`` (entries in
input order, written to the ledger in batches). One bad file never stops the run:
whatever it does to its worker, it ends with a code. Files are recorded in input order,
so a run's outcome does not depend on which worker finished first."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit import heap
from toolkit.collect import tasks
from toolkit.collect.archive import Archive
from toolkit.collect.checking import Checking, Progress
from toolkit.collect.feedback_run import make_feedback
from toolkit.collect.gather import Input, gather
from toolkit.collect.outcome import CollectRun
from toolkit.collect.recording import Recorder, judge
from toolkit.collect.runreport import write_run_report
from toolkit.forms.definition import custom_definition
from toolkit.gate.safety import ensure_defusedxml
from toolkit.ledger.base import now
from toolkit.ledger.counting import Counting
from toolkit.ledger.rows import Given
from toolkit.ledger.store import Ledger
from toolkit.messages import Lang
from toolkit.periods import Period
from toolkit.workspace import Workspace

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "Progress", "collect"]

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048
# Entries gathered before they are recorded, while the workers go on: recording in
# batches costs one wait for the disk per batch.
RECORD_EVERY = 100


def collect(
    ws: Workspace,
    paths: Sequence[Path],
    period: Period | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
    lang: Lang | None = None,
    more: Iterable[Input] = (),
    more_labels: Sequence[str] = (),
    received: Given | None = None,
) -> CollectRun:
    """Collect returned files from ``paths`` into the workspace; see the module doc.
    ``more``: further inputs after those of ``paths`` (messages fetched over IMAP), their
    orders starting at ``(len(paths),)``; ``more_labels`` name them in the run's record.
    ``received``: when the files that came without a message were sent, as the
    coordinator knows it (a folder of attachments saved from the mail)."""
    ensure_defusedxml()
    tasks.preload()
    registry = ws.registry()
    out_lang: Lang = lang or ws.lang
    seconds = float(timeout or ws.number("collect", "timeout", DEFAULT_TIMEOUT, minimum=1))
    memory = int(ws.number("collect", "memory_mb", DEFAULT_MEMORY_MB, minimum=64))
    with Ledger.open(ws) as ledger:
        inputs = [str(p) for p in paths] + list(more_labels)
        text = None if period is None else str(period)
        run_id = ledger.start_run("collect", text, inputs)
        run = CollectRun(run_id=run_id, period=text, inputs=inputs, started_at=now())
        with (
            ledger.interruptible(run_id),
            tasks.check_pool(
                _setup(ws, ledger, period), jobs=jobs, timeout=seconds, memory_mb=memory
            ) as pool,
            heap.settled(),
        ):
            archive = Archive(ws.root, f"run{run.run_id}")
            checking = Checking(ledger, archive, run.problems, progress)
            recorder = Recorder(ledger, archive, checking.findings, run.run_id, received)
            try:
                for key, result in pool.run(
                    checking.feed(itertools.chain(gather(paths, ws.root), more))
                ):
                    checking.result(key, result)
                    for task in checking.more:
                        pool.submit(*task)
                    checking.more.clear()
                    if checking.waiting() >= RECORD_EVERY:
                        recorder.record(checking.take_ready())
                recorder.record(checking.take_ready(final=True))
            except BaseException:
                archive.discard()  # the pack being written; the next run takes those files in
                raise
            run.files = recorder.outcomes
            counting = Counting.of(ws, ledger)
            touched = judge(run.files, counting)
            run.feedback, failed = make_feedback(
                ws, ledger, registry, pool, counting, touched, out_lang
            )
            run.problems += failed
            pool.stop()  # the workers exit while the report is written
            run.finished_at = now()
            run.report_xlsx, run.report_json = write_run_report(
                run, ws.folder("reports"), registry, out_lang
            )
        report = run.report_xlsx.relative_to(ws.root).as_posix()
        ledger.finish_run(run.run_id, run.counts(), report)
    return run


def _setup(ws: Workspace, ledger: Ledger, period: Period | None) -> tasks.Setup:
    """What every check of the run shares, sent once to each worker."""
    return tasks.Setup(
        ws.plan(period),
        ws.registry(),
        period,
        custom_form=custom_definition(ws.form_path),
        issued=ledger.issued_map(),
        ledger=str(ledger.path),
        reported=ledger.reported_units(),
        revisions=ws.revisions(),
    )
