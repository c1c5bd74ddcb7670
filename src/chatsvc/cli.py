"""`chatsvc serve | token | migrate`."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from chatsvc.config import (
    DEFAULT_DATABASE,
    DEFAULT_LISTEN,
    LIMIT_FIELDS,
    Settings,
    campaign_settings_from_env,
    database_settings_from_env,
    env,
    settings_from_env,
)


def _database_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default=env("DATABASE_URL", DEFAULT_DATABASE),
                        help="SQLAlchemy URL (env CHATSVC_DATABASE_URL; default %(default)s)")


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chatsvc", description="A self-hosted google.chat.v1 server.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gRPC server")
    serve.add_argument("--listen", default=env("LISTEN", DEFAULT_LISTEN),
                       help="host:port (env CHATSVC_LISTEN; default %(default)s)")
    _database_arg(serve)
    serve.add_argument("--jwks-file", default=env("JWKS_FILE"),
                       help="also accept RS256 tokens signed by a key in this JWKS file (env CHATSVC_JWKS_FILE)")
    serve.add_argument("--jwks-issuer", default=env("JWKS_ISSUER"),
                       help="the `iss` RS256 tokens must carry (env CHATSVC_JWKS_ISSUER; default chatsvc)")
    serve.add_argument("--jwks-audience", default=env("JWKS_AUDIENCE"),
                       help="the `aud` RS256 tokens must carry (env CHATSVC_JWKS_AUDIENCE; "
                            "default chat.googleapis.com)")
    serve.add_argument("--grace", type=float, default=float(env("GRACE_SECONDS", "10")),
                       help="seconds in-flight calls get to finish on SIGINT/SIGTERM")
    serve.add_argument("--log-level", default=env("LOG_LEVEL", "INFO"))
    serve.add_argument("--workers", type=_positive, default=_positive(env("WORKERS", "1")),
                       help="server processes sharing the port and the database, for several cores (env "
                            "CHATSVC_WORKERS; default %(default)s: this process serves)")
    serve.add_argument("--no-migrate", dest="migrate", action="store_false",
                       help="trust the schema to be current (after `chatsvc migrate`) instead of migrating on start")
    serve.add_argument("--http-listen", "--media-listen", dest="http_listen",
                       default=env("HTTP_LISTEN") or env("MEDIA_LISTEN", "auto"),
                       help="host:port of the HTTP endpoint (REST, discovery, webhooks, media); `auto`: the gRPC "
                            "host, gRPC port + 1; `off`: none (env CHATSVC_HTTP_LISTEN; default %(default)s)")
    serve.add_argument("--public-url", "--media-url", dest="public_url",
                       default=env("PUBLIC_URL") or env("MEDIA_URL"),
                       help="the HTTP endpoint's base URL as clients reach it, e.g. behind a proxy (env "
                            "CHATSVC_PUBLIC_URL; default: the address it listens on)")
    serve.add_argument("--data-dir", default=env("DATA_DIR"),
                       help="directory for uploaded files (env CHATSVC_DATA_DIR; default: beside the SQLite "
                            "file, else ./chatsvc-data)")
    serve.add_argument("--max-upload-bytes", type=int, default=int(env("MAX_UPLOAD_BYTES", "0")) or None,
                       help="refuse uploads above this size; at most Google's 200 MB (env CHATSVC_MAX_UPLOAD_BYTES)")
    serve.add_argument("--oauth-redirect-uri", default=env("OAUTH_REDIRECT_URI"),
                       help="OAuth redirect URI registered with Google / Microsoft (env CHATSVC_OAUTH_REDIRECT_URI;"
                            " default: the HTTP endpoint's /oauth2/callback). Client ids, secrets and endpoint URLs:"
                            " CHATSVC_GOOGLE_CLIENT_ID, CHATSVC_GOOGLE_CLIENT_SECRET, CHATSVC_GOOGLE_TOKEN_URL, ...")
    serve.add_argument("--oauth-state-ttl", type=float, default=float(env("OAUTH_STATE_TTL_SECONDS", "600")),
                       help="seconds a consent link stays usable (env CHATSVC_OAUTH_STATE_TTL_SECONDS)")
    serve.add_argument("--provider-timeout", type=float, default=float(env("PROVIDER_TIMEOUT_SECONDS", "10")),
                       help="seconds to wait for Google / Microsoft (env CHATSVC_PROVIDER_TIMEOUT_SECONDS)")

    token = commands.add_parser("token", help="mint a bearer token; it is the last line of stdout")
    _database_arg(token)
    token.add_argument("--user", help="email of the human caller (user authentication)")
    token.add_argument("--app", help="Chat app name: alone, app authentication; with --user, the app used")
    token.add_argument("--scope", action="append", required=True,
                       help="OAuth scope, short (chat.spaces) or full URL; repeat for more")
    token.add_argument("--admin", action="store_true", help="the user has administrator privileges")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default %(default)s)")

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema; prints its revision")
    _database_arg(migrate)
    migrate.add_argument("--check", action="store_true",
                         help="change nothing; exit 1 when the schema is behind this build's newest revision")
    return parser


async def _token(args) -> str:
    from chatsvc.app import open_database, signing_key
    from chatsvc.auth.tokens import TokenService

    db = await open_database(Settings(database_url=args.database, **database_settings_from_env()))
    try:
        key = await signing_key(db, env("SIGNING_KEY"))
    finally:
        await db.dispose()
    return TokenService(key).mint(user=args.user, app=args.app, scopes=args.scope, admin=args.admin, ttl=args.ttl)


async def _migrate(args) -> int:
    from chatsvc.app import open_database
    from chatsvc.storage.migrator import SchemaMismatch

    db = await open_database(Settings(database_url=args.database, migrate_on_start=False,
                                      **database_settings_from_env()))
    try:
        if args.check:
            current, newest = await db.revisions()
            if current != newest:
                print(f"chatsvc migrate: the schema is at revision {current or 'none'}, this build's newest is "
                      f"{newest}; run `chatsvc migrate`", file=sys.stderr)
                return 1
            print(current)
            return 0
        print(await db.migrate())
        return 0
    except SchemaMismatch as error:
        print(f"chatsvc migrate: {error}", file=sys.stderr)
        return 2
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from chatsvc.app import serve

        # The pid tells apart the lines of several workers (or replicas) writing to one stream.
        logging.basicConfig(level=args.log_level.upper(),
                            format="%(asctime)s %(process)d %(levelname)s %(name)s %(message)s")
        settings = Settings(listen=args.listen, database_url=args.database, signing_key=env("SIGNING_KEY"),
                            jwks_file=args.jwks_file, jwks_issuer=args.jwks_issuer,
                            jwks_audience=args.jwks_audience, grace_seconds=args.grace,
                            http_listen=args.http_listen, public_url=args.public_url, data_dir=args.data_dir,
                            max_upload_bytes=args.max_upload_bytes, secret_key=env("SECRET_KEY"),
                            oauth_redirect_uri=args.oauth_redirect_uri, oauth_state_ttl_seconds=args.oauth_state_ttl,
                            provider_timeout_seconds=args.provider_timeout, migrate_on_start=args.migrate,
                            **campaign_settings_from_env(), **database_settings_from_env(),
                            **settings_from_env(LIMIT_FIELDS))
        if args.workers > 1:
            from chatsvc.supervisor import supervise

            return supervise(settings, args.workers, argv[argv.index("serve") + 1:])
        asyncio.run(serve(settings))
        return 0
    if args.command == "token":
        try:
            print(asyncio.run(_token(args)))
        except ValueError as error:
            print(f"chatsvc token: {error}", file=sys.stderr)
            return 2
        return 0
    return asyncio.run(_migrate(args))


if __name__ == "__main__":
    sys.exit(main())
