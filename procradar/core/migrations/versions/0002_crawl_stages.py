"""crawl and enrichment as separate stages: the crawler's hints stored with the page

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


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("hints")
