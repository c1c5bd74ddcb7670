"""The OAuth 2.0 authorization server: `oauth_clients`, `oauth_codes`, `oauth_grants`
(chatsvc.domain.oauth_grants).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

New tables and an index only; no existing table is altered, so nothing runs in batch mode on SQLite.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oauth_clients',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=False),
    sa.Column('secret_sha256', sa.String(length=64), nullable=False),
    sa.Column('redirect_uris', sa.Text(), nullable=False),
    sa.Column('app_name', sa.String(length=64), nullable=False),
    sa.Column('create_time_us', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('oauth_codes',
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=128), nullable=False),
    sa.Column('user_email', sa.String(length=320), nullable=False),
    sa.Column('redirect_uri', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('code_challenge', sa.String(length=128), nullable=False),
    sa.Column('code_challenge_method', sa.String(length=16), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('create_time_us', sa.BigInteger(), nullable=False),
    sa.Column('expire_time_us', sa.BigInteger(), nullable=False),
    sa.Column('grant_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_sha256')
    )
    op.create_index('ix_oauth_codes_expire', 'oauth_codes', ['expire_time_us'], unique=False)
    op.create_table('oauth_grants',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=128), nullable=False),
    sa.Column('user_email', sa.String(length=320), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('refresh_sha256', sa.String(length=64), nullable=True),
    sa.Column('create_time_us', sa.BigInteger(), nullable=False),
    sa.Column('revoke_time_us', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('refresh_sha256', name='uq_oauth_grants_refresh')
    )


def downgrade() -> None:
    op.drop_table('oauth_grants')
    op.drop_index('ix_oauth_codes_expire', table_name='oauth_codes')
    op.drop_table('oauth_codes')
    op.drop_table('oauth_clients')
