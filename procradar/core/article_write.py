"""How Store.upsert_articles writes one article inside its transaction: the stored JSON,
the first-seen date, the story link (procradar.core.stories) and the row. Statements are
built once; building them per call cost more than the writes."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from procradar.core import neardup, stories
from procradar.core.models import Article
from procradar.core.schema import articles

# An article row written (statements built once; the columns come from the parameters).
_ARTICLE_INSERT = articles.insert()
_ARTICLE_UPDATE = update(articles).where(articles.c.url == bindparam("key"))
# What an article write needs of the stored rows, for a batch of URLs (built once).
_ROWS = select(
    articles.c.url,
    articles.c.data,
    articles.c.story_url,
    articles.c.content_hash,
    articles.c.created_at,
).where(articles.c.url.in_(bindparam("urls", expanding=True)))


@dataclass
class Stored:
    """An article row as far as a write needs it."""

    data: str
    story_url: str | None
    content_hash: str | None
    created_at: datetime | None


def stored_rows(conn: Any, urls: list[str]) -> dict[str, Stored]:
    """The stored rows of these URLs that exist, by URL (one query per 500)."""
    found: dict[str, Stored] = {}
    for start in range(0, len(urls), 500):
        for row in conn.execute(_ROWS, {"urls": urls[start : start + 500]}):
            found[row.url] = Stored(row.data, row.story_url, row.content_hash, row.created_at)
    return found


def write(
    conn: Any,
    article: Article,
    content_hash: str | None,
    sketch: neardup.Sketch | None,
    old: Stored | None,
    shingles: stories.ShingleCache,
) -> tuple[str, Stored]:
    """One article's write inside Store.upsert_articles' transaction (`old`: its row
    before, if any): the outcome and what the row now holds."""
    article.fingerprint = sketch.fingerprint if sketch else None
    # An undated article is dated by the day the store first held it (first seen).
    seen = old.created_at if old is not None and old.created_at else _now()
    article.first_seen = None if article.published else seen.date().isoformat()
    payload = article_json(article)
    if old is not None and old.data == payload:
        # The same article from new bytes or a re-enrichment: the bookkeeping columns
        # still follow, so the page is not picked up again.
        content_hash = content_hash or old.content_hash
        conn.execute(
            _ARTICLE_UPDATE,
            {
                "key": article.url,
                "content_hash": content_hash,
                "enrichment_version": article.enrichment_version,
            },
        )
        return "unchanged", Stored(old.data, old.story_url, content_hash, old.created_at)
    story_url = old.story_url if old else stories.story_of(conn, article.url, sketch, shingles)
    values = {
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "published": article.published,
        "language": article.language,
        "kind": article.kind,
        "content_hash": content_hash,
        "fingerprint": article.fingerprint,
        "story_url": story_url,
        "enrichment_version": article.enrichment_version,
        "data": payload,
        "updated_at": _now(),
        "indexed_at": None,
    }
    # a URL stored for the first time has no band rows to replace
    stories.write_bands(conn, article.url, sketch, shingles, replace=old is not None)
    if old is None:
        created = values["created_at"] = _now()
        conn.execute(_ARTICLE_INSERT, values)
        return "new", Stored(payload, story_url, content_hash, created)
    conn.execute(_ARTICLE_UPDATE, {**values, "key": article.url})
    return "updated", Stored(payload, story_url, content_hash, old.created_at)


def article_json(article: Article) -> str:
    """The stored JSON of an article: the same text as json.dumps(article.to_dict(),
    ensure_ascii=False, sort_keys=True), without to_dict's deep copy of every value (most
    of an article write's cost): the encoder asks for each dataclass's fields as met."""
    return json.dumps(article, ensure_ascii=False, sort_keys=True, default=_fields)


def _fields(value: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _now() -> datetime:
    return datetime.now(UTC)
