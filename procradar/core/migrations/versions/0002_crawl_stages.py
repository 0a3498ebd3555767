"""crawl and enrichment as separate stages: the crawler's hints stored with the page;
near-duplicate band keys in an indexed table

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # title/published/language seen by the crawler, JSON; enrichment uses them as hints
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("hints", sa.Text))
    # MinHash band keys of each article (procradar.core.neardup), looked up by key
    op.create_table(
        "article_bands",
        sa.Column("band_key", sa.BigInteger, primary_key=True),
        sa.Column("url", sa.String, primary_key=True, index=True),
    )
    _backfill_bands()


def _backfill_bands() -> None:
    """Articles stored before the bands existed get theirs (and the fingerprint's new
    meaning), so new copies link to them."""
    import json

    from procradar.core import neardup

    conn = op.get_bind()
    articles = sa.table("articles", sa.column("url"), sa.column("data"), sa.column("fingerprint"))
    bands = sa.table("article_bands", sa.column("band_key"), sa.column("url"))
    for url, data in conn.execute(sa.select(articles.c.url, articles.c.data)).all():
        sketch = neardup.sketch(str(json.loads(data).get("text") or ""))
        conn.execute(
            articles.update()
            .where(articles.c.url == url)
            .values(fingerprint=sketch.fingerprint if sketch else None)
        )
        if sketch is not None:
            conn.execute(bands.insert(), [{"band_key": k, "url": url} for k in set(sketch.bands)])


def downgrade() -> None:
    op.drop_table("article_bands")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("hints")
