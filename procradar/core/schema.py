"""Tables of the store (the source of truth). Change them only together with a migration
in procradar/migrations/versions/ — tests compare the two."""

from sqlalchemy import (
    BigInteger,
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
    Column("fingerprint", String, index=True),  # near-duplicate signature id (core.neardup)
    Column("story_url", String, index=True),  # first-seen URL of the same story
    Column("enrichment_version", String),
    Column("data", Text, nullable=False),  # the Article as JSON
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), index=True),
    Column("indexed_at", DateTime(timezone=True)),
)

# Near-duplicate band keys (procradar.core.neardup): an article's candidates are the
# articles sharing a key, found through the primary key's index.
article_bands = Table(
    "article_bands",
    metadata,
    Column("band_key", BigInteger, primary_key=True),
    Column("url", String, primary_key=True, index=True),
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

# -- saved searches and email digests (digests/; SQL in procradar/core/subscriptions.py) --

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String, nullable=False, unique=True),  # normalised by email-validator
    Column("language", String, nullable=False),  # sv | nb | da | en
    Column("manage_version", Integer, nullable=False, default=1),  # bump: old links die
    Column("confirm_sent_at", DateTime(timezone=True)),  # throttles confirmation mails
    Column("confirm_count", Integer, nullable=False, default=0),  # mails in the window
    Column("created_at", DateTime(timezone=True), nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscriber_id", Integer, nullable=False, index=True),
    Column("query", Text, nullable=False),  # JSON: {"q", "topic", "lang", ...} as on the site
    Column("frequency", String, nullable=False),  # immediate | daily | weekly
    Column("language", String, nullable=False),
    Column("status", String, nullable=False, index=True),  # pending | active | paused
    Column("feed_token", String, nullable=False, unique=True),  # secret, revocable
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("confirmed_at", DateTime(timezone=True)),
    Column("checked_at", DateTime(timezone=True)),  # watermark: last digest run for it
)

digest_items = Table(
    "digest_items",  # the sent-log: each article goes into one message per subscription
    metadata,
    Column("subscription_id", Integer, primary_key=True),
    Column("article_url", String, primary_key=True),
    Column("message_id", String, nullable=False, index=True),
)

digest_outbox = Table(
    "digest_outbox",
    metadata,
    Column("message_id", String, primary_key=True),  # the Message-ID header, idempotent
    Column("subscription_id", Integer, index=True),
    Column("recipient", String, nullable=False),
    Column("message", LargeBinary, nullable=False),  # the rendered MIME message
    Column("status", String, nullable=False, index=True),  # pending | sent
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
)

leases = Table(
    "leases",  # named locks that work on SQLite and PostgreSQL alike (UPDATE ... WHERE)
    metadata,
    Column("name", String, primary_key=True),
    Column("holder", String),
    Column("expires_at", DateTime(timezone=True)),
)
