"""app event outbox: the app_events table (chatsvc.events.outbox), a new table only

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:36:47.229809

Runs on SQLite and PostgreSQL alike: check the generated operations on both (make test with
CHATSVC_TEST_DATABASE_URL set). On SQLite, altering `messages` by copying the table (batch mode) drops the
full-text triggers: run search_index.create(op.get_bind()) afterwards.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('app_name', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=False),
    sa.Column('space_id', sa.String(length=32), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('event_time_us', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=96), nullable=False),
    sa.Column('lease_until_us', sa.BigInteger(), nullable=False),
    sa.Column('event_json', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('reply_message_id', sa.String(length=64), nullable=False),
    sa.Column('delivered_time_us', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_app_events_app', 'app_events', ['app_name', 'event_time_us'], unique=False)
    op.create_index('ix_app_events_due', 'app_events', ['state', 'lease_until_us'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_app_events_due', table_name='app_events')
    op.drop_index('ix_app_events_app', table_name='app_events')
    op.drop_table('app_events')
