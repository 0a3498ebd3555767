"""A county or region named in a query also finds articles placed there by the region
facet (the public bodies they name), ranked below articles that name it, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from procradar.core.crosslingual import equivalences
from procradar.core.index.base import Index
from tests.conftest import hit_paths
from tests.index_corpus import BASE, corpus

pytest_plugins = ["tests.es_fixtures"]


def test_region_names_are_concepts_in_their_usual_forms() -> None:
    eq = equivalences()
    for query, region in [
        (("västerbotten",), "region_västerbotten"),
        (("region", "västerbotten"), "region_västerbotten"),
        (("kalmar",), "region_kalmarlän"),
        (("vestland", "fylke"), "region_vestland"),
    ]:
        assert region in {c.id for c in eq.for_query(query)}, query
    assert eq.annotations([], [], ["Västerbotten", "Nowhere"]) == ["xcregionvästerbotten"]


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(corpus().values())
    return index


_keys = partial(hit_paths, base=BASE)  # the hits' paths on the test site


def test_region_query_finds_articles_placed_there(index: Index) -> None:
    named = _keys(index, "Västerbotten", expand=False)
    # Umeå kommun's article never names the county; the region facet places it there.
    assert "sv-klimat" not in named
    found = _keys(index, "Västerbotten")
    assert "sv-klimat" in found
    assert found[: len(named)] == named


def test_places_lie_in_their_regions() -> None:
    from procradar.core.index.places import place_regions

    assert place_regions(["Bodø", "Tromsø", "Atlantis"]) == ["Nordland", "Troms"]
    assert place_regions(["Copenhagen", "ålesund", "Vestland"]) == [
        "Hovedstaden",
        "Møre og Romsdal",
        "Vestland",
    ]


def test_wider_places_are_made_of_regions() -> None:
    from procradar.core.index.places import wider_places

    eq = equivalences()
    region_ids = {c.id for c in eq.concepts.values()}
    for place, regions in wider_places().items():
        assert place in eq.concepts, place
        for name in regions:
            assert eq.region(name) is not None and eq.region(name).id in region_ids, name


@pytest.fixture(scope="module")
def placed(module_index_factory: Callable[[], Index]) -> Index:
    from procradar.core.models import Article

    index = module_index_factory()
    index.index(
        [
            Article(
                url=BASE + "bodo",
                title="Ny ungdomsskole i Bodø",
                language="nb",
                text="Kommunen har tildelt totalentreprisen for den nye skolen.",
                places=["Bodø"],
                source="t",
            ),
            Article(
                url=BASE + "bergen",
                title="Ny barneskole i Bergen",
                language="nb",
                text="Kommunen har tildelt totalentreprisen for den nye skolen.",
                places=["Bergen"],
                source="t",
            ),
        ]
    )
    return index


def test_a_wider_place_finds_articles_by_their_places(placed: Index) -> None:
    # Neither article names Nordland or Nord-Norge: their places lie there (or not).
    assert _keys(placed, "Nordland skole") == ["bodo"]
    assert _keys(placed, "Nord-Norge skole") == ["bodo"]
    assert _keys(placed, "Vestlandet skole") == ["bergen"]
    assert _keys(placed, "Nord-Norge skole", expand=False) == []
