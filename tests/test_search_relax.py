"""Search that never answers nothing (both backends): relaxed queries drop the words no
article has with the others, country names match their forms and the article's country,
and a query word of a topic's concept also finds articles tagged with that topic."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.models import Article, Organization

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://relax.example/"


def _article(
    key: str, lang: str, title: str, text: str, topics: list[str], country: str
) -> Article:
    return Article(
        url=BASE + key,
        title=title,
        published="2026-05-04",
        language=lang,
        kind="news",
        topics=topics,
        organizations=[Organization(f"{key} kommun", "municipality", country)],
        text=text,
        source="relax",
    )


DOCS = [
    _article(
        "sv-mat",
        "sv",
        "Kommunen upphandlar livsmedel med klimatkrav",
        "Kostenheten ställer klimatkrav på kött och mejeriprodukter i den nya upphandlingen.",
        ["food", "climate_environment"],
        "SE",
    ),
    _article(
        "nb-ferge",
        "nb",
        "Fylket lyser ut nytt fergesamband",
        "Fylkeskommunen inviterer rederier til dialog om et elektrisk fergesamband fra 2028.",
        ["transport"],
        "NO",
    ),
    _article(
        "sv-gron",
        "sv",
        "Regionen vill minska utsläppen från sina inköp",
        "Regionen tar fram en plan för fossilfria transporter och cirkulära möbler.",
        ["climate_environment"],
        "SE",
    ),
]


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(DOCS)
    return index


def _search(index: Index, query: str, relax: bool = True) -> tuple[list[str], list[str]]:
    result = index.search(SearchRequest(query=query, limit=10, relax=relax))
    return [h.url.removeprefix(BASE) for h in result.hits], result.dropped


def test_no_article_with_every_word_drops_the_missing_one(index: Index) -> None:
    assert _search(index, "klimatkrav livsmedel Atlantis", relax=False) == ([], [])
    hits, dropped = _search(index, "klimatkrav livsmedel Atlantis")
    assert hits[0] == "sv-mat"
    assert dropped == ["atlantis"]


def test_a_query_that_matches_keeps_its_words(index: Index) -> None:
    hits, dropped = _search(index, "klimatkrav livsmedel")
    assert hits[0] == "sv-mat" and dropped == []
    # Only one article has both words: those with one of them follow, counted as partial.
    result = index.search(SearchRequest(query="klimatkrav livsmedel", limit=10, relax=True))
    assert result.partial == len(hits) - 1
    assert _search(index, "klimatkrav livsmedel", relax=False)[0] == ["sv-mat"]


def test_country_names_match_the_articles_country(index: Index) -> None:
    # The Norwegian article never says Norge or Norway.
    assert _search(index, "Norway ferry", relax=False)[0] == ["nb-ferge"]
    assert _search(index, "Noreg ferje", relax=False)[0] == ["nb-ferge"]
    assert "nb-ferge" not in _search(index, "Sweden", relax=False)[0]


def test_topic_concept_lifts_tagged_articles_below_literal_matches(index: Index) -> None:
    hits, _ = _search(index, "klimatkrav", relax=False)
    # sv-gron never says klimatkrav but is tagged climate_environment.
    assert hits[0] == "sv-mat" and "sv-gron" in hits
    result = index.search(SearchRequest(query="klimatkrav", limit=10))
    assert any("topic:climate_environment" in terms for terms in result.expansions.values())


def test_relaxed_result_says_what_was_dropped_in_json(index: Index) -> None:
    result = index.search(SearchRequest(query="livsmedel Atlantis", relax=True))
    assert result.to_dict("livsmedel Atlantis")["dropped"] == ["atlantis"]


def test_a_misspelt_word_is_searched_in_its_likely_spelling(index: Index) -> None:
    result = index.search(SearchRequest(query="fergesambnad", relax=True))
    assert [h.url.removeprefix(BASE) for h in result.hits] == ["nb-ferge"]
    assert result.respelled == {"fergesambnad": "fergesamband"}
    # Two letters swapped, in a longer query.
    result = index.search(SearchRequest(query="mejeirprodukter livsmedel", relax=True))
    assert result.hits[0].url == BASE + "sv-mat"
    assert result.respelled == {"mejeirprodukter": "mejeriprodukter"} and result.dropped == []


def test_a_slip_in_a_dictionary_term_is_respelled_with_its_neighbour(index: Index) -> None:
    # No article has "services"; "ferry services" is a term of the ferry concept.
    result = index.search(SearchRequest(query="ferry servces", relax=True))
    assert [h.url.removeprefix(BASE) for h in result.hits] == ["nb-ferge"]
    assert result.respelled == {"servces": "services"} and result.dropped == []


def test_spelling_variants_cover_nordic_keyboards() -> None:
    from procradar.core.index.spelling import variants

    assert "innkjøpsplan" in variants("innkjopsplan")
    assert "økologisk" in variants("okologisk")
    assert "innovation" in variants("inovation")
    assert "møte" in variants("möte")
    assert variants("abc") == [] and variants("x2y4") == []


def test_a_word_one_letter_off_a_known_word_is_tried_first() -> None:
    from procradar.core.index.spelling import dictionary_neighbours, variant_groups

    # `upphandlig` doubled (upphandllig) stems like upphandling, but is no word: the
    # vocabulary's own word comes first.
    assert variant_groups("upphandlig")[0] == ["upphandling"]
    assert dictionary_neighbours("procurment") == ["procurement"]
    assert dictionary_neighbours("upphandling") == []  # a known word has no slip
    assert dictionary_neighbours("bygg") == []  # too short to guess from


def test_a_word_nearly_every_article_has_is_left_out_when_others_match(index: Index) -> None:
    # nb-ferge never says upphandling / procurement / anbud: still what the query asks.
    for query in ("upphandling fergesamband", "procurement fergesamband"):
        hits, dropped = _search(index, query)
        assert hits == ["nb-ferge"] and dropped == [], query
    # Exact searches (digests, saved searches) keep every word.
    assert _search(index, "upphandling fergesamband", relax=False)[0] == []
    # The common word alone, or with words that match nothing, is searched as usual.
    assert "sv-mat" in _search(index, "upphandling")[0]
    hits, dropped = _search(index, "upphandling Atlantis")
    assert "sv-mat" in hits and "nb-ferge" not in hits and dropped == ["atlantis"]


def test_a_misspelt_common_word_is_respelled_then_left_out(index: Index) -> None:
    result = index.search(SearchRequest(query="upphandlig fergesamband", relax=True))
    assert [h.url.removeprefix(BASE) for h in result.hits] == ["nb-ferge"]
    assert result.respelled == {"upphandlig": "upphandling"}


def test_a_long_misspelt_compound_is_respelled_without_a_too_long_query(index: Index) -> None:
    from procradar.core.index.spelling import variant_groups
    from procradar.core.query import MAX_QUERY_CHARS

    # A 20-letter word has dozens of variants; each OR query of them must stay a valid
    # query (it once ran past the query length limit and the search failed).
    word = "mejeriproduktr"
    assert all(len(" OR ".join(g)) < MAX_QUERY_CHARS for g in variant_groups(word * 2))
    result = index.search(SearchRequest(query=word, relax=True))
    assert [h.url.removeprefix(BASE) for h in result.hits] == ["sv-mat"]
    assert result.respelled == {word: "mejeriprodukter"}
    long_word = "kostenhetensmejeriprodukter"[:-1]  # no article has it, nor a respelling
    assert index.search(SearchRequest(query=long_word, relax=True)).hits == []


def test_a_compound_with_a_slip_in_its_last_part_is_respelled_part_wise() -> None:
    from procradar.core.index.spelling import dictionary_neighbours

    # No vocabulary word is one slip from the whole compound; its last part is.
    assert dictionary_neighbours("tandvårdsupphanling")[0] == "tandvårdsupphandling"
    assert dictionary_neighbours("skolskjutsupphandlng")[0] == "skolskjutsupphandling"
    assert dictionary_neighbours("upphandlig") == ["upphandling"]  # whole words first


def test_everyday_words_of_a_question_are_left_out_like_stop_words(index: Index) -> None:
    from procradar.core.index.everyday import is_everyday

    assert is_everyday("year") and is_everyday("next") and is_everyday("stora")
    assert not is_everyday("fergesamband") and not is_everyday("invoices")
    # No article says "next year": they are left out silently, not reported as dropped.
    hits, dropped = _search(index, "fergesamband next year")
    assert hits == ["nb-ferge"] and dropped == []
    # A place name is never an everyday word, however often it is written.
    assert is_everyday("oslo")
    hits, dropped = _search(index, "fergesamband oslo")
    assert hits == ["nb-ferge"] and dropped == ["oslo"]


def test_an_everyday_word_no_article_has_is_left_out_not_respelled(index: Index) -> None:
    # "against" is in no article; it is no slip of "agains" but a word to leave out.
    result = index.search(SearchRequest(query="fergesamband against oslo", relax=True))
    assert [h.url.removeprefix(BASE) for h in result.hits] == ["nb-ferge"]
    assert result.respelled == {} and result.dropped == ["oslo"]
