"""Searches while `ingest` and then `reindex` write to Elasticsearch (issue 13, item 2, the
second backend): no server error on the site or the API, no failed search, a reader never
sees fewer articles than it saw before, and afterwards every document is there once.
A real node (tests/es_fixtures.py); the writers are the real commands in child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import yaml

from procradar.core.index import open_index
from procradar.core.index.base import SearchRequest
from procradar.core.settings import Settings
from search_app import create_app
from tests.conftest import ROOT

pytest_plugins = ["tests.es_fixtures"]

FIRST = 10  # indexed before the readers start, so the alias exists
MORE = 290  # written while they read
READERS = 2
WEB_PATHS = ["/?q=vindkraft", "/api/v1/search?q=vindkraft", "/search.json?q=vindkraft&page=2"]


def _docs(start: int, count: int) -> str:
    return "".join(
        json.dumps(
            {
                "url": f"https://es-race.test/{i}",
                "title": f"Vindkraft i kommun {i}",
                "text": f"Kommunen upphandlar vindkraft och ställer klimatkrav, ärende {i}.",
                "published": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
        )
        + "\n"
        for i in range(start, start + count)
    )


def _cli(config: Path, data: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "PROCRADAR_DATA_DIR": str(data)}
    env.pop("PROCRADAR_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "procradar", "--config", str(config), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_searches_during_ingest_and_reindex_on_elasticsearch(tmp_path: Path, es_url: str) -> None:
    values = {
        "search.backend": "elasticsearch",
        "search.elasticsearch.url": es_url,
        "search.elasticsearch.index_prefix": f"race-{uuid.uuid4().hex[:8]}",
        "web.api_rate_limit": "",
    }
    config = tmp_path / "procradar.yaml"
    config.write_text(yaml.safe_dump(values), "utf-8")
    data = tmp_path / "data"
    _cli(config, data, "ingest", "-", stdin=_docs(0, FIRST))

    settings = Settings({"data_dir": str(data), **values})
    app = create_app({"TESTING": True}, settings=settings)
    writing = threading.Event()
    writing.set()
    problems: list[str] = []
    during = [0]  # answers given while a writer ran

    def read(n: int) -> None:
        index, client, seen = open_index(settings), app.test_client(), 0
        i = n
        try:
            while writing.is_set():
                i += 1
                try:
                    total = index.search(SearchRequest(query="vindkraft", limit=5)).total
                    index.histogram(SearchRequest(query="vindkraft"), "month")
                except Exception as exc:  # noqa: BLE001 - any error is the finding
                    problems.append(f"index: {type(exc).__name__}: {exc}")
                    continue
                if total < seen:
                    problems.append(f"total went back from {seen} to {total}")
                seen = max(seen, total)
                resp = client.get(WEB_PATHS[i % len(WEB_PATHS)])
                if resp.status_code != 200:
                    problems.append(f"{WEB_PATHS[i % len(WEB_PATHS)]}: HTTP {resp.status_code}")
                during[0] += 1
                time.sleep(0.05)  # leaves the writers (other processes) some CPU
        finally:
            index.close()

    threads = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for t in threads:
        t.start()
    try:
        ingested = _cli(config, data, "ingest", "-", stdin=_docs(FIRST, MORE))
        reindexed = _cli(config, data, "reindex")
    finally:
        writing.clear()
        for t in threads:
            t.join()
    assert f"{MORE} indexed" in ingested and f"reindexed {FIRST + MORE}" in reindexed
    assert during[0] > 0
    assert problems[:5] == []

    index = open_index(settings)
    try:
        urls: list[str] = []
        while True:
            page = index.search(SearchRequest(query="", limit=100, offset=len(urls)))
            urls += [h.article["url"] for h in page.hits]
            if not page.hits:
                break
        assert page.total == FIRST + MORE
        assert len(urls) == len(set(urls)) == FIRST + MORE  # every document, once
    finally:
        index.drop()  # type: ignore[attr-defined]  # the node is shared by the session
        index.close()
