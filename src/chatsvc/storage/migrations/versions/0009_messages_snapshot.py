"""messages: each message's encoded snapshot, which ListMessages splices into its answer (issue 19)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 08:52:55.563690

One nullable column added in place on both backends (ALTER TABLE ... ADD COLUMN, no rewrite of the rows): the
existing messages read NULL, and a message without a snapshot is built from its columns when read, as before.
Not batch mode: on SQLite that copies `messages` and drops its full-text triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('messages', sa.Column('snapshot', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column('messages', 'snapshot')
