"""Reporting forms: the definition (one source of truth for the writer and the reader),
which rows go on whose form, the identity embedded in each workbook, and the writer.

May import: the foundation, ``plan`` and ``workspace``. Never the reader (``validate``)."""
