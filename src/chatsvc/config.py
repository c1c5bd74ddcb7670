"""Settings, from command-line flags with CHATSVC_* environment variables as defaults: one place."""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_LISTEN = "127.0.0.1:50051"
DEFAULT_DATABASE = "sqlite+aiosqlite:///./chatsvc.db"


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"CHATSVC_{name}", default)


@dataclass(frozen=True)
class Settings:
    listen: str = DEFAULT_LISTEN
    database_url: str = DEFAULT_DATABASE
    # Overrides the key stored in the database (hex or any string of at least 32 bytes).
    signing_key: str | None = None
    jwks_file: str | None = None
    jwks_issuer: str | None = None
    jwks_audience: str | None = None
    grace_seconds: float = 10.0
    log_level: str = "INFO"
    # The HTTP media endpoint: `auto` serves it on the gRPC host at the gRPC port + 1, `off` not at all.
    media_listen: str = "auto"
    # The media endpoint's address as clients reach it (behind a proxy); default: the address it listens on.
    media_url: str | None = None
    # Where uploaded files live; default: `<database name>-data` beside a SQLite file, else ./chatsvc-data.
    data_dir: str | None = None
    # Uploads above this many bytes are refused; at most Google's 200 MB (domain.media.MAX_UPLOAD_BYTES).
    max_upload_bytes: int | None = None
    # Seals OAuth tokens at rest (64 hex digits, or any string of 32+ bytes); default: a 0600 key file
    # `secret.key` in the data directory, made on first start.
    secret_key: str | None = None
    # The OAuth redirect URI registered with the providers; default: <media endpoint>/oauth2/callback.
    oauth_redirect_uri: str | None = None
    # How long a consent link (its signed `state`) stays usable.
    oauth_state_ttl_seconds: float = 600.0
    # How long to wait for a provider's answer.
    provider_timeout_seconds: float = 10.0
    # Provider -> chatsvc.oauth.endpoints.ProviderEndpoints; default: from CHATSVC_GOOGLE_* / CHATSVC_MICROSOFT_*
    # with the real providers' URLs.
    providers: dict | None = None
