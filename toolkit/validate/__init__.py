"""Reading and checking returned workbooks: every problem found is a coded issue with
its cell; nothing here raises on bad content. ``check.validate_bytes`` is the one pass;
``reader`` reads the values, ``identity``/``structure``/``values`` check them;
``prefill`` reads last period's answers back for carry-over.

May import: the foundation, ``plan``, ``workspace``, ``forms`` and ``gate`` (a file is
sniffed before it is read). Never the ledger or anything above it."""
