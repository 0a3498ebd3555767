"""Relevance gate: nDCG@10 of the judged queries (eval/queries/judged.yaml) on each backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procradar.core.index.base import Index
from rigs.relevance import K, evaluate, judged_queries, load_index, ndcg

pytest_plugins = ["tests.es_fixtures"]
GATE = 0.85


def test_ndcg_formula() -> None:
    judged = {"a": 3, "b": 1}
    assert ndcg(["a", "b"], judged) == pytest.approx(1.0)
    assert ndcg(["b", "a"], judged) < 1.0
    assert ndcg(["x", "y"], judged) == 0.0


def test_judged_set_covers_languages_and_cross_lingual() -> None:
    queries = judged_queries()
    assert len(queries) >= 40
    assert {"sv", "nb", "da", "en"} <= {q.lang for q in queries}
    assert sum(q.cross for q in queries) >= 10


def test_ndcg_gate(module_index_factory: Callable[[], Index], backend: str) -> None:
    index = module_index_factory()
    urls = load_index(index)
    assert len(urls) >= 100
    report = evaluate(index, judged_queries(), urls)
    print(f"{backend}: {report.summary()}")
    assert report.mean >= GATE, report.summary()
    assert report.mean_of(lambda q: q.cross) >= GATE, report.summary()
    assert K == 10
