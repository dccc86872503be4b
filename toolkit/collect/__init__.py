"""``zvit collect`` and ``zvit validate`` as a pipeline: gather the inputs (files, folders,
archives, mailboxes, IMAP) → check each in a worker process (gate, validation) → record
in batches in the ledger, with the originals archived; then the feedback copies and the
run's own report.

Owns the worker pool (``workers``, the only place with process and ``gc`` tuning), the
archive of originals and the feedback workbook. May import everything below it: the
foundation, ``plan``, ``forms``, ``mailio``, ``gate``, ``validate``, ``ledger``. Never
``report`` or ``mail``."""
