"""A per-process memory of results computed from untrusted bytes, for the next file that
holds the same bytes (forms made from one template share most of their parts). Its size
is bounded: past its budget it forgets everything at once — simpler than tracking use,
and a hostile batch of files cannot make it grow."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Remembered(dict[K, V]):
    """A dict whose ``remember`` counts what each entry costs against ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget, self.size = budget, 0

    def remember(self, key: K, value: V, size: int) -> V:
        """Keep ``value`` under ``key`` (``size``: its bytes, roughly); returns it."""
        if self.size + size > self.budget:
            self.clear()
            self.size = 0
        self[key] = value
        self.size += size
        return value
