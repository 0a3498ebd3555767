"""Which new articles each due subscription gets: its saved search run against the index,
restricted to articles indexed since its watermark, minus what its sent-log already holds
and what was stored before it was confirmed.

Subscriptions are matched in batches. Within a run, subscriptions with the same search
(the same words in any order, the same filters) and the same window share one index query;
the distinct queries of the next batch run on a few threads while the current batch is
composed and sent (SQLite lets go of the GIL while it searches, Elasticsearch is a network
call). The sent-log and first-stored look-ups are one query per few hundred articles, not
one per subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from digests.searches import SavedSearch
from procradar.core.index.base import MAX_LIMIT, Index
from procradar.core.subscriptions import Subscription, Subscriptions

log = logging.getLogger(__name__)
SEARCH_THREADS = 4
MAX_CACHED = 2000  # distinct searches kept between batches (their hits are held in memory)
# What composing a digest reads of an article; a long text is only needed for its snippet.
FIELDS = ("url", "title", "source", "published", "topics", "events", "summary")
TEXT_CHARS = 2000
Page = tuple[list[dict[str, Any]], int]  # hits (newest first) and how many match in all
Key = tuple[str, datetime, int, int]  # canonical search, since, offset, limit


@dataclass
class Due:
    sub: Subscription
    saved: SavedSearch


@dataclass
class Matched:
    sub: Subscription
    saved: SavedSearch
    articles: list[dict[str, Any]]  # at most max_articles, newest first
    total: int  # new articles in all (the digest lists `articles`, links to the rest)


def slim(article: dict[str, Any]) -> dict[str, Any]:
    out = {name: article.get(name) for name in FIELDS}
    if not out["summary"]:
        out["text"] = str(article.get("text") or "")[:TEXT_CHARS]
    return out


class Matching:
    def __init__(
        self,
        index: Index,
        subs: Subscriptions,
        max_articles: int,
        overlap: timedelta,
        threads: int = SEARCH_THREADS,
    ):
        self.index = index
        self.subs = subs
        self.max_articles = max_articles
        self.overlap = overlap
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="digest-search")
        self._pages: dict[Key, Future[Page]] = {}
        self._first_stored: dict[str, datetime] = {}

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Matching:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the window and the index --------------------------------------------------------

    def since(self, sub: Subscription) -> datetime:
        confirmed = sub.confirmed_at or sub.created_at
        return max((sub.checked_at or confirmed) - self.overlap, confirmed)

    def _key(self, saved: SavedSearch, since: datetime, offset: int, limit: int) -> Key:
        return (saved.canonical().to_json(), since, offset, limit)

    def _page(self, saved: SavedSearch, since: datetime, offset: int, limit: int) -> Future[Page]:
        key = self._key(saved, since, offset, limit)
        found = self._pages.get(key)
        if found is None:
            found = self._pool.submit(self._search, saved.canonical(), since, offset, limit)
            self._pages[key] = found
        return found

    def _search(self, saved: SavedSearch, since: datetime, offset: int, limit: int) -> Page:
        request = saved.request(limit, indexed_since=since)
        request.offset = offset
        result = self.index.search(request)
        return [slim(h.article) for h in result.hits], result.total

    def prefetch(self, batch: Iterable[Due]) -> None:
        """Start the first-page searches of `batch` (they run while the caller works)."""
        batch = list(batch)
        if len(self._pages) > MAX_CACHED:
            keep = {self._key(d.saved, self.since(d.sub), 0, self.max_articles) for d in batch}
            self._pages = {k: f for k, f in self._pages.items() if k in keep or not f.done()}
        for due in batch:
            self._page(due.saved, self.since(due.sub), 0, self.max_articles)

    # -- fresh articles ------------------------------------------------------------------

    def match(self, batch: list[Due]) -> list[Matched]:
        """The new articles of each subscription of `batch`, in order."""
        for due in batch:
            self._page(due.saved, self.since(due.sub), 0, self.max_articles)
        firsts = [
            self._page(d.saved, self.since(d.sub), 0, self.max_articles).result() for d in batch
        ]
        pairs = [
            (d.sub.id, str(h["url"]))
            for d, (hits, _) in zip(batch, firsts, strict=True)
            for h in hits
        ]
        logged = self.subs.already_queued_many(pairs)
        self._learn_first_stored(url for _, url in pairs)
        out = []
        for due, (hits, total) in zip(batch, firsts, strict=True):
            fresh = self._fresh(due.sub, hits, logged)
            skipped = len(hits) - len(fresh)
            if skipped and len(fresh) < self.max_articles and total > len(hits):
                # Some of the first page went before (the overlap window): read further.
                more, more_skipped = self._further(due, len(hits), self.max_articles - len(fresh))
                fresh += more
                skipped += more_skipped
            fresh = fresh[: self.max_articles]
            out.append(Matched(due.sub, due.saved, fresh, max(total - skipped, len(fresh))))
        return out

    def _further(self, due: Due, offset: int, wanted: int) -> tuple[list[dict[str, Any]], int]:
        """Pages after the first, for a subscription whose first page was partly sent."""
        since, page = self.since(due.sub), min(MAX_LIMIT, self.max_articles * 2)
        found: list[dict[str, Any]] = []
        skipped = 0
        while len(found) < wanted and offset < MAX_LIMIT:
            hits, total = self._page(due.saved, since, offset, page).result()
            urls = [str(h["url"]) for h in hits]
            logged = {(due.sub.id, u) for u in self.subs.already_queued(due.sub.id, urls)}
            self._learn_first_stored(urls)
            fresh = self._fresh(due.sub, hits, logged)
            skipped += len(hits) - len(fresh)
            found += fresh
            offset += page
            if offset >= total:
                break
        return found, skipped

    def _learn_first_stored(self, urls: Iterable[str]) -> None:
        unknown = list(dict.fromkeys(u for u in urls if u not in self._first_stored))
        if unknown:
            self._first_stored.update(self.subs.first_stored(unknown))

    def _fresh(
        self, sub: Subscription, hits: list[dict[str, Any]], logged: set[tuple[int, str]]
    ) -> list[dict[str, Any]]:
        """Hits not logged for this subscription and first stored after it was confirmed
        (a reindex rewrites every index timestamp; it must not make old articles new)."""
        confirmed = sub.confirmed_at or sub.created_at
        out = []
        for hit in hits:
            url = str(hit["url"])
            first = self._first_stored.get(url)
            if (sub.id, url) not in logged and first is not None and first >= confirmed:
                out.append(hit)
        return out
