"""An English query word that only the English concept lists have (climate, ferry,
requirements) matches by its concepts alone, on both backends: the Nordic articles most
English queries want meet the English ones on the same tokens, instead of ranking below
every English article that mentions the word in passing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.plan import make_plan
from procradar.core.models import Article

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://english.example/"


def _literal(query: str) -> list[bool]:
    return [unit.literal for unit in make_plan(SearchRequest(query=query)).units]


def test_english_only_words_match_by_concept() -> None:
    assert _literal("ferry") == [False]
    assert _literal("climate requirements") == [False]  # a two-word English term
    # Words the Nordic lists have too (innovation), words of no concept, and quoted words
    # keep their literal match.
    assert _literal("innovation") == [True]
    assert _literal("zzqqxx") == [True]
    assert _literal('"ferry"') == [True]
    assert _literal("färja") == [True]


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(
        [
            Article(
                url=BASE + "en-passing",
                title="Nordic buyers met in Bergen",
                language="en",
                text="Buyers discussed digital tools; one speaker mentioned a ferry in passing.",
                source="t",
            ),
            Article(
                url=BASE + "nb-ferje",
                title="Fylket lyser ut nytt ferjesamband",
                language="nb",
                text="Fylkeskommunen vil ha en ny ferje med batteri fra 2028.",
                source="t",
            ),
        ]
    )
    return index


def test_a_nordic_article_about_it_ranks_above_an_english_passing_mention(
    index: Index,
) -> None:
    hits = index.search(SearchRequest(query="ferry", limit=10)).hits
    assert [h.url.removeprefix(BASE) for h in hits] == ["nb-ferje", "en-passing"]


def test_a_term_after_a_stop_word_is_not_cut_by_one_that_starts_with_it() -> None:
    # "the public" (residents) would take "public" from "public sector".
    plan = make_plan(SearchRequest(query="selling to the public sector in norway"))
    concepts = [{c.id for g in u.concepts for c in g} for u in plan.units]
    assert {"public_sector"} in concepts and not any("residents" in c for c in concepts)
    assert {"sell"} in concepts
    # alone, "the public" still names the residents
    alone = make_plan(SearchRequest(query="the public")).units
    assert {c.id for u in alone for g in u.concepts for c in g} == {"residents"}
