"""The OAuth 2.0 authorization server's schema (chatsvc.domain.oauth_grants): registered clients, authorization
codes and grants. Secrets, codes and refresh tokens are kept only as their SHA-256 (hex)."""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint

from chatsvc.storage.tables import metadata

oauth_clients = Table(
    "oauth_clients", metadata,
    Column("id", String(128), primary_key=True),
    Column("kind", String(16), nullable=False),  # installed | web
    Column("name", String(256), nullable=False, default=""),
    Column("secret_sha256", String(64), nullable=False),
    Column("redirect_uris", Text, nullable=False, default="[]"),  # JSON list, as registered
    Column("app_name", String(64), nullable=False),  # the Chat app its users' calls go through
    Column("create_time_us", BigInteger, nullable=False),
)

# An authorization code is used once: redeeming it sets grant_id (only while it is NULL and the code unexpired),
# so a replay finds the grant it made and that grant is revoked. Rows past their expiry are purged.
oauth_codes = Table(
    "oauth_codes", metadata,
    Column("code_sha256", String(64), primary_key=True),
    Column("client_id", String(128), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False),
    Column("user_email", String(320), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scope", Text, nullable=False),
    Column("code_challenge", String(128), nullable=False, default=""),
    Column("code_challenge_method", String(16), nullable=False, default=""),
    Column("offline", Boolean, nullable=False, default=False),
    Column("create_time_us", BigInteger, nullable=False),
    Column("expire_time_us", BigInteger, nullable=False),
    Column("grant_id", String(64)),
    Index("ix_oauth_codes_expire", "expire_time_us"),
)

# What a user allowed a client: the scopes, the refresh token (if access_type=offline) and, once revoked, when.
# Access tokens are stateless JWTs naming the grant; the gate asks here whether it still stands.
oauth_grants = Table(
    "oauth_grants", metadata,
    Column("id", String(64), primary_key=True),
    Column("client_id", String(128), ForeignKey("oauth_clients.id", ondelete="CASCADE"), nullable=False),
    Column("user_email", String(320), nullable=False),
    Column("scope", Text, nullable=False),
    Column("refresh_sha256", String(64)),
    Column("create_time_us", BigInteger, nullable=False),
    Column("revoke_time_us", BigInteger),
    UniqueConstraint("refresh_sha256", name="uq_oauth_grants_refresh"),
)
