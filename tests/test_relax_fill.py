"""A relaxed search whose best subset of words leaves the first page short goes on with
the articles of the next subsets, below (a long query: no article has every word, and the
rarest ones only a few); a query of two words or more that fewer than FEW_HITS articles
match in full, or a long one that fewer match than fill a page, goes on with those that have all
but one of its words; on both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.relax import FEW_HITS
from procradar.core.models import Article

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://example.test/"
# Made-up words, so no equivalent, written form or compound part takes part.
TEXTS = {
    "d1": "zorblat quinex",
    "d2": "zorblat frobnik",
    "d3": "quinex frobnik",
    "d4": "zorblat",
    "d5": "ingenting här",
    "e1": "plimf grunk vosk",
    "e2": "plimf grunk",
    "e3": "grunk vosk",
    "e4": "plimf",
    # FEW_HITS articles with the word krimp (all titles say Nyhet)
    **{f"f{i}": "krimp" for i in range(FEW_HITS)},
}


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(
        Article(url=BASE + key, title=f"Nyhet {key}", language="sv", text=text, source="t")
        for key, text in TEXTS.items()
    )
    return index


def _search(index: Index, query: str, limit: int = 10) -> tuple[list[str], list[str]]:
    result = index.search(SearchRequest(query=query, limit=limit, relax=True))
    return [h.url.removeprefix(BASE) for h in result.hits], result.dropped


def test_short_page_goes_on_with_fewer_words(index: Index) -> None:
    hits, dropped = _search(index, "zorblat quinex frobnik")
    # The rarest pair first (what the note names), then the other pairs, then one word.
    assert hits[0] == "d3" and dropped == ["zorblat"]
    assert set(hits[1:3]) == {"d1", "d2"}
    assert hits[3:] == ["d4"]


def test_fill_stops_at_the_page_size(index: Index) -> None:
    hits, _ = _search(index, "zorblat quinex frobnik", limit=2)
    assert len(hits) == 2 and hits[0] == "d3"


def test_no_fill_when_one_word_is_left(index: Index) -> None:
    # Two words, one dropped: the page keeps to the word that is left.
    hits, dropped = _search(index, "quinex atlantis")
    assert sorted(hits) == ["d1", "d3"] and dropped == ["atlantis"]


def test_long_query_with_one_full_match_goes_on_with_all_but_one_word(index: Index) -> None:
    hits, dropped = _search(index, "plimf grunk vosk")
    assert hits[0] == "e1" and dropped == []  # no words left out: the first has every word
    assert sorted(hits[1:]) == ["e2", "e3"]  # all but one word; e4 has one of three
    # ... but the result says how many lack a word (the web page shows a note).
    result = index.search(SearchRequest(query="plimf grunk vosk", limit=10, relax=True))
    assert result.partial == 2 and result.total == 3
    assert result.to_dict("plimf grunk vosk")["partial"] == 2


def test_two_word_query_with_few_matches_goes_on_with_one_word(index: Index) -> None:
    # Fewer than FEW_HITS articles have both words: they come first, then those with one.
    hits, dropped = _search(index, "grunk vosk")
    assert sorted(hits[:2]) == ["e1", "e3"] and dropped == []
    assert hits[2:] == ["e2"]


def test_two_word_query_with_enough_matches_is_left_as_it_is(index: Index) -> None:
    # FEW_HITS articles have both words: nothing is added below them.
    result = index.search(SearchRequest(query="nyhet krimp", limit=10, relax=True))
    assert sorted(h.url.removeprefix(BASE) for h in result.hits) == [
        f"f{i}" for i in range(FEW_HITS)
    ]
    assert result.partial == 0
    # Three have "nyhet grunk": fewer than FEW_HITS, so those with one of the words follow.
    result = index.search(SearchRequest(query="nyhet grunk", limit=10, relax=True))
    keys = [h.url.removeprefix(BASE) for h in result.hits]
    assert sorted(keys[:3]) == ["e1", "e2", "e3"] and result.partial == len(keys) - 3 > 0


def test_a_relaxed_question_is_ranked_by_score_across_subsets(
    module_index_factory: Callable[[], Index],
) -> None:
    # No article has all four words. The best subset (three of them) is in one article,
    # in passing; another has two of them in its title and throughout its text: for a
    # question of four words or more the page follows the scores, not the subsets.
    index = module_index_factory()
    docs = {
        "q1": ("Nyhet q1", "alfarn betorn gamorn och mycket annat om annat"),
        "q2": ("Deltorn gamorn", "deltorn gamorn deltorn gamorn deltorn gamorn"),
        "q3": ("Nyhet q3", "betorn"),
    }
    index.index(
        Article(url=BASE + key, title=title, language="sv", text=text, source="t")
        for key, (title, text) in docs.items()
    )
    result = index.search(SearchRequest(query="alfarn betorn gamorn deltorn", relax=True))
    hits = [h.url.removeprefix(BASE) for h in result.hits]
    assert result.dropped == ["deltorn"] and hits[:2] == ["q2", "q1"]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    # `partial` counts the filling hits left at the end (q3), not q2 ranked first.
    assert result.partial == len(hits) - hits.index("q1") - 1
