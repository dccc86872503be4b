"""What a printed page shows: a PDF LibreOffice printed, read back glyph by glyph
(pdfplumber), so tests assert on the paper itself — the size of the smallest text, what
each page says, how many pages there are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

A4 = (595.3, 841.9)  # points, portrait


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    text: str
    smallest: float  # the smallest glyph size on the page (0 for a page without text)

    @property
    def is_a4(self) -> bool:
        size = sorted((round(self.width), round(self.height)))
        return size == sorted((round(A4[0]), round(A4[1])))


def pages(pdf: Path) -> list[Page]:
    out = []
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages, start=1):
            sizes = [c["size"] for c in page.chars if c["text"].strip()]
            out.append(
                Page(
                    i,
                    float(page.width),
                    float(page.height),
                    page.extract_text() or "",
                    min(sizes, default=0.0),
                )
            )
    return out


def smallest_text(found: list[Page]) -> float:
    return min((p.smallest for p in found if p.smallest), default=0.0)
