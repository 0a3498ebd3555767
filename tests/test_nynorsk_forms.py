"""A query word also matches its other Norwegian written form (nynorsk <-> bokmål), below
the form as typed, on both backends; quoted words and expand=False keep the word as is."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from procradar.core.index import nynorsk
from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.plan import make_plan
from tests.conftest import TEST_SITE, hit_paths, short_article

pytest_plugins = ["tests.es_fixtures"]
BASE = TEST_SITE
_article = short_article


ARTICLES = [
    _article("nn", "nn", "Ny plan for innkjøp", "Kommunen har lagt planen ut på heimesida."),
    _article("nb", "nb", "Ny plan for innkjøp", "Kommunen har lagt planen ut på hjemmesiden."),
    _article("sv", "sv", "Ny plan för inköp", "Kommunen har lagt ut planen på webbplatsen."),
    _article("ki-nb", "nb", "Råd om KI-løsninger", "Slik kjøper etaten KI-løsninger."),
    _article("ki-nn", "nn", "Råd om KI-løysingar", "Slik kjøper etaten KI-løysingar."),
]


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("sjukehus", "sykehus"),
        ("sykehus", "sjukehus"),
        ("tenestene", "tjenestene"),
        ("utsleppsfrie", "utslippsfrie"),
        ("offentleg", "offentlig"),
        ("byggjing", "bygging"),
        ("hjemmesiden", "heimesiden"),
        ("utlysing", "utlysning"),
        ("avvisning", "avvising"),
        ("samanslåing", "sammenslåing"),
        ("leverandørval", "leverandørvalg"),
        ("gjeldande", "gjeldende"),
        ("marknadsdialog", "markedsdialog"),
        ("innkjøparane", "innkjøperne"),
        ("ønskjer", "ønsker"),
        ("opningstider", "åpningstider"),
        ("hausten", "høsten"),
        ("retningsliner", "retningslinjer"),
    ],
)
def test_other_written_form(word: str, form: str) -> None:
    assert form in nynorsk.variants(word)


def test_words_without_another_form() -> None:
    assert nynorsk.variants("innkjøp") == []
    assert nynorsk.variants("klimakrav") == []
    assert len(nynorsk.variants("heimetenestene")) <= nynorsk.MAX_VARIANTS


def test_plan_adds_forms_only_to_plain_words() -> None:
    def forms(query: str, expand: bool = True) -> list[list[str]]:
        plan = make_plan(SearchRequest(query=query, expand=expand))
        return [[str(t) for t in g] for u in plan.units for g in u.groups]

    assert forms("sjukehus") == [["sjukehus", "sykehus"]]
    assert forms('"sjukehus"') == [['"sjukehus"']]
    assert forms("sjukehus", expand=False) == [["sjukehus"]]
    assert forms("sjukeh*") == [["sjukeh*"]]
    # a hyphenated compound is a phrase: its words turn together
    assert forms("KI-løysingar") == [['"ki løysingar"', '"ki løsningar"']]
    assert forms('"KI-løysingar"') == [['"ki løysingar"']]


@pytest.fixture(scope="module")
def index(module_articles_index: Index) -> Index:
    return module_articles_index


_keys = partial(hit_paths, base=BASE)  # the hits' paths on the test site


def test_either_form_finds_both_typed_form_first(index: Index) -> None:
    assert _keys(index, "hjemmesiden") == ["nb", "nn"]
    assert _keys(index, "heimesida") == ["nn", "nb"]
    assert _keys(index, "hjemmesiden", expand=False) == ["nb"]
    assert _keys(index, '"heimesida"') == ["nn"]


def test_phrase_in_either_form_typed_form_first(index: Index) -> None:
    assert _keys(index, "KI-løysingar") == ["ki-nn", "ki-nb"]
    assert _keys(index, "KI-løsninger") == ["ki-nb", "ki-nn"]
    assert _keys(index, "KI-løysingar", expand=False) == ["ki-nn"]


def test_nynorsk_text_names_concepts_in_its_own_spelling() -> None:
    from procradar.core.crosslingual import equivalences

    eq = equivalences()
    consultancy = eq.concepts["consultancy"].token
    # rådgjevarar is listed nowhere; its bokmål form rådgivere is
    assert eq.in_other_written_form(["rådgjevarar", "kommunen"]) == [consultancy]
    assert eq.in_other_written_form(["svarar", "rådgivere"]) == []  # none, or already known


def test_nynorsk_article_found_by_a_concept_named_in_bokmål_form(
    module_index_factory: Callable[[], Index],
) -> None:
    index = module_index_factory()
    index.index([_article("råd", "nn", "Ny avtale", "Fylket vil ha fleire rådgjevarar.")])
    # English "consultants" finds it by the concept its nynorsk word names
    assert _keys(index, "consultants") == ["råd"]
