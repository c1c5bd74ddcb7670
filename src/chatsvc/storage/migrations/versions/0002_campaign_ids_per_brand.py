"""Campaign ids per brand: `email_campaigns.public_id`, unique within the brand.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

`email_campaigns.id` stays the storage key every other table refers to; the id in a campaign's name moves
to `public_id`, unique per brand (a unique index), so a client-chosen id taken in another brand no longer
answers ALREADY_EXISTS. Existing campaigns keep their names: `public_id` starts as a copy of `id`.

Every step alters the table in place on both backends. Not batch mode: on SQLite it copies the table and
drops the original, and with foreign keys on (they are, and the PRAGMA cannot change inside the migration's
transaction) dropping `email_campaigns` deletes every recipient, attachment, message and email of every
campaign through ON DELETE CASCADE. SQLite adds a NOT NULL column in place only with a default, hence
`server_default=""` (the repository always writes the column; no row keeps the default).
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("email_campaigns", sa.Column("public_id", sa.String(length=63), nullable=False, server_default=""))
    op.execute("UPDATE email_campaigns SET public_id = id")
    op.create_index("uq_email_campaigns_public_id", "email_campaigns", ["brand_id", "public_id"], unique=True)
    op.drop_index("ix_email_campaigns_brand_created", table_name="email_campaigns")
    op.create_index("ix_email_campaigns_brand_created", "email_campaigns", ["brand_id", "create_time_us", "public_id"])


def downgrade() -> None:
    # Sound only while every public id still equals its key: ids reused across brands cannot go back. On SQLite
    # DROP COLUMN needs 3.35 or later.
    op.drop_index("ix_email_campaigns_brand_created", table_name="email_campaigns")
    op.create_index("ix_email_campaigns_brand_created", "email_campaigns", ["brand_id", "create_time_us", "id"])
    op.drop_index("uq_email_campaigns_public_id", table_name="email_campaigns")
    op.drop_column("email_campaigns", "public_id")
