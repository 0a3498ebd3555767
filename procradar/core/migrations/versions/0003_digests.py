"""saved searches and email digests: subscribers, subscriptions, sent-log, outbox, leases

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String, nullable=False, unique=True),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("manage_version", sa.Integer, nullable=False),
        sa.Column("confirm_sent_at", TS),
        sa.Column("confirm_count", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subscriber_id", sa.Integer, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("frequency", sa.String, nullable=False),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("feed_token", sa.String, nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("confirmed_at", TS),
        sa.Column("checked_at", TS),
    )
    op.create_index("ix_subscriptions_subscriber_id", "subscriptions", ["subscriber_id"])
    op.create_index("ix_subscriptions_status", "subscriptions", ["status"])
    op.create_table(
        "digest_items",
        sa.Column("subscription_id", sa.Integer, primary_key=True),
        sa.Column("article_url", sa.String, primary_key=True),
        sa.Column("message_id", sa.String, nullable=False),
    )
    op.create_index("ix_digest_items_message_id", "digest_items", ["message_id"])
    op.create_table(
        "digest_outbox",
        sa.Column("message_id", sa.String, primary_key=True),
        sa.Column("subscription_id", sa.Integer),
        sa.Column("recipient", sa.String, nullable=False),
        sa.Column("message", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
    )
    op.create_index("ix_digest_outbox_subscription_id", "digest_outbox", ["subscription_id"])
    op.create_index("ix_digest_outbox_status", "digest_outbox", ["status"])
    op.create_table(
        "leases",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("holder", sa.String),
        sa.Column("expires_at", TS),
    )


def downgrade() -> None:
    for table in ("leases", "digest_outbox", "digest_items", "subscriptions", "subscribers"):
        op.drop_table(table)
