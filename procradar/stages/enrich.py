"""The enrichment stage: a pool of worker processes enriches the stored article pages whose
article is missing, enriched by an older enrichment version, or made from older content.

The pages come from the store (the crawl stores them raw, with its hints); this process
hands them to the workers and writes the articles back itself, one writer, so near-duplicate
story links stay consistent. It can run while a crawl is still storing pages (`until`), and
calls `after_batch` now and then (the index sync) so search follows the crawl.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from procradar.core.lifetime import die_with_parent
from procradar.core.models import Article
from procradar.core.settings import Settings
from procradar.core.store import PendingPage, Store
from procradar.stages.enrich_worker import enrich_pages, enrichment_version
from procradar.stages.source_hints import SourceHint

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # how often the store is asked for new pages while a crawl runs
# Pages handed to the pool ahead, per worker: enough to keep it busy (about a second) while
# this process writes articles or syncs the index, when it hands out nothing; topped up
# when a quarter of them is done.
QUEUE_PER_WORKER = 64
# Pages per task: a worker's queue holds one task beyond the one it works on, so a task of
# several pages keeps it busy while this process writes (or waits for a core itself).
PAGES_PER_TASK = 4
# After a result comes in, wait this long for more and write them together: an article
# write costs about as much again when it has its own transaction.
GATHER_SECONDS = 0.2
# Stale URLs looked up at once: the lookup reads every stored page row (bodies included),
# so it is done once per many pages handed out, not at each top-up.
SCAN_AHEAD = 500
# At most this long between `after_batch` calls while articles arrive: an index write has a
# fixed cost (about 0.3 s on the SQLite backend), so not after every article.
SYNC_SECONDS = 10.0
PROGRESS_SECONDS = 5.0


@dataclass
class EnrichReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # "url: error"

    @property
    def done(self) -> int:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        return (
            f"enrich: {self.done} pages enriched ({self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged articles), {len(self.failed)} failed"
        )


def workers_setting(settings: Settings) -> int:
    """enrich.workers, null meaning one per core."""
    value = settings.get("enrich.workers")
    return max(1, int(value)) if value else (os.cpu_count() or 1)


def _pool(workers: int) -> ProcessPoolExecutor:
    # A fork server, not fork: this process runs threads (the crawl's output reader). Its
    # preload warms the NLP once; each worker is forked from it warm.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["procradar.stages.enrich_warm"])
    # Workers die with the fork server, and the fork server with this process (enrich_warm).
    return ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent)


def enrich_pending(
    store: Store,
    workers: int | None = None,
    until: Callable[[], bool] | None = None,
    after_batch: Callable[[], None] | None = None,
    sources: Mapping[str, SourceHint] | Callable[[], Mapping[str, SourceHint]] | None = None,
) -> EnrichReport:
    """Enrich every page that needs it; with `until`, keep looking for new pages until it
    returns True (e.g. the crawl finished) and nothing is left. `sources`: what enrichment
    is told about each source (procradar.stages.source_hints), by source id, or a function
    that reads it (called once the pool has begun warming up)."""
    workers = workers or os.cpu_count() or 1
    if until is None:
        # Nothing arrives meanwhile: start the pool (seconds of warm-up) only for work.
        version = enrichment_version()
        if not store.pages_to_enrich(version, 1):
            log.info("enrich: nothing to do")
            return EnrichReport()
    log.info("enrich: starting %d worker process(es)", workers)
    pool = _pool(workers)
    try:
        # Asked of a worker: the pool warms up while the crawl is already downloading, and
        # this process never loads the NLP. The warm-up is on the way to the first article,
        # so it starts before anything else here.
        asked = pool.submit(enrichment_version) if until is not None else None
        hints = sources() if callable(sources) else sources
        if asked is not None:
            version = asked.result()
        stage = _Stage(store, pool, version, workers, after_batch, hints)
        stage.run(until or (lambda: True))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    log.info(stage.report.line())
    return stage.report


class _Stage:
    def __init__(
        self,
        store: Store,
        pool: ProcessPoolExecutor,
        version: str,
        workers: int,
        after_batch: Callable[[], None] | None,
        sources: Mapping[str, SourceHint] | None = None,
    ):
        self.store, self.pool, self.version, self.workers = store, pool, version, workers
        self.after_batch = after_batch
        self.sources = sources or {}
        self.report = EnrichReport()
        self.running: dict[Future[list[Article | str]], list[PendingPage]] = {}
        self.backlog: deque[str] = deque()  # stale URLs found, not yet handed out
        self.failed: set[str] = set()
        self.done: dict[str, str | None] = {}  # url -> content hash enriched this run
        self.unsynced = 0
        self.synced_at = self.logged_at = time.monotonic()

    def run(self, until: Callable[[], bool]) -> None:
        while True:
            finished = until()  # read before looking: pages stored later are seen next round
            self._submit()
            if not self.running:
                if finished:
                    break
                time.sleep(POLL_SECONDS)
                continue
            done, _ = wait(list(self.running), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            if done and len(done) < len(self.running):
                time.sleep(GATHER_SECONDS)  # the workers go on meanwhile
            self._store([future for future in self.running if future.done()])
            self._tick()
        self._sync()

    def _submit(self) -> None:
        room = self.workers * QUEUE_PER_WORKER - self._in_flight()
        if room < max(self.workers, self.workers * QUEUE_PER_WORKER // 4):
            return
        if not self.backlog:
            # Only when all found before is handed out: a page stored meanwhile waits for
            # the next look, and the last look (crawl over, nothing running) sees all.
            skip = self.failed | {page.url for pages in self.running.values() for page in pages}
            self.backlog.extend(self.store.urls_to_enrich(self.version, SCAN_AHEAD, skip))
        chosen = [self.backlog.popleft() for _ in range(min(room, len(self.backlog)))]
        ready: list[PendingPage] = []
        for page in self.store.pending_pages(chosen):
            if page.url in self.done and self.done[page.url] == page.content_hash:
                # enriched this run from these very bytes, yet still pending: never loop
                log.warning("enrich: %s stays pending after enrichment; skipped", page.url)
                self.failed.add(page.url)
                continue
            ready.append(page)
        # a few pages per task, but spread over every worker when there are few
        size = max(1, min(PAGES_PER_TASK, len(ready) // self.workers))
        for start in range(0, len(ready), size):
            pages = ready[start : start + size]
            jobs = [(page, self.sources.get(page.source)) for page in pages]
            self.running[self.pool.submit(enrich_pages, jobs)] = pages

    def _in_flight(self) -> int:
        return sum(len(pages) for pages in self.running.values())

    def _store(self, futures: list[Future[list[Article | str]]]) -> None:
        """Write the articles of finished tasks, in one transaction."""
        made: list[tuple[PendingPage, Article]] = []
        for future in futures:
            pages = self.running.pop(future)
            try:
                results: list[Article | str] = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a worker died: its pages failed
                results = [f"{type(exc).__name__}: {exc}"] * len(pages)
            for page, result in zip(pages, results, strict=True):
                if isinstance(result, str):
                    self.failed.add(page.url)
                    self.report.failed.append(f"{page.url}: {result}"[:300])
                    log.warning("enrich: %s failed: %s", page.url, result)
                else:
                    made.append((page, result))
        if not made:
            return
        outcomes = self.store.upsert_articles([(a, page.content_hash) for page, a in made])
        for (page, _), outcome in zip(made, outcomes, strict=True):
            self.done[page.url] = page.content_hash
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        self.unsynced += len(made)

    def _tick(self) -> None:
        now = time.monotonic()
        if self.unsynced and now - self.synced_at >= SYNC_SECONDS:
            self._sync()
        if now - self.logged_at >= PROGRESS_SECONDS:
            self.logged_at = now
            log.info("%s, %d in the workers", self.report.line(), self._in_flight())

    def _sync(self) -> None:
        if self.after_batch is not None and self.unsynced:
            self.after_batch()
        self.unsynced = 0
        self.synced_at = time.monotonic()
