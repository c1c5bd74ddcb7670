"""Incoming webhooks: the `webhooks` table (chatsvc.domain.webhooks).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

A new table and its index only; no existing table is altered, so nothing runs in batch mode on SQLite.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhooks',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('space_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=False),
    sa.Column('avatar_url', sa.Text(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('creator_id', sa.String(length=32), nullable=False),
    sa.Column('create_time_us', sa.BigInteger(), nullable=False),
    sa.Column('token_time_us', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_webhooks_space_created', 'webhooks', ['space_id', 'create_time_us', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_webhooks_space_created', table_name='webhooks')
    op.drop_table('webhooks')
