"""``zvit plan import``: any supported source → a checked Plan and the review list."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import InvalidFileError, UsageError
from toolkit.issues import Issue
from toolkit.plan.importers.build import ImportResult, build_plan
from toolkit.plan.importers.docx import grid_from_docx
from toolkit.plan.importers.meta import read_meta
from toolkit.plan.importers.rows import Row, assemble_rows
from toolkit.plan.importers.seedtext import read_text
from toolkit.plan.importers.table import grid_from_csv, grid_from_xlsx, rows_from_grid
from toolkit.plan.overrides import Overrides
from toolkit.plan.registry import Registry

SUFFIXES = (".txt", ".docx", ".xlsx", ".csv")


def import_plan(
    source: Path, registry: Registry | None = None, overrides: Overrides | None = None
) -> ImportResult:
    """Read a plan table from ``source``. Raises InvalidFileError when no table is found."""
    if not source.is_file():
        raise UsageError(f"Файл «{source}» не знайдено.")
    preamble, rows, found = _read(source)
    draft = assemble_rows(rows, source.name)
    draft.repairs[:0] = found
    return build_plan(draft, read_meta(preamble), source.name, registry, overrides or Overrides())


def _read(source: Path) -> tuple[str, list[Row], list[Issue]]:
    suffix = source.suffix.lower()
    if suffix == ".docx":
        document_preamble, grid = grid_from_docx(source)
        table_preamble, rows = rows_from_grid(grid, source.name)
        return f"{document_preamble}\n\n{table_preamble}", rows, []
    if suffix in (".xlsx", ".xlsm"):
        return (*rows_from_grid(grid_from_xlsx(source), source.name), [])
    if suffix in (".csv", ".tsv"):
        return (*rows_from_grid(grid_from_csv(source), source.name), [])
    if suffix in (".txt", ".text", ".md", ""):
        text = source.read_bytes().decode("utf-8-sig", errors="replace")
        return read_text(text, source.name)
    raise UsageError(f"Невідомий формат «{source.suffix}». Підтримуються: {', '.join(SUFFIXES)}.")


__all__ = ["ImportResult", "InvalidFileError", "import_plan"]
