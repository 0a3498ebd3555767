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


def test_marked_words_as_written_by_stem_by_compound_part_and_by_prefix() -> None:
    from procradar.core.index.base import SearchRequest
    from procradar.core.index.plan import make_plan
    from procradar.core.index.snippets import snippet

    text = (
        "Kommunen upphandlar skolmat. Upphandlingen gäller skolor och förskolor, "
        "och ramavtalet löper i fyra år. Leverantörerna bjuds in."
    )
    article = {"language": "sv", "text": text}

    def marked(query: str) -> set[str]:
        html = snippet(make_plan(SearchRequest(query=query, expand=False)), article)
        return {part.split("</mark>")[0] for part in html.split("<mark>")[1:]}

    assert marked("ramavtalet") == {"ramavtalet"}  # as written
    assert marked("upphandling") == {"Upphandlingen"}  # a form of the same stem
    assert marked("skola") == {"skolor", "skolmat"}  # and a compound's part
    assert marked("leverant*") == {"Leverantörerna"}  # a prefix
    assert marked("fjärrvärme") == set()
