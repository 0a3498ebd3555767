"""The item pipeline: every fetched page into the store; articles enriched, fingerprinted
and upserted by canonical URL."""

from __future__ import annotations

import time
from typing import Any

from crawlers import fingerprint
from crawlers.items import PageItem
from crawlers.state import article_exists, fingerprints, shared_store, text_with_fingerprint
from procradar.core.models import Article
from procradar.core.store import Page, Store

_index: dict[int, fingerprint.FingerprintIndex] = {}


def fingerprint_index(store: Store) -> fingerprint.FingerprintIndex:
    """One index per store in this process, so concurrent sources see each other's copies."""
    if id(store) not in _index:
        _index[id(store)] = fingerprint.FingerprintIndex(
            fingerprints(store), lambda fp: text_with_fingerprint(store, fp)
        )
    return _index[id(store)]


def enrich_page(item: PageItem) -> Article:
    from enrichment import enrich  # imported late: spaCy and friends load only when needed

    return enrich(
        item.html,
        url=item.url,
        published=item.published,
        source_language=item.language,
        title=item.title or None,
    )


class StorePipeline:
    def __init__(self, crawler: Any):
        self.crawler = crawler

    @property
    def timings(self) -> dict[str, float]:
        return self.crawler.spider.report.timings

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        spider = self.crawler.spider
        store = shared_store(spider.config)
        started = time.perf_counter()
        if item.not_modified:
            store.touch_page(item.url)
            self.timings["store"] += time.perf_counter() - started
            return item
        old = store.page_state(item.url)
        store.save_page(
            Page(
                url=item.url,
                source=item.source,
                body=item.body,
                final_url=item.final_url,
                status=item.status,
                content_type=item.content_type,
                etag=item.etag,
                last_modified=item.last_modified,
                content_hash=item.content_hash,
                is_article=item.is_article,
            )
        )
        self.timings["store"] += time.perf_counter() - started
        if not item.is_article:
            return item
        if old and old.content_hash == item.content_hash and article_exists(store, item.url):
            spider.report.unchanged_articles += 1
            return item
        result = self._upsert(store, item)
        if result == "new":
            spider.report.new_articles += 1
        elif result == "updated":
            spider.report.updated_articles += 1
        else:
            spider.report.unchanged_articles += 1
        return item

    def _upsert(self, store: Store, item: PageItem) -> str:
        started = time.perf_counter()
        article = enrich_page(item)
        self.timings["enrichment"] += time.perf_counter() - started
        article.url = item.url
        article.source = item.source
        if item.title and not article.title:
            article.title = item.title
        if item.published and not article.published:
            article.published = item.published
        # Enrichment's fingerprint matches exact copies only; a shingle-checked simhash also
        # joins copies whose extracted text differs by an intro or a press contact.
        article.fingerprint = fingerprint_index(store).resolve(article.text) or article.fingerprint
        started = time.perf_counter()
        result = store.upsert_article(article, item.content_hash)
        self.timings["store"] += time.perf_counter() - started
        return result
