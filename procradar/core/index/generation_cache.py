"""Values worked out per term and kept while the index stays at one generation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class GenerationCache(Generic[V]):
    """Term -> value for one generation of the index: a write (a new generation) empties
    it, and so does growing past `size` (the terms of a few hours of searches)."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._values: dict[str, V] = {}
        self._generation = -1

    def get(
        self, generation: int, terms: Iterable[str], fetch: Callable[[list[str]], dict[str, V]]
    ) -> dict[str, V]:
        """The value of each term, `fetch`ing (outside the lock) those not kept yet."""
        with self._lock:
            if self._generation != generation:
                self._values.clear()
                self._generation = generation
            out = {t: self._values[t] for t in terms if t in self._values}
        missing = [t for t in terms if t not in out]
        if missing:
            got = fetch(missing)
            out.update(got)
            with self._lock:
                if self._generation == generation:
                    if len(self._values) > self.size:
                        self._values.clear()
                    self._values.update(got)
        return out
