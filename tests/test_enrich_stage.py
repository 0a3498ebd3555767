"""The enrichment stage (a pool of worker processes over the store) and the paths into the
store sharing one content hash and one near-duplicate fingerprint: crawl, ingest, re-enrich."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from enrichment import ENRICHMENT_VERSION
from procradar.core.hashing import content_hash
from procradar.core.index import open_index
from procradar.core.models import Article
from procradar.core.pending import PendingPage
from procradar.core.schema import articles
from procradar.core.settings import Settings
from procradar.core.store import Page, Store
from procradar.stages.crawlrun import crawl_enrich_index
from procradar.stages.enrich import enrich_pending
from procradar.stages.enrich_worker import enrich_pages
from procradar.stages.pipeline import ingest
from rigs.faultserver import Faults, FaultServer, article_html, fault_server, make_articles

FAST = {"crawl.download_delay": 0, "crawl.autothrottle": False, "crawl.progress_interval": 1}


def html_of(i: int, seed: int = 5) -> str:
    return article_html(make_articles(i + 1, seed=seed)[i])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def save(store: Store, url: str, html: str, title: str | None = None) -> None:
    hints = {"title": title, "language": "sv"} if title else {"language": "sv"}
    store.save_page(Page(url=url, source="s", body=html.encode(), is_article=True, hints=hints))


def test_stage_enriches_missing_outdated_and_changed_pages_once(store: Store) -> None:
    for i in range(3):
        save(store, f"https://s.se/{i}", html_of(i), title=f"Rubrik {i}")
    store.save_page(Page(url="https://s.se/", source="s", body=b"<a href=/0>nyheter</a>"))
    store.save_page(Page(url="https://s.se/lista", source="s", body=b"<p>lista</p>"))
    first = enrich_pending(store, workers=2)
    assert (first.new, first.updated, first.failed) == (3, 0, [])
    article = store.get_article("https://s.se/1")
    assert article is not None and article.title == "Rubrik 1" and article.source == "s"
    assert article.enrichment_version == ENRICHMENT_VERSION and article.text
    assert enrich_pending(store, workers=2).done == 0  # idempotent: nothing left to do
    with store.engine.begin() as conn:  # an older enrichment version made article 0
        conn.execute(
            update(articles)
            .where(articles.c.url == "https://s.se/0")
            .values(enrichment_version="0.0.1")
        )
    save(store, "https://s.se/2", html_of(2).replace("</article>", "<p>Tillägg.</p></article>"))
    save(store, "https://s.se/1", html_of(1))  # the same bytes again: nothing to redo
    again = enrich_pending(store, workers=2)
    assert again.done == 2 and again.updated >= 1
    assert store.get_article("https://s.se/0").enrichment_version == ENRICHMENT_VERSION  # type: ignore[union-attr]
    assert "Tillägg" in store.get_article("https://s.se/2").text  # type: ignore[union-attr]
    assert enrich_pending(store, workers=2).done == 0


def test_a_failed_page_loses_only_itself_in_a_workers_task() -> None:
    good = PendingPage("https://a.se/1", "s", html_of(1).encode(), None, {"language": "sv"})
    broken = PendingPage("https://a.se/2", "s", None, None, {})  # type: ignore[arg-type]
    results = enrich_pages([(broken, None), (good, None)])
    assert isinstance(results[0], str) and results[0].startswith("AttributeError: ")
    assert isinstance(results[1], Article) and results[1].url == "https://a.se/1"
    assert results[1].title


def test_ingest_uses_the_stores_hash_and_links_near_duplicates(store: Store) -> None:
    doc = make_articles(1, seed=9)[0]
    text = "\n\n".join(doc.paragraphs)
    lines = [
        json.dumps({"url": "https://a.se/1", "title": doc.title, "text": text}),
        json.dumps(
            {"url": "https://b.se/1", "title": doc.title, "text": "Nyhet från TT.\n\n" + text}
        ),
    ]
    report = ingest(store, lines)
    assert (report.new, report.errors) == (2, [])
    (page, _) = sorted(store.iter_pages(), key=lambda p: p.url)
    assert page.content_hash == content_hash(text.encode("utf-8"))
    assert store.duplicate_urls() == ["https://b.se/1"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultServer, Settings]]:
    """The fault server's site crawled by the three stages at once, after an ingest of a
    copy of one of its articles (so the crawl has to link to it)."""
    settings = Settings({"data_dir": str(tmp_path_factory.mktemp("stages")), **FAST})
    with fault_server(articles=6, faults=Faults(enabled=False)) as server:
        store, index = Store.open(settings), open_index(settings)
        copy = "\n\n".join(server.docs[2].paragraphs) + "\n\nKälla: Upphandlingsbladet."
        ingest(store, [json.dumps({"url": "https://annan.se/kopia", "text": copy})])
        result = crawl_enrich_index(settings, store, index, sources=[server.source()], workers=2)
        assert result.enrich.failed == []
        assert result.crawl["faultsite"]["new_articles"] == 6
        yield server, settings
        store.close()


def test_crawl_links_a_near_duplicate_and_indexes_everything(
    crawled: tuple[FaultServer, Settings],
) -> None:
    server, settings = crawled
    store = Store.open(settings)
    crawled_copy = server.base_url + server.docs[2].path
    assert store.duplicate_urls() == [crawled_copy]  # (before the next test ingests a copy)
    article = store.get_article(crawled_copy)
    assert article is not None and article.links == ["https://annan.se/kopia"]
    assert open_index(settings).count() == store.article_count() == 7
    store.close()


def test_crawl_and_ingest_hash_the_same_bytes_the_same(
    crawled: tuple[FaultServer, Settings],
) -> None:
    server, settings = crawled
    store = Store.open(settings)
    url = server.base_url + server.docs[0].path
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the local fault server
        served = response.read()
    stored = {p.url: p for p in store.iter_pages()}[url]
    assert stored.body == served and stored.content_hash == content_hash(served)
    ingest(store, [json.dumps({"url": "https://annan.se/samma", "html": served.decode()})])
    same = {p.url: p for p in store.iter_pages()}["https://annan.se/samma"]
    assert same.content_hash == stored.content_hash
    store.close()
