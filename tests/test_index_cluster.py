"""A three-node Elasticsearch cluster keeps answering searches with one node stopped."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from procradar.core.index.base import SearchRequest
from procradar.core.index.elastic import ElasticIndex
from tests.index_corpus import corpus

pytest_plugins = ["tests.es_fixtures"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    from rigs.esnode import EsCluster, EsNodeError
    from tests.es_fixtures import es_base_dir

    nodes = EsCluster(es_base_dir(), 3, cluster_name="procradar-three")
    try:
        nodes.start()
    except EsNodeError as exc:
        nodes.stop()
        pytest.fail(f"Elasticsearch cluster unavailable (run bash scripts/test-deps.sh): {exc}")
    yield nodes
    nodes.stop()
    shutil.rmtree(nodes.base_path, ignore_errors=True)


def _found(index: ElasticIndex, query: str) -> set[str]:
    return {h.url for h in index.search(SearchRequest(query=query, limit=50)).hits}


def test_search_survives_a_stopped_node(cluster: object) -> None:
    from rigs.esnode import EsCluster

    assert isinstance(cluster, EsCluster)
    index = ElasticIndex(",".join(cluster.urls), prefix="cluster", refresh=True, timeout=20)
    index.index(corpus().values())
    health = index.es.cluster.health(wait_for_status="green", timeout="90s")
    assert health["number_of_nodes"] == 3 and health["status"] == "green"
    before = _found(index, "klimatkrav")
    assert len(before) >= 3

    shards = index.es.cat.shards(index="cluster-v*", format="json")
    primary = next(s["node"] for s in shards if s["prirep"] == "p")
    assert len({s["node"] for s in shards}) == 2  # one primary and one replica copy
    victim = next(n for n in cluster.nodes if n.name == primary)
    cluster.stop_node(victim)
    assert victim.process is not None and victim.process.poll() is not None

    for _ in range(5):  # every request, whichever node the client picks, is answered
        assert _found(index, "klimatkrav") == before
    assert index.count() == len(corpus())
    index.close()
