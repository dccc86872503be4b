"""The README's pictures: a form as a careful executor returned it and the consolidated
report, both from the demo's Luhansk example, printed by LibreOffice to PDF and rendered
to PNG with poppler's pdftoppm into ``docs/images/``.

    uv run python -m tests.support.pictures

Needs soffice (see ``tests/support/libreoffice.py``) and pdftoppm/pdftotext
(poppler-utils). Each picture is cut to what is printed on its page, without the footer
(and, on the report's page, without the row of charts the page break cuts)."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.libreoffice import _find_soffice
from toolkit.demo import run_demo
from toolkit.demo.executors import assign
from toolkit.ledger.counting import Counting
from toolkit.ledger.store import Ledger
from toolkit.periods import Period
from toolkit.plan.query import assignments
from toolkit.workspace import Workspace

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
EXAMPLE, PERIOD = "luhansk-2018-2026", Period(2025)
ROWS = 9  # a unit with about this many measures: a table that fills its first page
INK = 230  # a grey level below this is printed matter
LIGHT = bytes(range(INK, 256))


@dataclass(frozen=True)
class Picture:
    """Which page of a PDF to show and how: the first page holding ``marker``, at
    ``dpi``, cut to its printed blocks but the last ``drop`` (footer, cut-off charts)."""

    marker: str
    dpi: int
    drop: int


FORM = Picture("Найменування заходу", dpi=150, drop=1)  # the table, not the instructions
REPORT = Picture("Назва розділу", dpi=110, drop=2)  # the summary by section, with charts


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zvit-pictures-") as tmp:
        work = Path(tmp)
        for _ in run_demo(work / "demo"):
            pass
        ws = Workspace(work / "demo" / EXAMPLE)
        form = _good_return(ws)
        report = ws.root / "reports" / f"Зведений звіт {PERIOD}.xlsx"
        pdfs = _to_pdf([form, report], work)
        for pdf, picture, name in zip(pdfs, (FORM, REPORT), ("form", "report"), strict=True):
            target = IMAGES / f"{name}.png"
            _render(pdf, picture, target)
            print(f"{target} ({target.stat().st_size // 1024} KB)")


def _good_return(ws: Workspace) -> Path:
    """The archived return of a unit that reported well and on time, with about ``ROWS``
    measures."""
    plan, registry = ws.plan(), ws.registry()
    due = assignments(plan, registry, PERIOD)
    kinds = assign(plan, registry, PERIOD, list(due))
    with Ledger.open(ws) as ledger:
        good = [
            s
            for unit, s in Counting(ledger).in_force(str(PERIOD)).items()
            if s.verdict == "accepted" and kinds[unit].kind == "good" and not kinds[unit].late
        ]
        best = min(good, key=lambda s: (abs(len(due[s.unit]) - ROWS), s.unit))
        return ws.root / ledger.archive_path(best.sha256)


def _to_pdf(files: list[Path], work: Path) -> list[Path]:
    """Print each file to PDF with a headless LibreOffice of its own profile."""
    out = work / "pdf"
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        [str(_find_soffice(None)), "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return [out / f"{f.stem}.pdf" for f in files]


def _render(pdf: Path, picture: Picture, target: Path) -> None:
    page = _page_with(pdf, picture.marker)
    x, y, w, h = _printed_area(pdf, page, picture)
    stem = target.with_suffix("")
    _poppler(
        "pdftoppm", "-png", "-singlefile", "-r", str(picture.dpi), "-f", str(page),
        "-l", str(page), "-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h),
        str(pdf), str(stem),
    )  # fmt: skip


def _page_with(pdf: Path, marker: str) -> int:
    pages = _poppler("pdftotext", "-layout", str(pdf), "-").decode("utf-8").split("\f")
    for number, text in enumerate(pages, start=1):
        if marker in text:
            return number
    raise SystemExit(f"{pdf.name}: no page shows «{marker}»")


def _printed_area(pdf: Path, page: int, picture: Picture) -> tuple[int, int, int, int]:
    """(x, y, width, height) in pixels at ``picture.dpi`` of the page's printed blocks
    (separated by blank bands), but the last ``picture.drop`` of them, with a margin."""
    grey = _poppler(
        "pdftoppm", "-gray", "-singlefile", "-r", str(picture.dpi), "-f", str(page),
        "-l", str(page), str(pdf),
    )  # fmt: skip
    width, height, pixels = _pgm(grey)
    rows = [pixels[r * width : (r + 1) * width] for r in range(height)]
    inked = [bool(row.strip(LIGHT)) for row in rows]
    blocks = _blocks(inked, gap=max(4, height // 100))
    top, bottom = blocks[0][0], blocks[max(0, len(blocks) - 1 - picture.drop)][1]
    left = min(len(row) - len(row.lstrip(LIGHT)) for row in rows[top:bottom] if row.strip(LIGHT))
    right = max(len(row.rstrip(LIGHT)) for row in rows[top:bottom])
    pad = picture.dpi // 10
    x, y = max(0, left - pad), max(0, top - pad)
    return x, y, min(width, right + pad) - x, min(height, bottom + pad) - y


def _blocks(inked: list[bool], gap: int) -> list[tuple[int, int]]:
    """[start, end) of the runs of inked rows, runs closer than ``gap`` joined."""
    blocks: list[tuple[int, int]] = []
    for r, ink in enumerate(inked):
        if not ink:
            continue
        if blocks and r - blocks[-1][1] < gap:
            blocks[-1] = (blocks[-1][0], r + 1)
        else:
            blocks.append((r, r + 1))
    if not blocks:
        raise SystemExit("the page is blank")
    return blocks


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary PGM (P5, 8-bit) as pdftoppm -gray writes it:
    four whitespace-separated fields, one whitespace byte, the pixels."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:
        while data[at : at + 1].isspace():
            at += 1
        end = at
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    if fields[0] != b"P5" or fields[3] != b"255":
        raise SystemExit("pdftoppm did not write an 8-bit PGM")
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[at + 1 : at + 1 + width * height]


def _poppler(*command: str) -> bytes:
    return subprocess.run(command, check=True, capture_output=True, timeout=120).stdout


if __name__ == "__main__":
    main()
