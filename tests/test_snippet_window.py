"""The snippet window: the one-pass choice agrees with the plain pairwise definition."""

from __future__ import annotations

import random

from procradar.core.index.snippets import _densest


def pairwise(hits: list[int], words: list[str], window: int) -> int:
    best, best_score = 0, -1
    for start in hits:
        inside = {w for i, w in zip(hits, words, strict=True) if start <= i < start + window}
        if len(inside) > best_score:
            best, best_score = start, len(inside)
    return best


def test_densest_window_matches_the_pairwise_definition() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        hits = sorted(rng.sample(range(400), rng.randint(1, 60)))
        words = [rng.choice("abcdefg") for _ in hits]
        window = rng.choice([1, 3, 8, 32])
        assert _densest(hits, words, window) == pairwise(hits, words, window)


def test_densest_prefers_the_window_with_more_distinct_words() -> None:
    # The same word three times early, three different words later.
    hits = [0, 1, 2, 50, 52, 54]
    words = ["a", "a", "a", "a", "b", "c"]
    assert _densest(hits, words, 10) == 50
