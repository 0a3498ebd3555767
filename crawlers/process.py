"""Inside the crawl child: one Scrapy crawler per source, several sources at a time, one
reactor. A source that fails is recorded and never stops the others."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from scrapy.utils.reactor import install_reactor
from twisted.internet import defer, task

from crawlers.report import SourceReport
from crawlers.settings import TWISTED_REACTOR, scrapy_settings
from crawlers.spiders.source import SourceSpider
from crawlers.state import close_stores, shared_store
from procradar.core.settings import Settings


class SourceRun:
    def __init__(self, source: dict[str, Any], crawler: Crawler):
        self.source = source
        self.crawler = crawler
        self.running = False
        self.crashed: str | None = None
        self.budget: str | None = None  # which time budget closes it: source_ or run_budget
        self._fallback = SourceReport(source["id"])

    @property
    def report(self) -> SourceReport:
        spider = self.crawler.spider
        return spider.report if isinstance(spider, SourceSpider) else self._fallback


def run_sources(
    config: Settings,
    sources: list[dict[str, Any]],
    logs: Path,
    emit: Callable[[str], None],
    mode: str = "crawl",
) -> dict[str, dict[str, Any]]:
    """Crawl (or, with mode "probe", only discover) the sources; stats by source id."""
    shared_store(config)  # migrate once, before any crawler touches the database
    install_reactor(TWISTED_REACTOR)
    from twisted.internet import reactor

    base = scrapy_settings(config) | {"LOG_FILE": str(logs / "scrapy.log"), "LOG_LEVEL": "INFO"}
    process = CrawlerProcess(base | {"LOG_INSTALL_ROOT_HANDLER": True})
    runs = [SourceRun(s, _crawler(config, s, base)) for s in sources]
    results: dict[str, dict[str, Any]] = {}
    limit = defer.DeferredSemaphore(max(1, int(config["crawl.concurrent_sources"])))
    budget = RunBudget(config)

    def one(run: SourceRun) -> defer.Deferred[Any]:
        if not budget.start(run):
            run.report.stopped = "not_started"
            emit(f"[{run.source['id']}] not started: the run's time budget is spent")
            results[run.source["id"]] = run.report.as_dict()  # not recorded: first next run
            return defer.succeed(None)
        run.running = True
        emit(f"[{run.source['id']}] start {run.source['url']}")
        d = process.crawl(run.crawler, source=run.source, config=config, mode=mode)
        d.addErrback(lambda failure: _crashed(run, failure))
        d.addBoth(lambda _: _finish(config, run, results, emit, record=mode == "crawl"))
        return d

    def tick() -> None:
        for run in runs:
            if run.running:
                emit(run.report.progress_line("running"))

    ticker = task.LoopingCall(tick)

    def end(_: object) -> None:
        ticker.stop()
        reactor.stop()  # type: ignore[misc]

    def begin() -> None:
        ticker.start(float(config["crawl.progress_interval"]), now=False)
        defer.DeferredList([limit.run(one, run) for run in runs]).addBoth(end)

    reactor.callWhenRunning(begin)
    process.start(stop_after_crawl=False)
    close_stores()
    return results


class RunBudget:
    """The run's time budget (crawl.max_run_seconds): no source starts once it is spent,
    and each source that starts gets at most what is left (and at most its own
    crawl.max_source_seconds) as Scrapy's CLOSESPIDER_TIMEOUT, so the ones running when the
    time is up finish the requests in flight and close."""

    def __init__(self, config: Settings):
        seconds = config["crawl.max_run_seconds"]
        self.deadline = None if seconds is None else time.monotonic() + float(seconds)
        self.per_source = float(config["crawl.max_source_seconds"] or 0)

    def start(self, run: SourceRun) -> bool:
        if self.deadline is None:
            run.budget = "source_budget" if self.per_source else None
            return True
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        if self.per_source and self.per_source <= left:
            run.budget = "source_budget"
        else:
            run.budget, left = "run_budget", max(left, 0.001)
            run.crawler.settings.set("CLOSESPIDER_TIMEOUT", left, priority="cmdline")
        return True


def _crawler(config: Settings, source: dict[str, Any], base: dict[str, Any]) -> Crawler:
    crawler = Crawler(SourceSpider, ScrapySettings(base | scrapy_settings(config, source)))
    connect_error_signals(crawler)
    return crawler


def _crashed(run: SourceRun, failure: Any) -> None:
    run.crashed = f"crawler crashed: {failure.type.__name__}: {failure.getErrorMessage()}"
    run.report.error(run.source["url"], run.crashed)


def _finish(
    config: Settings,
    run: SourceRun,
    results: dict[str, dict[str, Any]],
    emit: Callable[[str], None],
    record: bool,
) -> None:
    run.running = False
    report = run.report
    try:
        stats = run.crawler.stats
    except RuntimeError:  # the crawl never started (the spider could not be built)
        stats = None
    if stats is not None:
        report.requests = int(stats.get_value("downloader/request_count", 0))
        report.bytes = int(stats.get_value("downloader/response_bytes", 0))
        if stats.get_value("finish_reason") == "closespider_timeout":
            report.stopped = run.budget
    report.finished_at = datetime.now(UTC)
    stats_dict = report.as_dict()
    results[run.source["id"]] = stats_dict
    emit(report.progress_line("done"))
    if report.stopped == "run_budget" and not report.pages and not report.not_modified:
        # Started with the run's last moments and closed before any page: not a crawl, so
        # the rotation keeps it first in line, as if it had not started.
        return
    if not record:
        return
    try:
        shared_store(config).record_run(
            run.source["id"],
            {**stats_dict, "started_at": report.started_at, "finished_at": report.finished_at},
        )
    except Exception as exc:  # noqa: BLE001 - the store being locked must not lose the others
        report.error("store", f"could not record the run: {exc}")


def connect_error_signals(crawler: Crawler) -> None:
    """Callback and pipeline exceptions become per-source errors instead of log noise."""

    def spider_error(failure: Any, response: Any, spider: Any) -> None:
        spider.report.error(response.url, f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def item_error(item: Any, response: Any, spider: Any, failure: Any) -> None:
        url = getattr(item, "url", "") or getattr(response, "url", "")
        spider.report.error(url, f"{failure.type.__name__}: {failure.getErrorMessage()}")

    crawler.signals.connect(spider_error, signal=signals.spider_error, weak=False)
    crawler.signals.connect(item_error, signal=signals.item_error, weak=False)
