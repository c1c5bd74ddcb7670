"""messages: the slash command a message is and the link an app previews (issue 17's app triggers)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 05:22:59.933010

Two columns added in place on both backends (ALTER TABLE ... ADD COLUMN with a server default, so existing rows
read ""). Not batch mode: on SQLite that copies `messages` and drops its full-text triggers.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('messages', sa.Column('slash_command', sa.Text(), server_default='', nullable=False))
    op.add_column('messages', sa.Column('matched_url', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    op.drop_column('messages', 'matched_url')
    op.drop_column('messages', 'slash_command')
