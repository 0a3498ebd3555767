"""A query word that names a kind of article (a guide, a procurement plan, a conference)
also finds articles of that kind that never use the word, below those that do; on both
backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index, SearchRequest
from procradar.core.models import Article

pytest_plugins = ["tests.es_fixtures"]
BASE = "https://kinds.example/"


def _article(key: str, kind: str, title: str, text: str) -> Article:
    return Article(url=BASE + key, title=title, language="nb", kind=kind, text=text, source="t")


@pytest.fixture(scope="module")
def index(module_index_factory: Callable[[], Index]) -> Index:
    index = module_index_factory()
    index.index(
        [
            _article("named", "news", "Ny veileder om markedsdialog", "DFØ har laget en veileder."),
            _article("steps", "guidance", "Markedsdialog steg for steg", "Start med behovet."),
            _article("news", "news", "Markedsdialog om ferjer", "Fylket inviterte rederiene."),
        ]
    )
    return index


def test_a_kind_word_finds_articles_of_that_kind(index: Index) -> None:
    result = index.search(SearchRequest(query="veileder markedsdialog", limit=10))
    keys = [h.url.removeprefix(BASE) for h in result.hits]
    assert keys == ["named", "steps"]  # the news item is no guide
    assert any("kind:guidance" in terms for terms in result.expansions.values())
    exact = index.search(SearchRequest(query="veileder markedsdialog", expand=False))
    assert [h.url.removeprefix(BASE) for h in exact.hits] == ["named"]
