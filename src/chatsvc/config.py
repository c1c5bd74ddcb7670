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
    # Google service-account key files (JSON) whose self-signed JWTs and JWT-bearer assertions are accepted, as app
    # authentication of the account's Chat app (chatsvc.auth.service_accounts); only their public keys are kept.
    trusted_service_accounts: tuple[str, ...] = ()
    # `EMAIL=APP`: the Chat app a trusted service account acts as, instead of the name made from its email.
    service_account_apps: tuple[str, ...] = ()
    grace_seconds: float = 10.0
    log_level: str = "INFO"
    # The HTTP endpoint (REST, discovery, webhooks, media, OAuth callbacks): `auto` serves it on the gRPC host at
    # the gRPC port + 1, `off` not at all.
    http_listen: str = "auto"
    # The HTTP endpoint's base URL as clients reach it (behind a proxy); default: the address it listens on.
    public_url: str | None = None
    # Where uploaded files live; default: `<database name>-data` beside a SQLite file, else ./chatsvc-data.
    data_dir: str | None = None
    # TLS for gRPC and the HTTP endpoint (chatsvc.tls): the operator's certificate chain and key (PEM files), or
    # tls_self_signed: a local CA in <data dir>/tls and a server certificate of it for localhost and tls_names.
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_self_signed: bool = False
    tls_names: tuple[str, ...] = ()
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
    # Bring the schema up to date on start; `--no-migrate` (the `--workers` children) trusts it to be current.
    migrate_on_start: bool = True
    # Provider -> chatsvc.oauth.endpoints.ProviderEndpoints; default: from CHATSVC_GOOGLE_* / CHATSVC_MICROSOFT_*
    # with the real providers' URLs.
    providers: dict | None = None

    # ---- limits that keep one process standing under load (from the environment: CHATSVC_<FIELD NAME IN CAPITALS>)
    # Calls in progress at once; one more is refused at once with RESOURCE_EXHAUSTED rather than queued.
    max_concurrent_rpcs: int = 1000
    # The largest request and response message, in bytes. 8 MiB holds the largest valid request (ImportContacts
    # of 1,000 contacts at their limits); a page of 1,000 messages at their limits stays under 64 MiB.
    max_receive_message_bytes: int = 8 * 1024 * 1024
    max_send_message_bytes: int = 64 * 1024 * 1024
    # A call still running after this long is stopped with DEADLINE_EXCEEDED (a client's shorter deadline wins).
    call_timeout_seconds: float = 60.0
    # Connection health: the server pings a connection idle this long and drops it after keepalive_timeout
    # without an answer; a client pinging more often than every min_client_ping_interval is sent away
    # (GOAWAY "too_many_pings"), so pings cannot be used to keep the server busy.
    keepalive_seconds: float = 60.0
    keepalive_timeout_seconds: float = 20.0
    min_client_ping_interval_seconds: float = 10.0
    # Calls per minute each caller (a user through an app, or an app) may make, with bursts up to rate_limit_burst
    # (default: a minute's worth); 0 turns rate limiting off. Counted per process.
    rate_limit_per_minute: int = 0
    rate_limit_burst: int = 0
    # Messages per minute each incoming webhook may post, in bursts of up to webhook_rate_burst (Google's rate for
    # a space: one a second); 0 turns the limit off. Counted per process.
    webhook_rate_per_minute: int = 60
    webhook_rate_burst: int = 5

    # ---- the OAuth 2.0 authorization server for users (chatsvc.oauth_server; from the environment too:
    # CHATSVC_<FIELD NAME IN CAPITALS>)
    # Who may sign in: `auto` trusts the email address typed when the HTTP endpoint listens on loopback (a
    # development server) and is off elsewhere; `email` trusts it on any address; `off`. (`oidc`, `email-code`:
    # not built, refused at start.)
    oauth_server_sign_in: str = "auto"
    # How long an authorization code and an access token live.
    oauth_server_code_seconds: float = 600.0
    oauth_server_access_token_seconds: int = 3600
    # How long this process takes a grant it found standing to stand (0: the database is asked on every call with
    # an OAuth access token). The process that revokes a grant knows at once; others within this time.
    oauth_server_revocation_cache_seconds: float = 1.0

    # ---- the database connection pool, PostgreSQL only (from the environment: CHATSVC_<FIELD NAME IN CAPITALS>)
    # Connections kept open, and how many more a burst may open; a caller waits this long for a free one.
    db_pool_size: int = 10
    db_max_overflow: int = 20
    db_pool_timeout_seconds: float = 30.0
    # Connections older than this are replaced (0: never), before a proxy or firewall drops them unseen.
    db_pool_recycle_seconds: float = 1800.0
    # Test each connection with a round trip before use, so a dropped one is replaced instead of failing a call.
    # Off: that round trip per unit of work costs more than it saves; a read that meets a dropped connection
    # is run again on a fresh one, a write fails with UNAVAILABLE (retryable) and the pool renews its connections.
    db_pool_pre_ping: bool = False
    # Prepared statements asyncpg keeps per connection; 0 behind PgBouncer in transaction pooling mode.
    db_statement_cache_size: int = 100

    # ---- email campaigns (settable from the environment too: CHATSVC_<FIELD NAME IN CAPITALS>)
    # A brand's monthly allowance of addresses sent to.
    campaign_quota: int = 30_000
    # Run the campaign scheduler in this process (every replica may: claims keep each campaign to one).
    scheduler_enabled: bool = True
    # How often the scheduler looks for due campaigns.
    scheduler_poll_seconds: float = 1.0
    # How long a claim on a campaign lasts without renewal; after a crash another process resumes it then.
    scheduler_lease_seconds: float = 30.0
    # Attempts per message before it is given up on, and the first retry's delay (doubling each time).
    send_attempts: int = 5
    send_backoff_seconds: float = 2.0
    # The product's own mail service, reached over SMTP. smtp_tls: none, starttls or tls.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_tls: str = "none"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 30.0
    # Attachments given by URL: fetched when sending; private and loopback addresses only when allowed.
    attachment_fetch_timeout_seconds: float = 30.0
    attachment_url_allow_private: bool = False
    # Sending domains: the DNS servers to ask (comma-separated ip or ip:port; default: the system's), the
    # SPF include and DKIM selector the records must carry, and the mail service's sending subdomain.
    dns_nameservers: str = ""
    dns_timeout_seconds: float = 5.0
    mail_spf_include: str = "spf.chatsvc.email"
    mail_dkim_selector: str = "chatsvc"
    mail_subdomain: str = "mail"

    # ---- Chat app events (chatsvc.workers.app_events; from the environment: CHATSVC_<FIELD NAME IN CAPITALS>)
    # Deliver queued app events from this process (every replica may: a claim gives each event to one).
    app_events_enabled: bool = True
    # How often the worker looks for queued events; how long a claim lasts (then another process may deliver).
    app_events_poll_seconds: float = 0.5
    app_events_lease_seconds: float = 60.0
    # How long an app has to answer an event (Google: 30 s); requests in flight per app and in all.
    app_event_timeout_seconds: float = 30.0
    app_event_concurrency_per_app: int = 4
    app_event_concurrency: int = 32
    # Finished deliveries are kept this many days, and at most this many per app (the newest); 0: no such bound
    # (chatsvc.workers.app_event_retention; flags --app-event-retention-days / --app-event-retention-count).
    # Queued and in-flight events are always kept. The sweep runs in every process this often.
    app_event_retention_days: float = 7.0
    app_event_retention_count: int = 1000
    app_event_retention_sweep_seconds: float = 300.0


# The campaign settings above, by name: the CLI reads each from CHATSVC_<NAME> when set.
CAMPAIGN_FIELDS = (
    "campaign_quota", "scheduler_enabled", "scheduler_poll_seconds", "scheduler_lease_seconds", "send_attempts",
    "send_backoff_seconds", "smtp_host", "smtp_port", "smtp_tls", "smtp_username", "smtp_password",
    "smtp_timeout_seconds", "attachment_fetch_timeout_seconds", "attachment_url_allow_private", "dns_nameservers",
    "dns_timeout_seconds", "mail_spf_include", "mail_dkim_selector", "mail_subdomain",
)

# The app-event settings above, read the same way.
APP_EVENT_FIELDS = (
    "app_events_enabled", "app_events_poll_seconds", "app_events_lease_seconds", "app_event_timeout_seconds",
    "app_event_concurrency_per_app", "app_event_concurrency", "app_event_retention_days", "app_event_retention_count",
    "app_event_retention_sweep_seconds",
)


# The limits above, read the same way.
LIMIT_FIELDS = (
    "max_concurrent_rpcs", "max_receive_message_bytes", "max_send_message_bytes", "call_timeout_seconds",
    "keepalive_seconds", "keepalive_timeout_seconds", "min_client_ping_interval_seconds", "rate_limit_per_minute",
    "rate_limit_burst", "webhook_rate_per_minute", "webhook_rate_burst",
)


# The OAuth authorization server's settings above, read the same way.
OAUTH_SERVER_FIELDS = (
    "oauth_server_sign_in", "oauth_server_code_seconds", "oauth_server_access_token_seconds",
    "oauth_server_revocation_cache_seconds",
)


# The database pool settings above, read the same way.
DATABASE_FIELDS = (
    "db_pool_size", "db_max_overflow", "db_pool_timeout_seconds", "db_pool_recycle_seconds", "db_pool_pre_ping",
    "db_statement_cache_size",
)


def campaign_settings_from_env(environ=os.environ) -> dict:
    """CHATSVC_<FIELD> values of the campaign settings, converted to each field's type."""
    return settings_from_env(CAMPAIGN_FIELDS, environ)


def database_settings_from_env(environ=os.environ) -> dict:
    """CHATSVC_<FIELD> values of the database pool settings, converted to each field's type."""
    return settings_from_env(DATABASE_FIELDS, environ)


def settings_from_env(fields: tuple[str, ...], environ=os.environ) -> dict:
    defaults = Settings()
    found = {}
    for name in fields:
        raw = environ.get(f"CHATSVC_{name.upper()}")
        if raw is None:
            continue
        kind = type(getattr(defaults, name))
        if kind is bool:
            found[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            found[name] = kind(raw)
    return found
