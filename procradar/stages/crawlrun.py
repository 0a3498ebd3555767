"""Crawl, enrichment and indexing at the same time: the crawl child process keeps downloading
and storing raw pages while the enrichment pool turns them into articles and the index
follows. Used by `procradar crawl`, `run` and `demo`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from procradar.core.settings import Settings
from procradar.core.sources import SourcesError
from procradar.core.store import Store
from procradar.stages.enrich import EnrichReport, enrich_pending, workers_setting
from procradar.stages.pipeline import sync_index
from procradar.stages.source_hints import SourceHint, source_hints

if TYPE_CHECKING:
    from procradar.core.index.base import Index

log = logging.getLogger(__name__)


@dataclass
class StagesResult:
    crawl: dict[str, dict[str, Any]]  # per-source crawl stats by source id
    enrich: EnrichReport
    indexed: int


def crawl_enrich_index(
    settings: Settings,
    store: Store,
    index: Index,
    sources: list[dict[str, Any]] | None = None,
    source_ids: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> StagesResult:
    """Run the three stages concurrently until the crawl is over and every stored page is
    enriched and indexed. Crawl errors (CrawlError, SourcesError, ValueError) are raised
    after the pages stored so far were enriched and indexed."""
    from crawlers.run import crawl

    outcome: dict[str, Any] = {}

    def crawling() -> None:
        try:
            outcome["stats"] = crawl(settings, sources, source_ids, progress=progress)
        except Exception as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc

    indexed = 0

    def sync() -> None:
        nonlocal indexed
        indexed += sync_index(store, index)
        log.info("index: %d articles indexed", indexed)

    def hints() -> dict[str, SourceHint]:
        try:  # read while the crawl child starts and the enrichment pool warms up
            return source_hints(settings, sources)
        except SourcesError:  # the crawl reports it (it reads the same files)
            return {}

    thread = threading.Thread(target=crawling, name="crawl", daemon=True)
    thread.start()
    report = enrich_pending(
        store,
        workers=workers or workers_setting(settings),
        until=lambda: not thread.is_alive(),
        after_batch=sync,
        sources=hints,
    )
    thread.join()
    sync()
    if "error" in outcome:
        raise outcome["error"]
    return StagesResult(outcome["stats"], report, indexed)
