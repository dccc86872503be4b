"""Old and foreign documents (.doc, .odt, .rtf, .xls, .ods) → .docx or .xlsx through a
headless LibreOffice (``toolkit.office``), when one is installed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from toolkit import office

TIMEOUT = 120.0
# the export filter of each target: LibreOffice's own names, never translated
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}


@contextlib.contextmanager
def converted(
    source: Path, kind: str, target: str, soffice: Path, timeout: float | None = None
) -> Iterator[Path]:
    """The file ``source`` (really of ``kind``: a .doc renamed .docx is read as .doc) as a
    ``target`` file in a temporary folder, deleted afterwards. Raises OfficeError."""
    seconds = TIMEOUT if timeout is None else timeout
    with office.converted(
        source, f"plan.{kind}", _FILTERS[target], soffice, timeout=seconds
    ) as path:
        yield path
