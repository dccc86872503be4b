"""The grid of a worksheet, behind one seam: ``SheetReader``.

python-calamine is the reference: what it gives for ``to_python(skip_empty_area=False)``
is what the validator reads. The XML fast path (``sheetxml``) is a second reader that
mirrors one exact version of python-calamine, down to its quirks, and declines any shape
it is not certain of. ``open_sheets`` asks the fast path first and calamine when it
declines; the fast path also declines every sheet when the installed python-calamine is
not the version it mirrors, so an upgrade can change speed, never values.

``tests/test_sheet_readers.py`` holds both readers to each other on every workbook in the
repository: the fast path must answer for every zvit form and return, and give calamine's
grid cell for cell, types included."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import Any, Protocol

from python_calamine import CalamineError, CalamineWorkbook

from toolkit.validate.parts import Members, Parts
from toolkit.validate.sheetxml import SharedParts, fast_grid, shared_parts

Grid = list[list[Any]]
# The python-calamine whose output sheetxml reproduces (pinned in pyproject.toml): moving
# to another means checking sheetxml against it, then changing both together.
MIRRORED_CALAMINE = "0.9.1"
# What reading a damaged sheet may raise: the file's fault, never zvit's.
READ_ERRORS: tuple[type[Exception], ...] = (CalamineError,)


@dataclass(frozen=True)
class Declined:
    """A reader's "not this sheet", and why."""

    reason: str


class SheetReader(Protocol):
    """The worksheets of one opened workbook."""

    def grid(self, sheet: str) -> Grid | Declined:
        """The sheet's cells, row by row from A1, as python-calamine 0.9.1's
        ``to_python(skip_empty_area=False)`` gives them; or why this reader declines."""
        ...

    def close(self) -> None: ...


class CalamineSheets:
    """The reference reader: python-calamine over the workbook's bytes, opened when a
    sheet is first asked for. It never declines: a sheet it cannot read raises one of
    ``READ_ERRORS``."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._book: CalamineWorkbook | None = None

    def grid(self, sheet: str) -> Grid:
        if self._book is None:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        grid: Grid = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return grid

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


class XmlSheets:
    """The fast path (``sheetxml``) over the parts the file gate already inflated."""

    def __init__(self, members: Members, parts: Parts) -> None:
        self._members, self._parts = members, parts
        self._shared: SharedParts | None = None  # what the sheets share, read once
        self._loaded = False

    def grid(self, sheet: str) -> Grid | Declined:
        refusal = calamine_mismatch()
        if refusal:
            return Declined(refusal)
        path = self._parts.sheet_paths.get(sheet)
        if path is None:
            return Declined("the workbook names no part for this sheet")
        if not self._loaded:
            self._shared, self._loaded = shared_parts(self._members), True
        if self._shared is None:
            return Declined("shared strings, styles or relationships in a shape not mirrored")
        grid = fast_grid(self._members, self._shared, path, self._parts.date1904)
        return Declined("sheet XML in a shape not mirrored") if grid is None else grid

    def close(self) -> None:
        """The members belong to the package, which closes them."""


@dataclass
class FastFirst:
    """``fast`` where it answers, ``reference`` where it declines; each sheet read once.
    ``declined``: sheet → why the fast path left it to the reference."""

    fast: SheetReader
    reference: SheetReader
    declined: dict[str, str] = field(default_factory=dict)
    _grids: dict[str, Grid | Declined] = field(default_factory=dict)

    def grid(self, sheet: str) -> Grid | Declined:
        if sheet not in self._grids:
            got = self.fast.grid(sheet)
            if isinstance(got, Declined):
                self.declined[sheet] = got.reason
                got = self.reference.grid(sheet)
            self._grids[sheet] = got
        return self._grids[sheet]

    def close(self) -> None:
        self.fast.close()
        self.reference.close()


def open_sheets(data: bytes, members: Members, parts: Parts) -> FastFirst:
    """The reader the validator uses: the fast path first, python-calamine after it."""
    return FastFirst(XmlSheets(members, parts), CalamineSheets(data))


@cache
def calamine_mismatch() -> str:
    """Why the fast path may not run here ("" when it may): the installed python-calamine
    is not the one it mirrors, so its answers could differ from calamine's."""
    try:
        installed = metadata.version("python-calamine")
    except metadata.PackageNotFoundError:
        installed = "unknown"
    if installed == MIRRORED_CALAMINE:
        return ""
    return (
        f"python-calamine {installed} is installed; the XML fast path mirrors "
        f"{MIRRORED_CALAMINE} only, so every sheet is read by calamine"
    )
