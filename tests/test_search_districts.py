"""A district named in a query (Sunnmøre, Sogn og Fjordane: config/search/districts.yaml)
also finds articles whose places lie in it, ranked below articles that name it, on both
backends; a town in no district, or in another one, is not found."""

from __future__ import annotations

from functools import partial

import pytest

from procradar.core.crosslingual import equivalences
from procradar.core.index.base import Index
from procradar.core.index.places import place_districts
from procradar.core.models import Article
from tests.conftest import hit_paths

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://example.test/"


def _article(key: str, title: str, places: list[str]) -> Article:
    text = f"{title}. Kommunen vil ha fleire lokale tilbod i konkurransen."
    return Article(url=BASE + key, title=title, language="nn", text=text, source="t", places=places)


ARTICLES = [
    _article("named", "Innkjøpsdag for bedrifter på Sunnmøre", ["Sunnmøre"]),
    _article("volda", "Ny matavtale for sjukeheimane", ["Volda"]),
    _article("molde", "Ny avtale om reinhald", ["Molde"]),
    _article("sogndal", "Leverandørfrukost i kulturhuset", ["Sogndal", "Leikanger"]),
]


def test_places_lie_in_their_districts() -> None:
    assert place_districts(["Volda", "ålesund"]) == ["Sunnmøre"]
    assert place_districts(["Molde"]) == ["Romsdal"]
    assert place_districts(["Sogndal"]) == ["Sogn", "Sogn og Fjordane"]
    # Lund (Skåne) and Herøy (two of them) are in no Norwegian district.
    assert place_districts(["Lund", "Herøy", "Atlantis"]) == []


def test_danish_landsdele_are_districts() -> None:
    assert place_districts(["Odense", "Svendborg"]) == ["Fyn"]
    assert place_districts(["Hjørring"]) == ["Vendsyssel"]
    assert "district_fyn" in {c.id for c in equivalences().for_query(("funen",))}


def test_district_names_are_concepts() -> None:
    eq = equivalences()
    assert {c.id for c in eq.for_query(("sunnmøre",))} == {"district_sunnmøre"}
    assert "district_sognogfjordane" in {c.id for c in eq.for_query(("sogn", "og", "fjordane"))}
    assert eq.annotations([], [], [], ["Sunnmøre", "Nowhere"]) == ["xcdistrictsunnmøre"]


@pytest.fixture(scope="module")
def index(module_articles_index: Index) -> Index:
    return module_articles_index


_keys = partial(hit_paths, base=BASE)  # the hits' paths on the test site


def test_district_query_finds_articles_placed_there(index: Index) -> None:
    assert _keys(index, "Sunnmøre", expand=False) == ["named"]
    assert _keys(index, "Sunnmøre") == ["named", "volda"]
    assert _keys(index, "Sogn og Fjordane") == ["sogndal"]
    assert _keys(index, "Romsdal") == ["molde"]
