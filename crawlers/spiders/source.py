"""The generic source spider: robots.txt → homepage and configured feeds/sitemaps/listings →
announced feeds → sitemaps → listing pages, then article pages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urljoin

from protego import Protego
from scrapy import Request, Spider
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers import urls
from crawlers.discovery import Entry, parse_feed, parse_robots, parse_sitemap, sniff
from crawlers.encoding import decode_html, relabel_utf8
from crawlers.items import PageItem
from crawlers.middlewares import Refused
from crawlers.page import PageInfo, analyse
from crawlers.report import SourceReport
from crawlers.sites import override_for
from crawlers.state import shared_store
from procradar.core.settings import Settings
from procradar.core.store import PageState

HTML_TYPES = ("text/html", "application/xhtml")
PRIORITY = {"robots": 100, "home": 90, "feed": 80, "sitemap": 70, "listing": 60, "page": 10}
MAX_CRAWL_DELAY = 30.0  # seconds; a larger Crawl-delay would make one run last for hours
MAX_DEPTH = 3  # homepage 0 → listing 1 → article or tag page 2 → article 3


class SourceSpider(Spider):
    name = "source"
    handle_httpstatus_list = [304]

    def __init__(
        self, source: dict[str, Any], config: Settings, mode: str = "crawl", **kwargs: Any
    ):
        super().__init__(name=f"source:{source['id']}", **kwargs)
        self.probe = mode == "probe"  # discovery only: no article pages are fetched
        self.candidates: set[str] = set()
        # News-listing links seen, and fetched pages that only such a link would make
        # articles (they may come in through the sitemap before the listing is read).
        self.listed: set[str] = set()
        self.needs_listing: set[str] = set()
        self.source = source
        self.config = config
        self.home = source["url"]
        self.override = override_for(source)
        self.report = SourceReport(source["id"])
        self.robots: Protego | None = None
        self.robots_unreachable = False
        self.obey_robots = bool(config["crawl.obey_robots"])
        self.max_pages = int(source.get("max_pages") or config["crawl.max_pages_per_source"])
        self.recheck_days = float(config["crawl.recheck_articles_after_days"])
        self.store = shared_store(config)
        self.known: dict[str, PageState] = self.store.known_pages(source["id"])
        self.scheduled = 0
        self.today = date.today()

    # -- scheduling ----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        yield Request(
            urljoin(self.home, "/robots.txt"),
            callback=self.parse_robots,
            errback=self.robots_failed,
            meta={"role": "robots", "handle_httpstatus_all": True},
            priority=PRIORITY["robots"],
            dont_filter=True,
        )

    def robots_allow(self, url: str) -> bool:
        if self.robots_unreachable:
            return False
        if not self.obey_robots or self.robots is None or not urls.same_site(url, self.home):
            return True
        return bool(self.robots.can_fetch(url, self.config["crawl.user_agent"]))

    def follow(
        self,
        url: str,
        role: str,
        depth: int = 0,
        entry: Entry | None = None,
        title: str = "",
        optional: bool = False,
        via: str = "",
    ) -> Request | None:
        """`via`: the role of the page that linked this one (a news listing vouches for an
        article that shows no date)."""
        url = urls.canonical(url)
        configured = role in ("feed", "sitemap") and depth == 0
        if urls.is_skipped(url) or not (configured or urls.same_site(url, self.home)):
            return None
        if urls.is_document(url):
            self.report.found("documents", {"url": url, "title": title})
            return None
        if role == "page" and not self.override.wants(url):
            return None
        if role == "page":
            self.candidates.add(url)
            self.report.discovery["article_links"] = len(self.candidates)
            if self.probe:
                return None
        known = self.known.get(url)
        if role == "page" and self._still_fresh(known, entry):
            self.report.skipped_known += 1
            return None
        if self.scheduled >= self.max_pages:
            self.report.note(f"page cap of {self.max_pages} reached")
            return None
        self.scheduled += 1
        headers = {}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return Request(
            url,
            callback=self.parse_any,
            errback=self.failed,
            headers=headers,
            priority=PRIORITY[role],
            meta={
                "role": role, "hops": depth, "entry": entry, "optional": optional, "via": via
            },
        )  # fmt: skip

    def _still_fresh(self, known: PageState | None, entry: Entry | None) -> bool:
        """A stored article needs no request unless a sitemap says it changed since."""
        if known is None or not known.is_article or known.checked_at is None:
            return False
        checked = known.checked_at.date()
        if entry is not None and entry.lastmod and entry.lastmod > checked.isoformat():
            return False
        return (self.today - checked).days < self.recheck_days

    # -- robots --------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if response.status >= 500:
            yield from self._robots_unreachable(response.url, f"HTTP {response.status}")
            return
        if response.status == 200:
            self.robots = parse_robots(decode_html(response.body).text)
            for sitemap in self.robots.sitemaps:
                self.report.found("sitemaps", sitemap)
            self._honour_crawl_delay()
        yield from self.entry_points()

    def _honour_crawl_delay(self) -> None:
        """robots.txt's Crawl-delay becomes the least delay between requests to the host
        (whose download slot exists since robots.txt was fetched through it)."""
        assert self.robots is not None
        asked = self.robots.crawl_delay(self.config["crawl.user_agent"])
        if not asked or not self.obey_robots:
            return
        delay = min(float(asked), MAX_CRAWL_DELAY)
        engine = self.crawler.engine
        for slot in engine.downloader.slots.values() if engine else []:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0  # random jitter would go below the asked delay half the time
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, AutoThrottle):
                extension.mindelay = max(extension.mindelay, delay)
        self.report.note(f"robots.txt Crawl-delay {asked}s honoured as {delay:.1f}s")

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        url = failure.request.url  # type: ignore[attr-defined]
        yield from self._robots_unreachable(url, _describe(failure))

    def _robots_unreachable(self, url: str, why: str) -> Iterator[Request]:
        # RFC 9309: an unreachable robots.txt means nothing may be crawled for now.
        self.robots_unreachable = True
        self.report.error(url, f"robots.txt unreachable ({why}); source skipped this run")
        return iter(())

    def entry_points(self) -> Iterator[Request]:
        requests = [self.follow(self.home, "home")]
        requests += [self.follow(u, "feed") for u in self._configured("feeds")]
        sitemaps = self._configured("sitemaps") + list(self.report.discovery["sitemaps"])
        requests += [self.follow(u, "sitemap") for u in sitemaps]
        requests += [self.follow(u, "listing", depth=1) for u in self._configured("listings")]
        if not sitemaps:
            requests.append(
                self.follow(urljoin(self.home, "/sitemap.xml"), "sitemap", optional=True)
            )
        yield from (r for r in requests if r is not None)

    def _configured(self, key: str) -> list[str]:
        values = list(self.source.get(key) or []) + list(getattr(self.override, key))
        return [urljoin(self.home, v) for v in values]

    # -- responses -----------------------------------------------------------------------

    def parse_any(self, response: Response) -> Iterator[Any]:
        started = time.perf_counter()
        results = list(self._parse_any(response))
        self.report.timings["analysis"] += time.perf_counter() - started
        yield from results

    def _parse_any(self, response: Response) -> Iterator[Any]:
        role = response.meta["role"]
        self.report.pages += response.status != 304
        body, not_modified = response.body, response.status == 304
        if not_modified:
            self.report.not_modified += 1
            body = self.store.stored_body(self._key(response)) or b""
        ctype = (_header(response, b"Content-Type") or "").lower()
        kind = sniff(body) if role in ("feed", "sitemap") or "xml" in ctype else None
        if kind == "feed":
            yield from self.parse_feed(response, body, not_modified)
        elif kind == "sitemap":
            yield from self.parse_sitemap(response, body, not_modified)
        elif ctype.startswith(HTML_TYPES) or (not ctype and b"<html" in body[:2048].lower()):
            yield from self.parse_html(response, body, ctype, not_modified)
        elif urls.is_document(response.url) or ctype.startswith("application/"):
            title = (response.meta.get("entry") or Entry(response.url)).title or ""
            self.report.found("documents", {"url": response.url, "title": title, "type": ctype})
        elif not response.meta.get("optional"):
            self.report.error(response.url, f"unexpected content type {ctype or 'none'}")

    def _key(self, response: Response) -> str:
        url = urls.canonical(response.request.url if response.request else response.url)
        known = self.known.get(url) or self.known.get(urls.canonical(response.url))
        return known.url if known else url

    def _page(self, response: Response, body: bytes, not_modified: bool, **kw: Any) -> PageItem:
        return PageItem(
            source=self.source["id"],
            url=kw.pop("url", None) or self._key(response),
            final_url=response.url,
            status=200 if not_modified else response.status,
            content_type=_header(response, b"Content-Type"),
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            body=body,  # the store hashes it (procradar.core.hashing)
            not_modified=not_modified,
            language=self.source.get("language"),
            **kw,
        )

    def parse_feed(self, response: Response, body: bytes, not_modified: bool) -> Iterator[Any]:
        self.report.found("feeds", response.url)
        yield self._page(response, body, not_modified)
        entries = parse_feed(body, response.url)
        for entry in entries:
            request = self.follow(entry.url, "page", depth=MAX_DEPTH, entry=entry)
            if request:
                yield request

    def parse_sitemap(self, response: Response, body: bytes, not_modified: bool) -> Iterator[Any]:
        self.report.found("sitemaps", response.url)
        try:
            children, entries = parse_sitemap(body, self.config["crawl.max_body_bytes"])
        except (OSError, ValueError) as exc:
            self.report.error(response.url, f"unreadable sitemap: {exc}")
            return
        yield self._page(response, body, not_modified)
        for child in children:
            request = self.follow(child.url, "sitemap", depth=1)
            if request:
                yield request
        for entry in sorted(entries, key=lambda e: e.published or e.lastmod or "", reverse=True):
            request = self.follow(entry.url, "page", depth=MAX_DEPTH, entry=entry)
            if request:
                yield request

    def parse_html(
        self, response: Response, body: bytes, ctype: str, not_modified: bool
    ) -> Iterator[Any]:
        decoded = decode_html(body, None if not_modified else ctype)
        if decoded.mislabelled:
            self.report.error(
                response.url,
                f"charset mislabelled: declared {decoded.declared}, decoded as {decoded.encoding}",
            )
        text = relabel_utf8(decoded.text) if decoded.encoding != "utf-8" else decoded.text
        entry: Entry | None = response.meta.get("entry")
        from_listing = response.meta.get("via") == "listing" or (
            urls.canonical(response.url) in self.listed
        )
        info = analyse(
            text, urls.canonical(response.url), bool(entry and entry.published), from_listing
        )
        if info is None:
            self.report.error(response.url, "unparseable HTML")
            return
        role, depth = response.meta["role"], response.meta["hops"]
        if not_modified and self._stored_as_article(response):
            yield self._page(response, b"", True)
            return
        is_article = info.is_article and role not in ("home",) and self.override.is_article(info)
        if info.article_if_listed:
            self.needs_listing.add(urls.canonical(response.url))
        utf8 = text.encode("utf-8")
        yield self._page(
            response,
            utf8,
            not_modified,
            url=None if not_modified else info.canonical,
            is_article=is_article,
            html=text,
            title=(info.title if info.title_from_h1 else None)
            or (entry and entry.title)
            or info.title,
            published=(entry.published if entry else None) or info.published,
        )
        yield from self._documents(info)
        if is_article:
            return
        if info.pagination and depth >= MAX_DEPTH:
            # A paginated news listing named in the sitemap (sitemap entries come at the
            # deepest level) is still a listing: its pages and its links are followed.
            role, depth = "listing", 1
        yield from self._expand(info, role, depth)

    def _stored_as_article(self, response: Response) -> bool:
        known = self.known.get(self._key(response))
        return bool(known and known.is_article)

    def _documents(self, info: PageInfo) -> Iterator[Request]:
        for link in info.content_links:
            if urls.is_document(link.url):
                self.report.found("documents", {"url": link.url, "title": link.text})
        return iter(())

    def _expand(self, info: PageInfo, role: str, depth: int) -> Iterator[Request]:
        """Follow a non-article page's links: feeds, listings, pagination, article candidates."""
        requests: list[Request | None] = []
        for feed in info.feeds:
            requests.append(self.follow(feed, "feed"))
        if role == "home":
            for link in info.nav_listings:
                self.report.found("listings", link.url)
                requests.append(self.follow(link.url, "listing", depth=1))
        if depth < MAX_DEPTH:
            requests += [self.follow(u, "listing", depth=depth) for u in info.pagination]
            for link in info.content_links:
                if role == "listing":
                    requests.append(self._vouch(link.url))
                requests.append(
                    self.follow(link.url, "page", depth=depth + 1, title=link.text, via=role)
                )
        yield from (r for r in requests if r is not None)

    def _vouch(self, url: str) -> Request | None:
        """A news listing links `url`. If the page came in already and lacked only that link
        to be an article, fetch it again as one (the scheduler drops a plain second request)."""
        url = urls.canonical(url)
        self.listed.add(url)
        if url not in self.needs_listing:
            return None
        self.needs_listing.discard(url)
        meta = {"role": "page", "hops": MAX_DEPTH, "entry": None, "optional": False}
        return Request(
            url,
            callback=self.parse_any,
            errback=self.failed,
            priority=PRIORITY["page"],
            dont_filter=True,
            meta={**meta, "via": "listing"},
        )

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, Refused) and "robots" in str(failure.value):
            return  # counted in discovery.robots_disallowed, not a fault of the site
        if request.meta.get("optional") and "404" in _describe(failure):
            self.report.note(f"no {request.url}")
            return
        if request.meta.get("role") == "page" and "404" in _describe(failure):
            self.report.error(request.url, "HTTP 404 (broken link)")
            return
        self.report.error(request.url, _describe(failure))

    def closed(self, reason: str) -> None:
        if reason not in ("finished",):
            self.report.note(f"closed: {reason}")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _describe(failure: Failure) -> str:
    exc = failure.value
    response = getattr(exc, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
