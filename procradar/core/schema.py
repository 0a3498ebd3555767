"""Tables of the store (the source of truth). Change them only together with a migration
in procradar/migrations/versions/ — tests compare the two."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

pages = Table(
    "pages",
    metadata,
    Column("url", String, primary_key=True),  # canonical URL
    Column("source", String, nullable=False, index=True),
    Column("final_url", String),
    Column("status", Integer),
    Column("content_type", String),
    Column("etag", String),
    Column("last_modified", String),
    Column("content_hash", String),
    Column("raw", LargeBinary),  # zlib-compressed body
    Column("is_article", Boolean, nullable=False, default=False),
    Column("hints", Text),  # JSON: title, published, language the crawler saw
    Column("fetched_at", DateTime(timezone=True)),
    Column("checked_at", DateTime(timezone=True)),
)

articles = Table(
    "articles",
    metadata,
    Column("url", String, primary_key=True),
    Column("source", String, index=True),
    Column("title", Text),
    Column("published", String, index=True),
    Column("language", String),
    Column("kind", String),
    Column("content_hash", String),
    Column("fingerprint", String, index=True),
    Column("story_url", String, index=True),  # first-seen URL of the same story
    Column("enrichment_version", String),
    Column("data", Text, nullable=False),  # the Article as JSON
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), index=True),
    Column("indexed_at", DateTime(timezone=True)),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String, nullable=False, index=True),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("requests", Integer, default=0),
    Column("bytes", Integer, default=0),
    Column("pages", Integer, default=0),
    Column("not_modified", Integer, default=0),
    Column("new_articles", Integer, default=0),
    Column("updated_articles", Integer, default=0),
    Column("errors", Text),  # JSON list of {url, error}
    Column("discovery", Text),  # JSON: feeds, sitemaps, listings found
)
