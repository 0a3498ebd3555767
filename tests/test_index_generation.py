"""Index.generation() on both backends: the key of the web app's caches, so it must stay
the same while nothing is written and change with every write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procradar.core.index.base import Index, SearchRequest
from tests.index_corpus import corpus

pytest_plugins = ["tests.es_fixtures"]


def _fresh(index: Index) -> int | str:
    if hasattr(index, "generation_seconds"):  # Elasticsearch: no stats answer reused
        index.generation_seconds = 0
    return index.generation()


def test_generation_changes_with_every_write(index_factory: Callable[[], Index]) -> None:
    index = index_factory()
    docs = list(corpus().values())
    index.index(docs[:3])
    first = _fresh(index)
    assert index.search(SearchRequest(query="upphandling")).total >= 0
    assert _fresh(index) == first  # reads change nothing
    index.index(docs[3:4])
    second = _fresh(index)
    assert second != first
    assert index.delete([docs[0].url]) == 1
    third = _fresh(index)
    assert third not in (first, second)
    index.rebuild(iter(docs[:2]))
    assert _fresh(index) not in (first, second, third)


def test_an_index_of_an_older_analysis_says_so_until_rebuilt(
    index_factory: Callable[[], Index],
) -> None:
    # needs_reindex is on both backends but not in the Index protocol (commands ask for it).
    index: Any = index_factory()
    docs = list(corpus().values())
    index.index(docs[:2])
    assert index.needs_reindex is False
    if hasattr(index, "es"):  # Elasticsearch: the version is in the mapping's _meta
        index.es.indices.put_mapping(index=index.alias, meta={"analysis": "0+old"})
    else:
        with index.db:
            index.db.execute("UPDATE settings SET value = '0+old' WHERE key = 'analysis'")
    assert index.needs_reindex is True
    assert index.search(SearchRequest(query="upphandling")).total >= 0  # still answers
    index.rebuild(iter(docs[:2]))
    assert index.needs_reindex is False
