"""Story links inside the store: near-duplicate candidates through the indexed band keys of
procradar.core.neardup, confirmed shingle by shingle. Called by procradar.core.article_write
only, inside the store's article transaction."""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from sqlalchemy import bindparam, delete, func, select

from procradar.core import neardup
from procradar.core.schema import article_bands, articles

MAX_CANDIDATES = 8  # the stored articles sharing most band keys; copies share many
CACHE_SIZE = 2000  # shingle sets of recently stored articles (a crawl links to recent ones)


class ShingleCache:
    """Shingles of articles this process stored lately, so most confirmations need no read."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[str, frozenset[int]] = OrderedDict()

    def get(self, url: str) -> frozenset[int] | None:
        found = self._items.get(url)
        if found is not None:
            self._items.move_to_end(url)
        return found

    def put(self, url: str, shingles: frozenset[int]) -> None:
        self._items[url] = shingles
        self._items.move_to_end(url)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


# Built once: the stored articles sharing most band keys with a new one (copies share
# many), with what choosing among them needs; one query per new article.
_HITS = func.count().label("hits")
_RANKED = (
    select(article_bands.c.url, _HITS)
    .where(
        article_bands.c.band_key.in_(bindparam("keys", expanding=True)),
        article_bands.c.url != bindparam("url"),
    )
    .group_by(article_bands.c.url)
    .order_by(_HITS.desc(), article_bands.c.url)
    .limit(MAX_CANDIDATES)
    .subquery()
)
_CANDIDATES = select(articles.c.url, articles.c.story_url, articles.c.created_at).join_from(
    _RANKED, articles, articles.c.url == _RANKED.c.url
)


def story_of(conn: Any, url: str, sketch: neardup.Sketch | None, cache: ShingleCache) -> str:
    """The story URL a new article at `url` belongs to: a confirmed near-duplicate's, else
    its own."""
    if sketch is None:
        return url
    rows = conn.execute(_CANDIDATES, {"keys": sorted(set(sketch.bands)), "url": url}).all()
    # The earliest stored copy first, so a story keeps pointing at its first-seen article.
    for row in sorted(rows, key=lambda r: (r.created_at is None, r.created_at, r.url)):
        if neardup.same_story(sketch.shingles, _shingles(conn, row.url, cache)):
            return str(row.story_url or row.url)
    return url


def _shingles(conn: Any, url: str, cache: ShingleCache) -> frozenset[int]:
    found = cache.get(url)
    if found is None:
        data = conn.execute(select(articles.c.data).where(articles.c.url == url)).scalar()
        found = neardup.shingles(str(json.loads(data).get("text") or "") if data else "")
        cache.put(url, found)
    return found


def write_bands(
    conn: Any,
    url: str,
    sketch: neardup.Sketch | None,
    cache: ShingleCache,
    replace: bool = True,
) -> None:
    """The band rows of the article at `url`; `replace=False` when it has none yet."""
    if replace:
        conn.execute(delete(article_bands).where(article_bands.c.url == url))
    if sketch is None:
        return
    conn.execute(
        article_bands.insert(), [{"band_key": key, "url": url} for key in set(sketch.bands)]
    )
    cache.put(url, sketch.shingles)
