"""Chat apps registered with chatsvc: the `chat_apps` table (chatsvc.domain.chat_apps).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

A new table and its index only; no existing table is altered, so nothing runs in batch mode on SQLite.
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_apps',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=False),
    sa.Column('avatar_url', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('endpoint_url', sa.Text(), nullable=False),
    sa.Column('pubsub_topic', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('event_format', sa.String(length=16), nullable=False),
    sa.Column('commands', sa.Text(), nullable=False),
    sa.Column('link_previews', sa.Text(), nullable=False),
    sa.Column('direct_messages', sa.Boolean(), nullable=False),
    sa.Column('spaces', sa.Boolean(), nullable=False),
    sa.Column('creator_id', sa.String(length=32), nullable=False),
    sa.Column('create_time_us', sa.BigInteger(), nullable=False),
    sa.Column('update_time_us', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_index('ix_chat_apps_creator', 'chat_apps', ['creator_id', 'name'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_chat_apps_creator', table_name='chat_apps')
    op.drop_table('chat_apps')
