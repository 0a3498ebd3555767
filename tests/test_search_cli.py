"""`procradar search` and `procradar reindex` through the real command line."""

from __future__ import annotations

import json

from procradar.core.models import CONTRACT_FIELDS
from procradar.core.settings import Settings
from procradar.core.store import Store
from tests.conftest import CliRun
from tests.index_corpus import corpus


def _store_corpus(settings: Settings) -> None:
    store = Store.open(settings)
    for article in corpus().values():
        store.upsert_article(article)
    store.close()


def test_reindex_then_search_json(settings: Settings, cli: CliRun) -> None:
    _store_corpus(settings)
    done = cli("reindex")
    assert f"reindexed {len(corpus())} articles" in done.stdout
    assert (settings.data_dir / "index.sqlite").exists()
    out = json.loads(cli("search", "klimatkrav", "--lang", "sv", "--json").stdout)
    assert out["query"] == "klimatkrav"
    assert out["total"] == 2
    first = out["hits"][0]
    for field in (
        *CONTRACT_FIELDS,
        "score",
        "snippet",
    ):
        assert field in first
    assert {h["language"] for h in out["hits"]} == {"sv"}
    assert dict(map(tuple, out["facets"]["language"])) == {"sv": 2}


def test_search_readable_and_filters(settings: Settings, cli: CliRun) -> None:
    _store_corpus(settings)
    cli("reindex")
    text = cli("search", "topic:construction", "--limit", "2").stdout
    assert text.startswith("1–2 of 3 hits")
    assert "https://example.test/" in text
    assert "<mark>" not in cli("search", "klimatkrav").stdout
    skane = json.loads(cli("search", "--region", "Skåne", "--json").stdout)
    assert [h["url"] for h in skane["hits"]] == ["https://example.test/sv-dialog"]
    assert dict(map(tuple, skane["facets"]["region"])) == {"Skåne": 1}


def test_malformed_query_is_one_line_exit_2(settings: Settings, cli: CliRun) -> None:
    for args in (['"tidig dialog'], ["topic:weather"], ["--topic", "weather", "x"]):
        proc = cli("search", *args, check=False)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("Error: ")
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "Traceback" not in proc.stderr
