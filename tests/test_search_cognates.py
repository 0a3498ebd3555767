"""A query word also matches, in the other Scandinavian languages, its stems by the other
Nordic stemmers (robotar -> robot meets Danish robotter), on both backends; only in the
languages where that stem adds something, so no article scores a stem twice."""

from __future__ import annotations

from functools import partial

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.index.plan import _cognates, make_plan
from procradar.core.query import Term
from tests.conftest import TEST_SITE, hit_paths, short_article

pytest_plugins = ["tests.es_fixtures"]
BASE = TEST_SITE
_article = short_article


ARTICLES = [
    _article("da", "da", "Regionen køber robotter", "Sygehusene skal have nye robotter."),
    _article("sv", "sv", "Regionen köper robotar", "Sjukhusen ska få nya robotar."),
    _article("nb", "nb", "Ny avtale om vask", "Sykehuset kjøper vasketjenester."),
]


@pytest.fixture(scope="module")
def index(module_articles_index: Index) -> Index:
    return module_articles_index


_keys = partial(hit_paths, base=BASE)


def test_a_word_meets_its_cognate_in_another_language_typed_language_first(index: Index) -> None:
    assert _keys(index, "robotar") == ["sv", "da"]
    assert _keys(index, "robotter") == ["da", "sv"]
    assert _keys(index, '"robotar"') == ["sv"]
    assert _keys(index, "robotar", expand=False) == ["sv"]


def test_cognates_only_where_they_add_a_stem() -> None:
    def group(word: str) -> list[Term]:
        return [Term((word,))]

    # Swedish robotar -> robot: new for Danish (which keeps robotar), not for Swedish
    ((cognate, tags),) = _cognates(("robotar",), group("robotar"))
    assert cognate == "robot" and "da" in tags and "sv" not in tags
    # a stem far shorter than the word (Danish clearane -> clear) is no cognate
    assert all(cognate != "clear" for cognate, _ in _cognates(("clearane",), group("clearane")))
    assert _cognates(("vikarer",), group("vikarer")) == []  # Swedish vik: too short
    assert _cognates(("KI-løysingar",), group("KI-løysingar")) == []


def test_cognates_leave_english_concept_words_to_their_concepts() -> None:
    # "services" is an English-only concept word: its unit still matches by concept alone
    plan = make_plan(SearchRequest(query="interpreting services"))
    assert all(not unit.literal for unit in plan.units if unit.concepts)
