"""The notes sheet: how every figure of the report was obtained, in words — the words in
``toolkit/data/messages/notes.yaml``, kept in step with the rules they describe
(``toolkit.report.status``, ``toolkit.report.merge``, ``toolkit.ledger.counting``): a
change of a rule there must change the words."""

from __future__ import annotations

from toolkit.messages import Lang, t

# in the order the report and the public page give them
NOTES = (
    "counted",
    "combined",
    "overdue",
    "executors",
    "indicators",
    "funds",
    "provenance",
    "texts",
)


def notes(lang: Lang) -> tuple[tuple[str, str], ...]:
    """Each note's title and text."""
    return tuple((t(f"notes.{n}.title", lang), t(f"notes.{n}.text", lang)) for n in NOTES)
