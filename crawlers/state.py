"""What the store remembers about a source's pages, read with one query per source."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from sqlalchemy import select

from procradar.core.schema import articles, pages
from procradar.core.settings import Settings
from procradar.core.store import Store

_stores: dict[str, Store] = {}
_lock = Lock()


def shared_store(settings: Settings) -> Store:
    """One Store per database in this process: every source's crawler writes through it."""
    with _lock:
        if settings.database_url not in _stores:
            _stores[settings.database_url] = Store.open(settings)
        return _stores[settings.database_url]


def close_stores() -> None:
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


@dataclass
class Known:
    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    is_article: bool
    checked_at: datetime | None


def known_pages(store: Store, source: str) -> dict[str, Known]:
    """Stored pages of a source, reachable by canonical and by final URL."""
    query = select(
        pages.c.url,
        pages.c.final_url,
        pages.c.etag,
        pages.c.last_modified,
        pages.c.content_hash,
        pages.c.is_article,
        pages.c.checked_at,
    ).where(pages.c.source == source)
    out: dict[str, Known] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            known = Known(row.url, *row[2:])
            out[row.url] = known
            if row.final_url:
                out.setdefault(row.final_url, known)
    return out


def stored_body(store: Store, url: str) -> bytes | None:
    with store.engine.connect() as conn:
        raw = conn.execute(select(pages.c.raw).where(pages.c.url == url)).scalar()
    return zlib.decompress(raw) if raw else None


def article_exists(store: Store, url: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(articles.c.url).where(articles.c.url == url)).first() is not None


def fingerprints(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.fingerprint).where(articles.c.fingerprint.isnot(None))
        )
        return list(dict.fromkeys(rows.scalars()))


def text_with_fingerprint(store: Store, fingerprint: str) -> str | None:
    with store.engine.connect() as conn:
        data = conn.execute(
            select(articles.c.data).where(articles.c.fingerprint == fingerprint).limit(1)
        ).scalar()
    return str(json.loads(data).get("text") or "") if data else None
