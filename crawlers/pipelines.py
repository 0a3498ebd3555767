"""The item pipeline: every fetched page into the store, raw, with the crawler's hints.

Crawling never enriches: the enrichment stage (procradar.stages.enrich) picks up the article
pages whose article is missing or outdated. The counts here are about pages: a new article
page, or an article page whose content hash changed."""

from __future__ import annotations

import time
from typing import Any

from crawlers.items import PageItem
from crawlers.state import shared_store
from procradar.core.store import Page


class StorePipeline:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.counted: set[str] = set()  # article pages counted as new in this run

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        spider = self.crawler.spider
        store = shared_store(spider.config)
        started = time.perf_counter()
        try:
            if item.not_modified:
                store.touch_page(item.url)
                return item
            outcome = store.save_page(_page(item))
        finally:
            spider.report.timings["store"] += time.perf_counter() - started
        if not item.is_article:
            return item
        report = spider.report
        if not _was_article(spider, item) and item.url not in self.counted:
            self.counted.add(item.url)  # (a page can be reached twice, e.g. as listing first)
            report.new_articles += 1
        elif outcome == "changed":
            report.updated_articles += 1
        else:
            report.unchanged_articles += 1
        return item


def _was_article(spider: Any, item: PageItem) -> bool:
    known = spider.known.get(item.url)
    return bool(known and known.is_article)


def _page(item: PageItem) -> Page:
    hints = {"title": item.title, "published": item.published, "language": item.language}
    return Page(
        url=item.url,
        source=item.source,
        body=item.body,
        final_url=item.final_url,
        status=item.status,
        content_type=item.content_type,
        etag=item.etag,
        last_modified=item.last_modified,
        is_article=item.is_article,
        hints={k: v for k, v in hints.items() if v} or None,
    )
