"""The store: raw pages, articles and crawl state — the source of truth.

SQLAlchemy Core on SQLite by default (any SQLAlchemy URL works). The schema is created and
upgraded by Alembic migrations on open, so an old data dir is brought up to date in place.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from procradar.core import article_write, connect, neardup, stories
from procradar.core.article_write import article_json
from procradar.core.hashing import content_hash
from procradar.core.models import Article
from procradar.core.pending import PendingPage
from procradar.core.schema import articles, crawl_runs, pages
from procradar.core.settings import Settings

__all__ = ["Page", "PageState", "PendingPage", "Store", "article_json"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Insert statements with ON CONFLICT (the same API in both dialects).
_INSERTS: dict[str, Any] = {"sqlite": sqlite_insert, "postgresql": pg_insert}
# PostgreSQL advisory lock keys (any 64-bit numbers no other program on the database uses).
MIGRATE_LOCK = 0x70726F6372616401
ARTICLE_WRITE_LOCK = 0x70726F6372616402
_PAGE_HASH = select(pages.c.content_hash).where(pages.c.url == bindparam("url"))
# The articles of a batch of stories (built once).
_MEMBERS = select(articles.c.url, articles.c.story_url).where(
    articles.c.story_url.in_(bindparam("stories", expanding=True))
)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Page:
    url: str
    source: str
    body: bytes
    final_url: str | None = None
    status: int = 200
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None  # set by Store.save_page (procradar.core.hashing)
    is_article: bool = False
    fetched_at: datetime | None = None
    hints: dict[str, Any] | None = None  # title, published, language the crawler saw

    @property
    def html(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class PageState:
    """What a conditional request needs to know about a page fetched before."""

    etag: str | None
    last_modified: str | None
    content_hash: str | None
    is_article: bool
    url: str = ""  # the canonical URL it is stored under
    checked_at: datetime | None = None


class Store:
    def __init__(self, url: str):
        self.engine: Engine = connect.engine_for(url)
        self._shingles = stories.ShingleCache()
        self._statements: dict[tuple[str, str, tuple[str, ...]], Any] = {}
        self.migrate()

    @classmethod
    def open(cls, settings: Settings) -> Store:
        return cls(settings.database_url)

    def migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            self._lock(conn, MIGRATE_LOCK)  # processes opening a fresh store at once
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- pages -------------------------------------------------------------------------

    def save_page(self, page: Page) -> str:
        """Store a fetched page; returns "new", "changed" or "unchanged" (same content hash).

        The content hash is computed here, the same way for every path into the store."""
        page.content_hash = content_hash(page.body)
        with self.engine.connect() as conn:
            old = conn.execute(_PAGE_HASH, {"url": page.url}).first()
        outcome = "new" if old is None else "unchanged"
        if old is not None and old.content_hash != page.content_hash:
            outcome = "changed"
        values = {
            "url": page.url,
            "source": page.source,
            "final_url": page.final_url,
            "status": page.status,
            "content_type": page.content_type,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "content_hash": page.content_hash,
            "raw": zlib.compress(page.body, 6),
            "is_article": page.is_article,
            "hints": json.dumps(page.hints, ensure_ascii=False) if page.hints else None,
            "fetched_at": page.fetched_at or now(),
            "checked_at": now(),
        }
        if outcome == "unchanged":
            del values["raw"]  # the same bytes: spare the compression and the write
        self._upsert(pages, values, "url")
        return outcome

    def page_state(self, url: str) -> PageState | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    pages.c.etag, pages.c.last_modified, pages.c.content_hash, pages.c.is_article
                ).where(pages.c.url == url)
            ).first()
        return PageState(*row) if row else None

    def page_states(self, source: str) -> dict[str, PageState]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    pages.c.url,
                    pages.c.etag,
                    pages.c.last_modified,
                    pages.c.content_hash,
                    pages.c.is_article,
                ).where(pages.c.source == source)
            )
            return {r[0]: PageState(*r[1:]) for r in rows}

    def known_pages(self, source: str) -> dict[str, PageState]:
        """Stored pages of a source, reachable by canonical and by final URL (what the
        crawler needs for conditional requests and freshness)."""
        query = select(
            pages.c.url,
            pages.c.final_url,
            pages.c.etag,
            pages.c.last_modified,
            pages.c.content_hash,
            pages.c.is_article,
            pages.c.checked_at,
        ).where(pages.c.source == source)
        out: dict[str, PageState] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                state = PageState(
                    row.etag,
                    row.last_modified,
                    row.content_hash,
                    bool(row.is_article),
                    url=row.url,
                    checked_at=row.checked_at,
                )
                out[row.url] = state
                if row.final_url:
                    out.setdefault(row.final_url, state)
        return out

    def stored_body(self, url: str) -> bytes | None:
        with self.engine.connect() as conn:
            raw = conn.execute(select(pages.c.raw).where(pages.c.url == url)).scalar()
        return zlib.decompress(raw) if raw else None

    def pages_to_enrich(
        self, version: str, limit: int, skip: frozenset[str] | set[str] = frozenset()
    ) -> list[PendingPage]:
        """Article pages whose article is missing, enriched by another version than
        `version`, or enriched from other content than the page now holds (oldest first).
        URLs in `skip` (in flight, or failed this run) are left out."""
        return self.pending_pages(self.urls_to_enrich(version, limit, skip))

    def urls_to_enrich(
        self, version: str, limit: int, skip: frozenset[str] | set[str] = frozenset()
    ) -> list[str]:
        """The URLs `pages_to_enrich` would return, without reading the pages: a caller
        that hands pages out a few at a time looks for them once per many pages."""
        stale = (
            select(pages.c.url)
            .select_from(pages.outerjoin(articles, articles.c.url == pages.c.url))
            .where(
                pages.c.is_article.is_(True),
                articles.c.url.is_(None)
                | articles.c.enrichment_version.is_distinct_from(version)
                | articles.c.content_hash.is_distinct_from(pages.c.content_hash),
            )
        )
        chosen: list[str] = []
        with self.engine.connect() as conn:
            for url in conn.execute(stale.order_by(pages.c.fetched_at, pages.c.url)).scalars():
                if url not in skip:
                    chosen.append(url)
                    if len(chosen) >= limit:
                        break
        return chosen

    def pending_pages(self, urls: Sequence[str]) -> list[PendingPage]:
        """The stored pages at `urls` (those that exist, in that order) with their body,
        content hash and hints, as `pages_to_enrich` gives them."""
        if not urls:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    pages.c.url,
                    pages.c.source,
                    pages.c.raw,
                    pages.c.content_hash,
                    pages.c.hints,
                    articles.c.title,
                    articles.c.published,
                    articles.c.language,
                )
                .select_from(pages.outerjoin(articles, articles.c.url == pages.c.url))
                .where(pages.c.url.in_(list(urls)))
            ).all()
        order = {url: i for i, url in enumerate(urls)}
        return [_pending(row) for row in sorted(rows, key=lambda r: order[r.url])]

    def touch_page(self, url: str) -> None:
        """A conditional request said the page is unchanged."""
        with self.engine.begin() as conn:
            conn.execute(update(pages).where(pages.c.url == url).values(checked_at=now()))

    def iter_pages(self, articles_only: bool = True) -> Iterator[Page]:
        query = select(pages)
        if articles_only:
            query = query.where(pages.c.is_article.is_(True))
        with self.engine.connect() as conn:
            for row in conn.execute(query.order_by(pages.c.url)):
                yield Page(
                    url=row.url,
                    source=row.source,
                    body=zlib.decompress(row.raw) if row.raw else b"",
                    final_url=row.final_url,
                    status=row.status,
                    content_type=row.content_type,
                    etag=row.etag,
                    last_modified=row.last_modified,
                    content_hash=row.content_hash,
                    is_article=row.is_article,
                    fetched_at=row.fetched_at,
                )

    def page_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(pages)).scalar_one())

    # -- articles ----------------------------------------------------------------------

    def upsert_article(self, article: Article, content_hash: str | None = None) -> str:
        """Insert or update by URL; returns "new", "updated" or "unchanged".

        The near-duplicate fingerprint is computed here from the text (whatever the caller
        set is replaced). A new article that is a confirmed near-duplicate of a stored one
        at another URL becomes a link of that story (both keep their rows, the later one
        points at the first).
        """
        return self.upsert_articles([(article, content_hash)])[0]

    def upsert_articles(self, items: Sequence[tuple[Article, str | None]]) -> list[str]:
        """`upsert_article` for each (article, content hash) in order, in one transaction:
        the outcome of each, and the same rows as one call per article would leave (a
        later article sees the earlier ones, e.g. as near-duplicates). The enrichment stage
        writes what its workers made this way: one lock and one commit per batch."""
        sketches = [neardup.sketch(article.text) for article, _ in items]  # before the lock
        outcomes: list[str] = []
        with self.engine.begin() as conn:
            self._lock(conn, ARTICLE_WRITE_LOCK)  # one article writer at a time
            urls = list({article.url for article, _ in items})
            stored = article_write.stored_rows(conn, urls)
            for (article, content_hash), sketch in zip(items, sketches, strict=True):
                outcome, stored[article.url] = article_write.write(
                    conn, article, content_hash, sketch, stored.get(article.url), self._shingles
                )
                outcomes.append(outcome)
        return outcomes

    def get_article(self, url: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(articles.c.data, articles.c.story_url).where(articles.c.url == url)
            ).first()
            if row is None:
                return None
            return self._with_links(conn, row.data, row.story_url)

    def _with_links(self, conn: Any, data: str, story_url: str) -> Article:
        article = Article.from_dict(json.loads(data))
        others = conn.execute(
            select(articles.c.url).where(
                articles.c.story_url == story_url, articles.c.url != article.url
            )
        ).scalars()
        article.links = sorted(set(article.links) | set(others))
        return article

    def iter_articles(
        self, unindexed_only: bool = False, stories_only: bool = False
    ) -> Iterator[Article]:
        """Every article; `stories_only` yields one article per story (the first seen)."""
        query = select(articles.c.data, articles.c.story_url)
        if unindexed_only:
            query = query.where(articles.c.indexed_at.is_(None))
        if stories_only:
            query = query.where(articles.c.story_url == articles.c.url)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(articles.c.published.desc(), articles.c.url))
            while chunk := rows.fetchmany(500):
                # the other URLs of each story: one query per chunk, not one per article
                members: dict[str, set[str]] = {}
                wanted = list({row.story_url for row in chunk if row.story_url is not None})
                for url, story in conn.execute(_MEMBERS, {"stories": wanted}):
                    members.setdefault(story, set()).add(url)
                for row in chunk:
                    article = Article.from_dict(json.loads(row.data))
                    others = members.get(row.story_url, set()) - {article.url}
                    article.links = sorted(set(article.links) | others)
                    yield article

    def duplicate_urls(self) -> list[str]:
        """Articles that are a second copy of a story stored under another URL."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.url).where(articles.c.story_url != articles.c.url)
            )
            return list(rows.scalars())

    def outdated_urls(self, version: str) -> set[str]:
        """Articles enriched by another enrichment version than `version`."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.url).where(
                    (articles.c.enrichment_version != version)
                    | articles.c.enrichment_version.is_(None)
                )
            )
            return set(rows.scalars())

    def mark_indexed(self, urls: Iterable[str]) -> None:
        urls = list(urls)
        with self.engine.begin() as conn:
            for start in range(0, len(urls), 500):
                conn.execute(
                    update(articles)
                    .where(articles.c.url.in_(urls[start : start + 500]))
                    .values(indexed_at=now())
                )

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    # -- crawl runs --------------------------------------------------------------------

    def record_run(self, source: str, stats: dict[str, Any]) -> None:
        values = {k: v for k, v in stats.items() if k in crawl_runs.c and k != "id"}
        for key in ("errors", "discovery"):
            if key in values and not isinstance(values[key], str):
                values[key] = json.dumps(values[key], ensure_ascii=False)
        with self.engine.begin() as conn:
            conn.execute(crawl_runs.insert().values(source=source, **values))

    def runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = select(crawl_runs).order_by(crawl_runs.c.id.desc()).limit(limit)
        if source:
            query = query.where(crawl_runs.c.source == source)
        with self.engine.connect() as conn:
            out = []
            for row in conn.execute(query):
                run = dict(row._mapping)
                for key in ("errors", "discovery"):
                    run[key] = json.loads(run[key]) if run[key] else []
                out.append(run)
            return out

    # -- helpers -----------------------------------------------------------------------

    def _lock(self, conn: Any, key: int) -> None:
        """Hold a store-wide write lock for the rest of this transaction.

        For work that reads, then writes what it read about: an article write (its own row,
        near-duplicate candidates; two writers at once, a crawl's enrichment and an ingest,
        could both insert one URL or both miss each other's copy of a story) and a
        migration. Both are short, so one at a time costs little; pages and crawl runs are
        written without it. SQLite has one write lock for everything, whatever the key."""
        if self.engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(key)))
        elif self.engine.dialect.name == "sqlite":
            # the write lock up front: the driver would only take it at the first write
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    def _upsert_statement(self, insert: Any, table: Any, key: str, columns: tuple[str, ...]) -> Any:
        """INSERT … ON CONFLICT (key) DO UPDATE of these columns, built once per column set
        (built per call, with the values in it, it cost more than the write itself)."""
        cache_key = (table.name, key, columns)
        stmt = self._statements.get(cache_key)
        if stmt is None:
            stmt = insert(table)
            stmt = stmt.on_conflict_do_update(
                index_elements=[key], set_={column: stmt.excluded[column] for column in columns}
            )
            self._statements[cache_key] = stmt
        return stmt

    def _upsert(self, table: Any, values: dict[str, Any], key: str) -> None:
        with self.engine.begin() as conn:
            insert = _INSERTS.get(self.engine.dialect.name)
            if insert is not None:
                # one statement, so two writers saving one URL at once cannot both insert
                conn.execute(self._upsert_statement(insert, table, key, tuple(values)), values)
                return
            done = conn.execute(
                update(table).where(table.c[key] == values[key]).values(**values)
            ).rowcount
            if not done:
                conn.execute(table.insert().values(**values))


def _pending(row: Any) -> PendingPage:
    hints: dict[str, Any] = json.loads(row.hints) if row.hints else {}
    # Pages stored before hints were kept: the earlier article's title, date and language
    # serve as the hints the crawler gave the first time.
    for key in ("title", "published", "language"):
        if not hints.get(key) and row._mapping[key]:
            hints[key] = row._mapping[key]
    return PendingPage(
        url=row.url,
        source=row.source,
        body=zlib.decompress(row.raw) if row.raw else b"",
        content_hash=row.content_hash,
        hints=hints,
    )
