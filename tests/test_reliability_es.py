"""Elasticsearch stopped mid-ingest (issue 13, item 7): the documents stay in the store
marked unindexed, `ingest` says so in one line and exits non-zero, and once the node is
back the next run indexes them: nothing lost, nothing twice. A real node (rigs/esnode)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.es_fixtures import es_base_dir


def _docs(start: int, count: int) -> str:
    return "".join(
        json.dumps(
            {
                "url": f"https://outage.test/{i}",
                "title": f"Vindkraft och klimatkrav {i}",
                "text": f"Regionen upphandlar vindkraft, ärende {i}. " * 3,
            }
        )
        + "\n"
        for i in range(start, start + count)
    )


def _unindexed(data: Path) -> int:
    with sqlite3.connect(data / "procradar.db") as db:
        return int(
            db.execute("SELECT count(*) FROM articles WHERE indexed_at IS NULL").fetchone()[0]
        )


@pytest.fixture
def node_dir() -> Iterator[Path]:
    base = es_base_dir()
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_es_outage_mid_ingest_loses_nothing(tmp_path: Path, node_dir: Path) -> None:
    from rigs.esnode import EsCluster, EsNodeError, free_port

    port = free_port()
    cluster = EsCluster(node_dir, 1, base_http_port=port)
    try:
        cluster.start()
    except EsNodeError as exc:
        cluster.stop()
        pytest.fail(f"Elasticsearch node did not start: {exc}")
    config = tmp_path / "procradar.yaml"
    settings = {"search": {"backend": "elasticsearch"},
                "search.elasticsearch.url": f"http://127.0.0.1:{port}",
                "search.elasticsearch.index_prefix": "outage"}  # fmt: skip
    config.write_text(yaml.safe_dump(settings), "utf-8")
    data = tmp_path / "data"

    def cli(*args: str, stdin: str = "", check: bool = True) -> str:
        proc = run_cli("--config", str(config), *args, data_dir=data, stdin=stdin, check=check)
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
        return proc.stdout + proc.stderr

    try:
        cli("ingest", "-", stdin=_docs(0, 10))
        assert _unindexed(data) == 0
        cluster.stop()  # the outage
        out = cli("ingest", "-", stdin=_docs(10, 15), check=False)
        assert "Error:" in out and len(out.strip().splitlines()) == 1, out
        assert _unindexed(data) == 15  # stored, waiting for the index
        cluster = EsCluster(node_dir, 1, base_http_port=port).start()  # back, same data
        out = cli("ingest", "-", stdin="")
        assert "15 indexed" in out
        assert _unindexed(data) == 0
        result = json.loads(cli("search", "vindkraft", "--json", "--limit", "50"))
        urls = [h["url"] for h in result["hits"]]
        assert result["total"] == 25 and len(set(urls)) == 25
    finally:
        cluster.stop()
