"""initial schema: pages, articles, crawl_runs

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("url", sa.String, primary_key=True),
        sa.Column("source", sa.String, nullable=False, index=True),
        sa.Column("final_url", sa.String),
        sa.Column("status", sa.Integer),
        sa.Column("content_type", sa.String),
        sa.Column("etag", sa.String),
        sa.Column("last_modified", sa.String),
        sa.Column("content_hash", sa.String),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("is_article", sa.Boolean, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True)),
        sa.Column("checked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "articles",
        sa.Column("url", sa.String, primary_key=True),
        sa.Column("source", sa.String, index=True),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String, index=True),
        sa.Column("language", sa.String),
        sa.Column("kind", sa.String),
        sa.Column("content_hash", sa.String),
        sa.Column("fingerprint", sa.String, index=True),
        sa.Column("story_url", sa.String, index=True),
        sa.Column("enrichment_version", sa.String),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), index=True),
        sa.Column("indexed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String, nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("requests", sa.Integer),
        sa.Column("bytes", sa.Integer),
        sa.Column("pages", sa.Integer),
        sa.Column("not_modified", sa.Integer),
        sa.Column("new_articles", sa.Integer),
        sa.Column("updated_articles", sa.Integer),
        sa.Column("errors", sa.Text),
        sa.Column("discovery", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_table("articles")
    op.drop_table("pages")
