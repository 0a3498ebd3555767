"""What the pages ask of the index and the store; views only render what comes back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from procradar.core.index.base import MAX_LIMIT, Hit, SearchRequest, SearchResult
from procradar.core.models import Article
from procradar.core.query import COUNTRIES
from procradar.core.taxonomy import TOPICS
from search_app.params import FILTERS, Params, article_id
from search_app.resources import get_index, get_store, index_generation

EVENT_CANDIDATES = 150  # newest matching articles scanned for past events
UPCOMING_CAP = 1000  # articles with an event still ahead, however old (the index finds them)
EVENT_KINDS = ["event_announcement"]  # where events are announced, unless a kind is chosen
CACHE_SECONDS = 30.0
T = TypeVar("T")


@dataclass
class Result:
    hit: dict[str, Any]  # the article fields plus id, snippet, copies
    copies: list[dict[str, str]] = field(default_factory=list)  # [{url, label}]


@dataclass
class Page:
    params: Params
    total: int
    results: list[Result]
    facets: dict[str, list[tuple[str, int]]]
    years: list[tuple[str, int]]
    page_size: int
    expansions: dict[str, list[str]]
    #: the search relaxed: query words left out, and words searched in another spelling
    dropped: list[str] = field(default_factory=list)
    respelled: dict[str, str] = field(default_factory=dict)
    #: the last `partial` results lack one of the query's words (see SearchResult.partial)
    partial: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def relaxed(self) -> bool:
        return bool(self.dropped or self.respelled)

    @property
    def kept(self) -> list[str]:
        """The query words the relaxed search kept, as searched (for the note)."""
        if not self.relaxed:
            return []
        dropped = {d.casefold() for d in self.dropped}
        respelled = {k.casefold(): v for k, v in self.respelled.items()}
        words = [w for w in self.params.q.split() if ":" not in w and not w.startswith("-")]
        kept = [respelled.get(w.casefold(), w) for w in words if w.casefold() not in dropped]
        return [w for w in kept if w.upper() not in ("AND", "OR", "NOT")]

    @property
    def also_searched(self) -> list[str]:
        """Equivalent words the query was expanded to (topic expansions apart)."""
        return sorted(
            {w for more in self.expansions.values() for w in more if not w.startswith("topic:")}
        )

    @property
    def also_tagged(self) -> list[str]:
        """Topics whose articles a query word also lifts (`topic:<id>` expansions)."""
        tagged = {w[6:] for more in self.expansions.values() for w in more if w[:6] == "topic:"}
        return sorted(t for t in tagged if t in TOPICS)


class TtlCache:
    """Aggregates (trends, events, histograms) asked for again within seconds."""

    def __init__(self, seconds: float = CACHE_SECONDS, size: int = 256):
        self.seconds, self.size = seconds, size
        self.items: dict[Any, tuple[float, Any]] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], T]) -> T:
        now = time.monotonic()
        with self.lock:
            found = self.items.get(key)
            if found and now - found[0] < self.seconds:
                return found[1]  # type: ignore[no-any-return,unused-ignore]
        value = make()
        with self.lock:
            if len(self.items) >= self.size:
                self.items.clear()
            self.items[key] = (now, value)
        return value


class _AppCache:
    """The TtlCache of the current app (each app has its own index, so its own cache).
    Keys carry the index generation: a write to the index is seen at once."""

    def get(self, key: Any, make: Callable[[], T]) -> T:
        from flask import current_app

        res = current_app.extensions["procradar"]
        if "cache" not in res:
            res.setdefault("cache", TtlCache())
        cache: TtlCache = res["cache"]
        return cache.get((index_generation(), key), make)


CACHE = _AppCache()


def _key(req: SearchRequest, *extra: Any) -> tuple[Any, ...]:
    return (repr(req), *extra)


def search(params: Params, page_size: int, snippets: bool = True, facets: bool = True) -> Page:
    """A user's search: it relaxes (words dropped or respelled) rather than find nothing.
    `facets=False`: the page's facets come back empty (the API's search omits them)."""
    index = get_index()
    if params.sort == "event":
        result = _by_event_date(params, page_size)
    else:
        req = params.request(page_size, relax=True, snippets=snippets, facets=facets)
        # The same search within seconds (a reload, the JSON twin, the landing page) is
        # answered from the cache: the index changes only when the crawler writes.
        result = CACHE.get(_key(req, "search"), lambda: index.search(req))
    years: list[tuple[str, int]] = []
    if not (result.dropped or result.respelled):
        every = params.request(0, 0, facets=False, sort="relevance")  # any page, any order
        years = CACHE.get(
            _key(every, "year"),
            lambda: [(p, n) for p, n in index.histogram(every, "year") if n],
        )
    return Page(
        params=params,
        total=result.total,
        results=group_copies(result.hits),
        facets=_linkable(result.facets),
        years=sorted(years, reverse=True),
        page_size=page_size,
        expansions=result.expansions,
        dropped=list(result.dropped),
        respelled=dict(result.respelled),
        partial=result.partial,
    )


def _linkable(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, int]]]:
    """Facet values a filter link can carry (no `und` language, no empty source)."""
    out = {}
    for name, values in facets.items():
        allowed = FILTERS.get(name, ("", None))[1]
        out[name] = [(v, n) for v, n in values if v and (allowed is None or v in allowed)]
    return out


def _by_event_date(params: Params, page_size: int) -> SearchResult:
    """Articles with an event still ahead first (soonest first), then the rest newest first.
    Hits come without snippets (a thousand candidates would cost more than the page); the
    page shows their summaries."""
    index = get_index()
    found = index.search(params.request(page_size, 0, relax=True, snippets=False))
    today = date.today().isoformat()
    ahead = params.request(
        UPCOMING_CAP, 0, relax=True, facets=False, snippets=False, event_after=today
    )
    upcoming = sorted(index.search(ahead).hits, key=lambda h: next_event(h.article, today) or "")
    start = (params.page - 1) * page_size
    hits = upcoming[start : start + page_size]
    if len(hits) < page_size:  # past the upcoming ones: the others, newest first
        seen = {h.url for h in upcoming}
        # the newest-first list holds the upcoming ones too: fetch past them
        need = min(MAX_LIMIT, start + page_size + len(upcoming))
        rest = params.request(need, 0, relax=True, facets=False, snippets=False, sort="date")
        others = [h for h in index.search(rest).hits if h.url not in seen]
        skip = max(0, start - len(upcoming))
        hits += others[skip : skip + page_size - len(hits)]
    return replace(found, hits=hits)


def next_event(article: dict[str, Any], today: str) -> str | None:
    dates = [str(e.get("date") or "") for e in article.get("events") or []]
    upcoming = sorted(d for d in dates if d >= today)
    return upcoming[0] if upcoming else None


def count(params: Params) -> int:
    return get_index().search(params.request(0, 0, facets=False)).total


def index_size() -> int:
    return CACHE.get("count", lambda: get_index().count())


def group_copies(hits: list[Hit]) -> list[Result]:
    """One result per story: a hit whose URL is a known copy of an earlier hit joins it."""
    results: list[Result] = []
    owner: dict[str, Result] = {}
    for hit in hits:
        article = hit.article
        url = str(article["url"])
        if url in owner:
            owner[url].copies.append({"url": url, "label": source_label(article)})
            continue
        result = Result(hit={**article, "id": article_id(url), "snippet": hit.snippet})
        for link in article.get("links") or []:
            owner.setdefault(str(link), result)
        for link in article.get("links") or []:
            result.copies.append({"url": str(link), "label": host(str(link))})
        results.append(result)
    for result in results:  # copies seen on this page carry their source's name
        seen: dict[str, str] = {}
        for c in result.copies:
            seen.setdefault(c["url"], c["label"])
        result.copies = [{"url": u, "label": lbl} for u, lbl in seen.items()]
    return results


def host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def source_label(article: dict[str, Any]) -> str:
    from search_app.sources import source_name

    return source_name(article.get("source")) or host(str(article.get("url", "")))


# -- articles ----------------------------------------------------------------------------


def article(url: str) -> Article | None:
    return get_store().get_article(url)


def similar(url: str, limit: int = 5) -> list[dict[str, Any]]:
    """The most expensive part of an article page (a ranked OR over its distinctive
    words), so kept a while for the next reader of the same article."""

    def make() -> list[dict[str, Any]]:
        hits = get_index().more_like_this(url, limit)
        fields = ("url", "title", "published", "source")
        return [{**{k: h.article.get(k) for k in fields}, "id": article_id(h.url)} for h in hits]

    return CACHE.get(("similar", url, limit), make)


def copies(art: Article) -> list[dict[str, Any]]:
    out = []
    for link in art.links:
        other = get_store().get_article(link)
        out.append(
            {
                "url": link,
                "id": article_id(link),
                "title": other.title if other else "",
                "source": other.source if other else None,
            }
        )
    return out


# -- organisations, sources, trends, events ----------------------------------------------


def profile(params: Params, limit: int = 10) -> dict[str, Any]:
    """Latest articles, topic mix, activity per month and upcoming events of a filter set
    (one organisation or one source)."""
    index = get_index()
    latest = index.search(params.request(limit, 0, snippets=False))
    months = CACHE.get(
        _key(params.request(0, 0), "month"), lambda: index.histogram(params.request(0, 0))
    )
    return {
        "total": latest.total,
        "latest": [{**h.article, "id": article_id(h.url)} for h in latest.hits],
        "topics": latest.facets.get("topic", []),
        "kinds": latest.facets.get("kind", []),
        "months": months[-24:],
        "events": events(params)[:10],
    }


def events(params: Params) -> list[dict[str, Any]]:
    """Events of matching articles: every upcoming one (soonest first), then the past ones
    of the newest articles (latest first)."""
    today = date.today().isoformat()
    kinds = list(params.filters.get("kind", ())) or list(EVENT_KINDS)
    ahead = params.request(UPCOMING_CAP, 0, facets=False, snippets=False, kinds=kinds)
    ahead.event_after = today
    recent = params.request(EVENT_CANDIDATES, 0, facets=False, snippets=False, kinds=kinds)
    recent.sort = "date"

    def make() -> list[dict[str, Any]]:
        index = get_index()
        hits = {h.url: h for h in index.search(ahead).hits}
        for hit in index.search(recent).hits:
            hits.setdefault(hit.url, hit)
        out = []
        for hit in hits.values():
            for event in hit.article.get("events") or []:
                when = str(event.get("date") or "")
                if not when:
                    continue
                out.append(
                    {
                        **{k: event.get(k) for k in ("date", "place", "title", "organizer")},
                        "registration_url": event.get("registration_url"),
                        "upcoming": when >= today,
                        "article": {
                            k: hit.article.get(k) for k in ("url", "title", "source", "language")
                        },
                        "article_id": article_id(hit.url),
                        "organizer": event.get("organizer") or _buyer(hit.article),
                    }
                )
        upcoming = sorted((e for e in out if e["upcoming"]), key=lambda e: e["date"])
        past = sorted((e for e in out if not e["upcoming"]), key=lambda e: e["date"], reverse=True)
        return upcoming + past

    return CACHE.get(_key(ahead, "events", today), make)


def _buyer(article: dict[str, Any]) -> str | None:
    orgs = article.get("organizations") or []
    return str(orgs[0]["name"]) if orgs else None


TREND_TOPICS = 6
TREND_ORGS = 5


def trends(params: Params, compare: list[str]) -> dict[str, Any]:
    """Monthly series: all matching articles; each top topic's share of them (normalised);
    per country; per top organisation; and up to four compared queries."""
    index = get_index()
    base = params.request(0, 0)

    def months(req: SearchRequest) -> dict[str, int]:
        return dict(CACHE.get(_key(req, "month"), lambda: index.histogram(req)))

    def make() -> dict[str, Any]:
        found = index.search(replace(base, facets=True))
        total = months(base)
        periods = list(total)
        topics = [t for t, _n in found.facets.get("topic", [])[:TREND_TOPICS]]
        orgs = [o for o, _n in found.facets.get("org", [])[:TREND_ORGS]]
        countries = [c for c, _n in found.facets.get("country", []) if c in COUNTRIES]

        def series(field: str, values: list[str]) -> dict[str, list[int]]:
            lines = {v: dict(line) for v, line in index.histograms(base, field, values).items()}
            return {v: [lines[v].get(p, 0) for p in periods] for v in values}

        topic_counts = series("topics", topics)
        share = {
            t: [
                round(100 * n / total[p], 1) if total[p] else 0.0
                for n, p in zip(c, periods, strict=True)
            ]
            for t, c in topic_counts.items()
        }
        compared = {}
        for q in compare:
            got = months(replace(base, query=_both(params.q, q)))
            compared[q] = [got.get(p, 0) for p in periods]
        return {
            "periods": periods,
            "total": [total[p] for p in periods],
            "topic_share": share,
            "topic_count": topic_counts,
            "country": series("countries", countries),
            "org": series("orgs", orgs),
            "compare": compared,
        }

    return CACHE.get(_key(base, "trends", tuple(compare)), make)


def _both(query: str, extra: str) -> str:
    return f"{query} {extra}".strip() if query else extra
