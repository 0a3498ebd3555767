"""Whole responses of anonymous GET pages and API answers, kept per process.

The key is the full URL, the interface language, the Accept-Encoding header and the index
generation (base.Index.generation): any write to the index starts a new generation, so no
answer outlives the data it was made from. Entries also expire after
`web.response_cache.seconds` (the store-only parts of a page, such as a source's last
crawl, change without an index write) and the cache is bounded by
`web.response_cache.entries` and `web.response_cache.megabytes` (least recently used
goes first). `entries: 0` turns it off.

What is never kept: anything but a 200 answer to a GET, responses that set a cookie,
pages that rendered a CSRF token or read the session (per-user content), requests that
carry a cookie other than the interface language, and every blueprint not listed in
CACHEABLE (the composition root's subscription pages, /follow, are not).

Each kept answer gets an ETag (a hash of its body); If-None-Match with it gets a 304.
`X-Cache: hit|miss` says which it was (the bench counts it).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from flask.globals import request_ctx
from werkzeug.wrappers import Response as BaseResponse

from search_app.i18n import COOKIE, ui_lang
from search_app.resources import index_generation
from search_app.shared_cache import FILE_NAME, SharedCache

log = logging.getLogger(__name__)
#: search_app's own blueprints (static files have their own Cache-Control)
CACHEABLE = frozenset({"search", "articles", "orgs", "trends", "events", "feeds", "api"})
#: headers another hook sets afresh on every answer, a kept one included
FRESH_HEADERS = frozenset({"set-cookie", "date", "x-cache", "retry-after"})
Key = tuple[str, str, str, "int | str"]


@dataclass
class Entry:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    made: float


class ResponseCache:
    """A bounded LRU of responses; thread-safe (waitress serves on several threads). With
    `shared`, what this process misses is looked up in the file every worker writes to."""

    def __init__(
        self, entries: int, max_bytes: int, seconds: float, shared: SharedCache | None = None
    ):
        self.entries, self.max_bytes, self.seconds = entries, max_bytes, seconds
        self.shared = shared
        self.items: OrderedDict[Key, Entry] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0
        self.lock = threading.Lock()

    def get(self, key: Key) -> Entry | None:
        now = time.time()
        with self.lock:
            entry = self.items.get(key)
            if entry is not None and now - entry.made < self.seconds:
                self.items.move_to_end(key)
                self.hits += 1
                return entry
            if entry is not None:
                self._drop(key)
        entry = self.shared.get(key) if self.shared else None
        with self.lock:
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
        self._keep(key, entry)
        return entry

    def put(self, key: Key, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 8:  # one huge CSV must not empty the cache
            return
        self._keep(key, entry)
        if self.shared:
            self.shared.put(key, entry)

    def _keep(self, key: Key, entry: Entry) -> None:
        with self.lock:
            if key in self.items:
                self._drop(key)
            self.items[key] = entry
            self.bytes += len(entry.body)
            while len(self.items) > self.entries or self.bytes > self.max_bytes:
                self._drop(next(iter(self.items)))

    def _drop(self, key: Key) -> None:
        self.bytes -= len(self.items.pop(key).body)


def init_app(app: Flask) -> None:
    """Register the lookup (after the rate limiter's check) and the store (after every
    other after_request hook, so the kept answer is the compressed one with its headers).
    Call once the other extensions are set up: the store hook is inserted first."""
    settings = app.config["PROCRADAR_SETTINGS"]
    entries = int(app.config.get("RESPONSE_CACHE_ENTRIES", settings["web.response_cache.entries"]))
    if entries <= 0:
        return
    max_bytes = int(settings["web.response_cache.megabytes"] * 1024 * 1024)
    seconds = float(settings["web.response_cache.seconds"])
    shared = None
    if app.config.get("RESPONSE_CACHE_SHARED", settings["web.response_cache.shared"]):
        path = Path(settings.data_dir) / FILE_NAME
        shared = SharedCache(path, entries, max_bytes, seconds)
    app.extensions["response_cache"] = ResponseCache(entries, max_bytes, seconds, shared)
    app.config.setdefault("RESPONSE_CACHE_BLUEPRINTS", CACHEABLE)
    app.before_request(_lookup)
    # after_request hooks run in reverse order of registration: first in the list runs last
    app.after_request_funcs.setdefault(None, []).insert(0, _store)


def _cache() -> ResponseCache:
    cache: ResponseCache = current_app.extensions["response_cache"]
    return cache


def _key() -> Key | None:
    if request.method != "GET" or request.blueprint not in current_app.config.get(
        "RESPONSE_CACHE_BLUEPRINTS", ()
    ):
        return None
    if any(name != COOKIE for name in request.cookies):  # a session: maybe per-user content
        return None
    try:
        generation = index_generation()
    except Exception:  # the view reports a broken index in its own words
        log.debug("no index generation; not cached", exc_info=True)
        return None
    return (request.url, ui_lang(), request.headers.get("Accept-Encoding", "")[:100], generation)


def _lookup() -> BaseResponse | None:
    key = _key()
    if key is None:
        return None
    entry = _cache().get(key)
    if entry is None:
        g.response_cache_key = key
        return None
    g.response_cache_hit = True
    response = Response(entry.body, status=entry.status, headers=entry.headers)
    response.headers["X-Cache"] = "hit"
    return response.make_conditional(request)


def _store(response: Response) -> BaseResponse:
    key = g.pop("response_cache_key", None)
    if g.get("response_cache_hit") or key is None:
        return response
    response.headers["X-Cache"] = "miss"
    if not _keepable(response):
        return response
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    response.set_etag(etag)
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in FRESH_HEADERS]
    _cache().put(
        key,
        Entry(response.status_code, headers, body, etag, time.time()),
    )
    return response.make_conditional(request)


def _keepable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.is_streamed
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and "csrf_token" not in g  # Flask-WTF keeps the token it rendered there
        and not _session_used()
        and "no-store" not in (response.headers.get("Cache-Control") or "")
        and "private" not in (response.headers.get("Cache-Control") or "")
    )


def _session_used() -> bool:
    """The page read or wrote the session (Flask 3.1's `session` proxy would mark it read
    by asking, so the context's own attribute is looked at)."""
    own = getattr(request_ctx, "_session", None)
    return bool(own is not None and (own.accessed or own.modified))


def stats(app: Flask) -> dict[str, int]:
    """Hits and misses of this process (0 and 0 when the cache is off)."""
    cache: ResponseCache | None = app.extensions.get("response_cache")
    if cache is None:
        return {"hits": 0, "misses": 0, "entries": 0}
    with cache.lock:
        return {"hits": cache.hits, "misses": cache.misses, "entries": len(cache.items)}
