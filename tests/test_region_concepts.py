"""A county or region named in a query also finds articles placed there by the region
facet (the public bodies they name), ranked below articles that name it, on both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.crosslingual import equivalences
from procradar.core.index.base import Index, SearchRequest
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


def _keys(index: Index, query: str, **kwargs: object) -> list[str]:
    result = index.search(SearchRequest(query=query, **kwargs))  # type: ignore[arg-type]
    return [h.url.removeprefix(BASE) for h in result.hits]


def test_region_query_finds_articles_placed_there(index: Index) -> None:
    named = _keys(index, "Västerbotten", expand=False)
    # Umeå kommun's article never names the county; the region facet places it there.
    assert "sv-klimat" not in named
    found = _keys(index, "Västerbotten")
    assert "sv-klimat" in found
    assert found[: len(named)] == named
