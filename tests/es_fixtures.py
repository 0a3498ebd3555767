"""Index fixtures: empty indexes of each backend, and the Elasticsearch node behind them.

Loaded as a pytest plugin from tests/conftest.py (`pytest_plugins = ["tests.es_fixtures"]`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from procradar.core.index.base import Index
from procradar.core.index.sqlite_fts import SqliteIndex

BACKENDS = ["sqlite", "elasticsearch"]
IndexFactory = Callable[[], Index]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _factory(
    backend: str, request: pytest.FixtureRequest, tmp: pytest.TempPathFactory
) -> tuple[IndexFactory, list[Index]]:
    made: list[Index] = []

    def make() -> Index:
        if backend == "sqlite":
            index: Index = SqliteIndex(Path(tmp.mktemp("index")) / "index.sqlite")
        else:
            url = request.getfixturevalue("es_url")  # fails when there is no node
            from procradar.core.index.elastic import ElasticIndex

            index = ElasticIndex(url, prefix=f"test-{uuid.uuid4().hex[:10]}", refresh=True)
        made.append(index)
        return index

    return make, made


def _close(made: list[Index]) -> None:
    for index in made:
        drop = getattr(index, "drop", None)
        if drop is not None:
            drop()
        index.close()


@pytest.fixture(scope="module")
def module_index_factory(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndexFactory]:
    """Makes empty indexes of one backend that live for a test module."""
    make, made = _factory(backend, request, tmp_path_factory)
    yield make
    _close(made)


@pytest.fixture(scope="module")
def module_articles_index(
    module_index_factory: IndexFactory, request: pytest.FixtureRequest
) -> Index:
    """One index per backend holding the test module's `ARTICLES`, for its searches."""
    index = module_index_factory()
    index.index(request.module.ARTICLES)
    return index


@pytest.fixture
def index_factory(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndexFactory]:
    """Makes empty indexes of one backend for one test; on ES they are deleted after it."""
    make, made = _factory(backend, request, tmp_path_factory)
    yield make
    _close(made)


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    """PROCRADAR_ES_URL if set; else a node started here from es/ (fails with the reason if
    it cannot be built or started)."""
    if os.environ.get("PROCRADAR_ES_URL"):
        yield os.environ["PROCRADAR_ES_URL"]
        return
    from rigs.esnode import EsCluster, EsNodeError

    cluster = EsCluster(es_base_dir(), 1)
    try:
        cluster.start()
    except EsNodeError as exc:
        cluster.stop()
        # A failure, not a skip: `make test` builds the node (scripts/test-deps.sh), so a
        # node that cannot start is a broken setup that must not pass silently.
        pytest.fail(f"Elasticsearch node unavailable (run bash scripts/test-deps.sh): {exc}")
    yield cluster.url
    cluster.stop()
    shutil.rmtree(cluster.base_path, ignore_errors=True)


def es_base_dir() -> Path:
    """A fresh dir the node's user can reach (pytest's own tmp dirs are private to root)."""
    base = Path(tempfile.mkdtemp(prefix="procradar-es-"))
    base.chmod(0o755)
    return base
