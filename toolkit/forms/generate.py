"""Generating the forms of a period: one .xlsx per unit, across cores for large runs."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from toolkit.forms.spec import FormSpec
from toolkit.forms.writer import render_form
from toolkit.fsutil import atomic_write_bytes, atomic_write_text, uninterrupted
from toolkit.messages import Lang, t
from toolkit.text import safe_filename

Progress = Callable[[int], None]
PARALLEL_FROM = 40  # below this, starting worker processes costs more than it saves
_CHUNK = 25


@dataclass(frozen=True)
class GeneratedForm:
    unit: str
    path: Path
    form_id: str
    rows: int
    checksum: str


def form_filename(spec: FormSpec, taken: set[str], lang: Lang = "uk") -> str:
    """A readable, Windows-safe name: «Старобільська РДА — звіт 2025.xlsx»."""
    name = safe_filename(t("forms.file", lang, unit=spec.unit.short, period=spec.period))
    if name.lower() in taken:
        unit = f"{spec.unit.short} ({spec.unit.id})"
        name = safe_filename(t("forms.file", lang, unit=unit, period=spec.period))
    base, n = name, 1
    while name.lower() in taken:  # long names cut to the same prefix: number them
        n += 1
        name = f"{base[:70]} ({n})"
    taken.add(name.lower())
    return name + ".xlsx"


def write_forms(
    specs: list[FormSpec],
    out_dir: Path,
    *,
    lang: Lang = "uk",
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[GeneratedForm]:
    """Render and write every spec; a manifest.json lists what was made."""
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    targets = [(spec, out_dir / form_filename(spec, taken, lang)) for spec in specs]
    done: list[GeneratedForm] = []
    for batch in _render(targets, lang, jobs):
        done.extend(batch)
        if progress:
            progress(len(batch))
    _manifest(out_dir, done)
    return done


def _render(
    targets: list[tuple[FormSpec, Path]], lang: Lang, jobs: int | None
) -> Iterator[list[GeneratedForm]]:
    chunks = [targets[i : i + _CHUNK] for i in range(0, len(targets), _CHUNK)]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(targets) < PARALLEL_FROM:
        for chunk in chunks:
            yield _render_chunk(chunk, lang)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_parent)
    try:
        with uninterrupted():  # the workers and the thread that feeds them start whole
            rendered = pool.map(_render_chunk, chunks, [lang] * len(chunks))
        yield from rendered
    except BaseException:  # Ctrl+C: the chunks begun end whole, the others never begin
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def _leave_interrupts_to_parent() -> None:
    """A worker finishes the chunk it is on; Ctrl+C is the parent's, which cancels the rest."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_chunk(chunk: list[tuple[FormSpec, Path]], lang: Lang) -> list[GeneratedForm]:
    out = []
    for spec, path in chunk:
        atomic_write_bytes(path, render_form(spec, lang))
        ident = spec.identity
        out.append(GeneratedForm(spec.unit.id, path, ident.form_id, len(spec.rows), ident.checksum))
    return out


def _manifest(out_dir: Path, forms: list[GeneratedForm]) -> None:
    entries = [
        {
            "unit": f.unit,
            "file": f.path.name,
            "form_id": f.form_id,
            "rows": f.rows,
            "checksum": f.checksum,
        }
        for f in forms
    ]
    atomic_write_text(
        out_dir / "manifest.json", json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    )
