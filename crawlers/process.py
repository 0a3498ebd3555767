"""Inside the crawl child: one Scrapy crawler per source, several sources at a time, one
reactor. A source that fails is recorded and never stops the others."""

from __future__ import annotations

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

    def one(run: SourceRun) -> defer.Deferred[Any]:
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
    report.finished_at = datetime.now(UTC)
    stats_dict = report.as_dict()
    results[run.source["id"]] = stats_dict
    emit(report.progress_line("done"))
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
