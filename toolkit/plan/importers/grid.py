"""What a reader of a Word, Excel or CSV document hands on: the document's blocks in
reading order (paragraph texts and table grids) and what it noticed on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.issues import Issue
from toolkit.messages import Message


@dataclass
class Table:
    """A table as a person sees it: ``rows`` of cell texts (a cell merged across columns
    stands in its first one); ``carried`` holds the (row, column) of cells whose text was
    copied from a cell merged down over them."""

    rows: list[list[str]]
    carried: set[tuple[int, int]] = field(default_factory=set)
    name: str | Message = ""  # a sheet's own name, or the table's number in a document


Block = str | Table


@dataclass
class Reading:
    blocks: list[Block]
    notices: list[Issue] = field(default_factory=list)
