"""Downloader middlewares: refuse private addresses and robots-disallowed paths, retry with
backoff, honour Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from crawlers import urls

URL_KEYS = ("feeds", "sitemaps", "listings")

if TYPE_CHECKING:
    from crawlers.spiders.source import SourceSpider


class Refused(IgnoreRequest):
    """A request the crawler must not send (private address, robots.txt)."""


class GuardMiddleware:
    """Applied to every request, redirects included, before it leaves the machine."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> GuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider: SourceSpider = self.crawler.spider
        refusal = refuse_reason(request.url, spider.source)
        if refusal:
            raise Refused(f"refused: {refusal}")
        if request.meta.get("role") == "robots":
            return
        if not spider.robots_allow(request.url):
            spider.report.robots_blocked += 1
            spider.report.found("robots_disallowed", request.url)
            raise Refused("disallowed by robots.txt")


def private_allowed(source: dict[str, Any]) -> frozenset[str]:
    """The host:port pairs a source may reach on a private network: only its own (homepage
    and configured feeds, sitemaps, listings), and only with `allow_private_network`."""
    if not source.get("allow_private_network"):
        return frozenset()
    configured = [source["url"], *(u for k in URL_KEYS for u in source.get(k) or [])]
    return frozenset(urls.netloc(u) for u in configured if "://" in u)


def refuse_reason(url: str, source: dict[str, Any]) -> str | None:
    """Why a request must not leave the machine (SSRF guard), or None. Applied to every
    request: discovered links, sitemaps named in robots.txt and each redirect hop."""
    scheme = urls.scheme(url)
    if scheme not in ("http", "https"):
        return f"{scheme or 'a relative'}: URLs are never fetched"
    hostname = urls.host(url)
    if urls.is_private_host(hostname) and urls.netloc(url) not in private_allowed(source):
        if source.get("allow_private_network"):
            return f"{hostname} is a private or loopback address other than the source's own"
        return f"{hostname} is a private or loopback address"
    return None


def retry_after_seconds(response: Response) -> float | None:
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class BackoffRetryMiddleware:
    """Replaces Scrapy's RetryMiddleware: the same settings, plus exponential backoff and
    Retry-After (capped) before each retry, and every retry noted in the source's report."""

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions_to_retry = tuple(
            load_object(x) for x in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.base_delay = settings.getfloat("PROCRADAR_RETRY_BASE_DELAY", 1.0)
        self.max_delay = settings.getfloat("PROCRADAR_RETRY_MAX_DELAY", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffRetryMiddleware:
        return cls(crawler)

    def _delay(self, request: Request, hinted: float | None) -> float:
        attempt = request.meta.get("retry_times", 0)
        delay = hinted if hinted is not None else self.base_delay * 2**attempt
        return min(delay, self.max_delay)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        hinted = retry_after_seconds(response) if response.status in (429, 503) else None
        if hinted is not None and hinted > self.max_delay:
            self._note(request, f"{response.status} Retry-After {hinted:.0f}s exceeds the cap")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        wait = self._delay(request, hinted)
        self._note(request, f"HTTP {response.status}, retry in {wait:.1f}s")
        await asyncio.sleep(wait)
        return retry

    async def process_exception(
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        wait = self._delay(request, None)
        self._note(request, f"{type(exception).__name__}, retry in {wait:.1f}s")
        await asyncio.sleep(wait)
        return retry

    def _retry(self, request: Request, reason: Any) -> Request | None:
        return get_retry_request(
            request,
            reason=reason,
            spider=self.crawler.spider,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )

    def _note(self, request: Request, message: str) -> None:
        report = getattr(self.crawler.spider, "report", None)
        if report is not None:
            report.retries += 1
            report.note(f"{request.url}: {message}")


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL already visited on the way."""


class RedirectLoopMiddleware:
    """Scrapy's duplicate filter would drop a looping redirect silently; name it instead."""

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = urls.canonical(urljoin(request.url, location.decode("latin-1")))
        seen = [urls.canonical(u) for u in request.meta.get("redirect_urls", [])]
        if target in seen or target == urls.canonical(request.url):
            raise RedirectLoop(f"redirect loop: {' → '.join([*seen, request.url, target])}")
        return response
