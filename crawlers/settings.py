"""Scrapy settings of the procradar crawler (scrapy.cfg points here).

The values that users tune live in config/settings.yaml (`crawl.*`); `scrapy_settings()`
maps them, and a source's own overrides, onto Scrapy's names.
"""

from __future__ import annotations

from typing import Any

from procradar.core.settings import Settings

BOT_NAME = "procradar"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"
ROBOTSTXT_OBEY = False  # the spider reads robots.txt itself: rules and sitemaps in one request
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
REDIRECT_MAX_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.GuardMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.RedirectLoopMiddleware": 650,
}
ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}
EXTENSIONS = {"crawlers.politeness.DelayFromResponse": 0}
LOG_LEVEL = "INFO"
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def module_settings() -> dict[str, Any]:
    return {k: v for k, v in globals().items() if k.isupper()}


def scrapy_settings(config: Settings, source: dict[str, Any] | None = None) -> dict[str, Any]:
    source = source or {}
    delay = source.get("download_delay")
    delay = config["crawl.download_delay"] if delay is None else float(delay)
    max_body = config["crawl.max_body_bytes"]
    # With a delay, one request at a time: a second one in flight would not wait for the
    # first's answer (crawlers.politeness), so the delay could shrink at the host.
    per_host = config["crawl.concurrent_requests_per_domain"] if delay == 0 else 1
    return {
        **module_settings(),
        "USER_AGENT": config["crawl.user_agent"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "CONCURRENT_REQUESTS": 4 * config["crawl.concurrent_requests_per_domain"],
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_TIMEOUT": config["crawl.download_timeout"],
        "DOWNLOAD_MAXSIZE": max_body,
        "DOWNLOAD_WARNSIZE": max_body // 2,
        "AUTOTHROTTLE_ENABLED": config["crawl.autothrottle"],
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.5),
        "RETRY_TIMES": config["crawl.retry_times"],
        "PROCRADAR_RETRY_BASE_DELAY": config["crawl.retry_backoff"],
        "PROCRADAR_RETRY_MAX_DELAY": config["crawl.max_retry_after"],
        # Scrapy's CloseSpider extension ends the source's crawl gracefully (requests in
        # flight finish, nothing new starts); crawlers.process may shorten it to the run's.
        "CLOSESPIDER_TIMEOUT": config["crawl.max_source_seconds"] or 0,
    }
