"""`chatsvc serve | token | webhook | app | oauth-client | migrate`."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from chatsvc.config import (
    APP_EVENT_FIELDS,
    DEFAULT_DATABASE,
    DEFAULT_LISTEN,
    LIMIT_FIELDS,
    OAUTH_SERVER_FIELDS,
    Settings,
    campaign_settings_from_env,
    database_settings_from_env,
    env,
    settings_from_env,
)


def _database_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", default=env("DATABASE_URL", DEFAULT_DATABASE),
                        help="SQLAlchemy URL (env CHATSVC_DATABASE_URL; default %(default)s)")


def _public_url_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--public-url", default=env("PUBLIC_URL") or env("MEDIA_URL"),
                        help="the server's HTTP endpoint as clients reach it (env CHATSVC_PUBLIC_URL; default: "
                             "where `chatsvc serve` listens with the same environment)")


def _listed(flags: list[str] | None, name: str) -> tuple[str, ...]:
    """A repeatable flag's values, else CHATSVC_<name>'s comma-separated ones."""
    return tuple(flags) if flags else tuple(item.strip() for item in (env(name) or "").split(",") if item.strip())


def _on(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true", "yes", "on")


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _event_loop(text: str) -> str:
    if text not in ("uvloop", "asyncio"):
        raise argparse.ArgumentTypeError(f"must be uvloop or asyncio, not {text!r}")
    return text


def _non_negative(kind):
    def parse(text: str):
        number = kind(text)
        if number < 0:
            raise argparse.ArgumentTypeError(f"must be 0 (no bound) or more, not {number}")
        return number
    return parse


def _retention_flags(args) -> dict:
    """The retention flags given to `chatsvc serve` (they win over CHATSVC_APP_EVENT_RETENTION_*)."""
    given = {"app_event_retention_days": args.app_event_retention_days,
             "app_event_retention_count": args.app_event_retention_count}
    return {name: value for name, value in given.items() if value is not None}


def _command_arg(kind: str):
    """A `--slash-command ID=/NAME` / `--quick-command ID=NAME` value's parser: (kind, id, name)."""
    def parse(text: str) -> tuple[str, int, str]:
        number, sep, name = text.partition("=")
        if not sep or not number.strip().isdigit():
            raise argparse.ArgumentTypeError(f"expected ID={'/' if kind == 'slash' else ''}NAME, not {text!r}")
        return kind, int(number), name
    return parse


def _app_args(parser: argparse.ArgumentParser, *, create: bool) -> None:
    """The options of `chatsvc app create` and `update` (update: each one given changes that setting)."""
    _database_arg(parser)
    parser.add_argument("--name", required=True, help="the app's name, as `chatsvc token --app NAME` names it")
    connection = parser.add_mutually_exclusive_group(required=create)
    connection.add_argument("--endpoint", metavar="URL", help="the HTTP endpoint URL events are POSTed to")
    connection.add_argument("--pubsub-topic", metavar="TOPIC",
                            help="or the Pub/Sub topic they are published to, projects/PROJECT/topics/TOPIC")
    parser.add_argument("--audience", metavar="URL|PROJECT_NUMBER",
                        help="the ID tokens' audience: a URL or a project number (default: the endpoint URL)")
    parser.add_argument("--format", choices=("chat", "addon"), metavar="chat|addon",
                        help="the event format: Chat's classic events or the Workspace add-on format (default chat)")
    parser.add_argument("--slash-command", action="append", type=_command_arg("slash"), metavar="ID=/NAME",
                        help="a slash command (id 1 to 1000); repeat for more; on update: replaces the slash commands")
    parser.add_argument("--quick-command", action="append", type=_command_arg("quick"), metavar="ID=NAME",
                        help="a quick command; repeat for more; on update: replaces the quick commands")
    parser.add_argument("--link-preview", action="append", metavar="HOST[/PATH_PREFIX]",
                        help="links to preview (`*.example.com`, `support.example.com/cases/`); repeat for more (at "
                             "most 5); on update: replaces them")
    parser.add_argument("--display-name", help="the name people see (default: the app's name)")
    parser.add_argument("--avatar-url", help="http(s) URL of its picture")
    parser.add_argument("--description", help="what the app does")
    parser.add_argument("--direct-messages", choices=("on", "off"), help="whether people can message it directly "
                                                                         "(default on)")
    parser.add_argument("--spaces", choices=("on", "off"), help="whether it joins spaces and group chats (default on)")


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
    serve.add_argument("--trust-service-account", dest="trusted_service_accounts", action="append", metavar="FILE",
                       help="accept the tokens Google's libraries make from this service-account key file (JSON), "
                            "as app authentication of its Chat app; repeat for more (env "
                            "CHATSVC_TRUSTED_SERVICE_ACCOUNTS, comma-separated)")
    serve.add_argument("--service-account-app", dest="service_account_apps", action="append", metavar="EMAIL=APP",
                       help="the Chat app a trusted service account acts as (default: made from its email); repeat "
                            "for more (env CHATSVC_SERVICE_ACCOUNT_APPS, comma-separated)")
    serve.add_argument("--grace", type=float, default=float(env("GRACE_SECONDS", "10")),
                       help="seconds in-flight calls get to finish on SIGINT/SIGTERM")
    serve.add_argument("--log-level", default=env("LOG_LEVEL", "INFO"))
    serve.add_argument("--event-loop", type=_event_loop, default=env("EVENT_LOOP", "uvloop"),
                       metavar="uvloop|asyncio",
                       help="the event loop: uvloop (default; asyncio's own when uvloop is not installed) or asyncio "
                            "(env CHATSVC_EVENT_LOOP)")
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
    serve.add_argument("--tls-cert", default=env("TLS_CERT"),
                       help="serve gRPC and HTTP over TLS with this PEM certificate (chain), with --tls-key (env "
                            "CHATSVC_TLS_CERT; default: plain text)")
    serve.add_argument("--tls-key", default=env("TLS_KEY"),
                       help="the certificate's PEM private key, unencrypted (env CHATSVC_TLS_KEY)")
    serve.add_argument("--tls-self-signed", action="store_true", default=_on(env("TLS_SELF_SIGNED")),
                       help="serve over TLS with a certificate of a local CA kept in <data dir>/tls (made once; "
                            "clients trust tls/ca.pem) for localhost, 127.0.0.1, ::1 and every --tls-name "
                            "(env CHATSVC_TLS_SELF_SIGNED=true)")
    serve.add_argument("--tls-name", dest="tls_names", action="append",
                       default=[name for name in (env("TLS_NAMES") or "").split(",") if name.strip()],
                       help="a further host name or IP address for --tls-self-signed's certificate; repeat for more "
                            "(env CHATSVC_TLS_NAMES, comma-separated)")
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
    serve.add_argument("--app-event-retention-days", type=_non_negative(float), metavar="DAYS",
                       help="keep finished Chat app event deliveries this many days; 0: no bound (env "
                            "CHATSVC_APP_EVENT_RETENTION_DAYS; default 7)")
    serve.add_argument("--app-event-retention-count", type=_non_negative(int), metavar="N",
                       help="keep at most the newest N finished deliveries per app; 0: no bound (env "
                            "CHATSVC_APP_EVENT_RETENTION_COUNT; default 1000)")

    token = commands.add_parser("token", help="mint a bearer token; it is the last line of stdout")
    _database_arg(token)
    token.add_argument("--user", help="email of the human caller (user authentication)")
    token.add_argument("--app", help="Chat app name: alone, app authentication; with --user, the app used")
    token.add_argument("--scope", action="append", required=True,
                       help="OAuth scope, short (chat.spaces) or full URL; repeat for more")
    token.add_argument("--admin", action="store_true", help="the user has administrator privileges")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default %(default)s)")

    webhook = commands.add_parser("webhook", help="incoming webhooks of spaces: create, list, revoke, rotate")
    webhook_commands = webhook.add_subparsers(dest="webhook_command", required=True)
    create = webhook_commands.add_parser("create", help="register a webhook; its URL is the last line of stdout")
    _database_arg(create)
    create.add_argument("--space", required=True, help="the space, spaces/{space}")
    create.add_argument("--name", required=True, help="the name its messages are sent under")
    create.add_argument("--avatar-url", default="", help="http(s) URL of its picture")
    _public_url_arg(create)
    listing = webhook_commands.add_parser("list", help="a space's webhooks, one a line: name, sender, display name")
    _database_arg(listing)
    listing.add_argument("--space", required=True, help="the space, spaces/{space}")
    revoke = webhook_commands.add_parser("revoke", help="delete a webhook: its URL stops working at once")
    _database_arg(revoke)
    revoke.add_argument("webhook", help="spaces/{space}/webhooks/{webhook}")
    rotate = webhook_commands.add_parser("rotate", help="a new token: the old URL stops working; the new one is "
                                                        "the last line of stdout")
    _database_arg(rotate)
    rotate.add_argument("webhook", help="spaces/{space}/webhooks/{webhook}")
    _public_url_arg(rotate)

    app = commands.add_parser("app", help="Chat apps registered with chatsvc: create, update, list, delete; each "
                                          "prints the app(s) as JSON")
    app_commands = app.add_subparsers(dest="app_command", required=True)
    _app_args(app_commands.add_parser("create", help="register a Chat app"), create=True)
    _app_args(app_commands.add_parser("update", help="change the settings given of a registered app"), create=False)
    _database_arg(app_commands.add_parser("list", help="every registered app: {\"apps\": [...]}"))
    delete_app = app_commands.add_parser("delete", help="remove an app's registration (its identity and tokens stay)")
    _database_arg(delete_app)
    delete_app.add_argument("--name", required=True, help="the app's name")
    deliveries = app_commands.add_parser(
        "deliveries", help="an app's event deliveries, oldest first, one a line: event time, event type, outcome "
                           "(or state), HTTP status, latency, then the error or the message the reply produced")
    _database_arg(deliveries)
    deliveries.add_argument("--app", required=True, help="the app's name")
    deliveries.add_argument("--limit", type=_positive, default=20, help="the newest N (default %(default)s)")
    deliveries.add_argument("--follow", action="store_true",
                            help="then print deliveries as they finish, until interrupted (SIGINT or SIGTERM)")
    deliveries.add_argument("--json", action="store_true",
                            help="one JSON object a line: the Delivery as GetDelivery answers it")

    oauth_client = commands.add_parser("oauth-client", help="clients of chatsvc's OAuth authorization server")
    oauth_client_commands = oauth_client.add_subparsers(dest="oauth_client_command", required=True)
    register = oauth_client_commands.add_parser(
        "create", help="register a client; its client_secrets.json (Google's format) is the last line of stdout")
    _database_arg(register)
    register.add_argument("--redirect-uri", action="append", default=[],
                          help="where the browser returns with the code; repeat for more (installed apps: http "
                               "loopback URIs, any port accepted; default http://localhost)")
    register.add_argument("--kind", choices=("installed", "web"), default="installed",
                          help="installed (desktop or command line; PKCE required) or web (default %(default)s)")
    register.add_argument("--name", default="", help="the name the consent page shows")
    register.add_argument("--app", default="", help="the Chat app its users' calls go through (default chatsvc)")
    _public_url_arg(register)

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


def _http_base(public_url: str | None) -> str:
    """The webhook URLs' base: --public-url, else the HTTP address `chatsvc serve` takes from this environment."""
    if public_url:
        return public_url.rstrip("/")
    from chatsvc.http.server import http_address

    address = http_address(env("HTTP_LISTEN") or env("MEDIA_LISTEN", "auto"), env("LISTEN", DEFAULT_LISTEN))
    if address is None:
        return ""
    host, port = address
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
    scheme = "https" if env("TLS_CERT") or _on(env("TLS_SELF_SIGNED")) else "http"
    return f"{scheme}://{host}:{port}"


async def _webhook(args) -> list[str]:
    """The lines `chatsvc webhook ...` prints. The command line acts as the operator: no membership needed."""
    from chatsvc.aip import names
    from chatsvc.api.webhooks import parse_webhook_name, webhook_name
    from chatsvc.app import clock_us, open_database
    from chatsvc.domain.users import Directory
    from chatsvc.domain.webhooks import Webhooks, webhook_url

    db = await open_database(Settings(database_url=args.database, **database_settings_from_env()))
    try:
        webhooks = Webhooks(db, Directory(db, clock_us), clock_us)
        if args.webhook_command == "create":
            issued = await webhooks.create(None, names.space(args.space, "--space"), args.name, args.avatar_url)
        elif args.webhook_command == "rotate":
            issued = await webhooks.rotate(None, *parse_webhook_name(args.webhook, "webhook"))
        elif args.webhook_command == "revoke":
            await webhooks.delete(None, *parse_webhook_name(args.webhook, "webhook"))
            return [f"revoked {args.webhook}"]
        else:
            lines, after = [], None
            space_id = names.space(args.space, "--space")
            while True:
                page = await webhooks.list(None, space_id, after=after, limit=1000)
                lines += [f"{webhook_name(w.space_id, w.id)}\t{names.user_name(w.user_id)}\t{w.display_name}"
                          for w in page.items]
                if page.next_position is None:
                    return lines
                after = page.next_position
        webhook = issued.webhook
        return [webhook_name(webhook.space_id, webhook.id), webhook_url(_http_base(args.public_url), webhook,
                                                                        issued.token)]
    finally:
        await db.dispose()


def _app_settings(args, current):
    """The AppSettings the options given make, and the names of those they set. Commands of the kind not given
    are kept from `current` (the app being updated)."""
    from chatsvc.domain.chat_apps import AppCommand, AppSettings, CommandType, EventFormat, LinkPreviewPattern

    values = {}
    for option, field in (("display_name", "display_name"), ("avatar_url", "avatar_url"),
                          ("description", "description"), ("endpoint", "endpoint_url"),
                          ("pubsub_topic", "pubsub_topic"), ("audience", "authentication_audience")):
        if getattr(args, option) is not None:
            values[field] = getattr(args, option)
    if args.format is not None:
        values["event_format"] = EventFormat(args.format)
    if args.slash_command is not None or args.quick_command is not None:
        kept = current.commands if current else ()
        commands = []
        for kind, given in ((CommandType.SLASH, args.slash_command), (CommandType.QUICK, args.quick_command)):
            if given is None:
                commands += [c for c in kept if c.type is kind]
            else:
                commands += [AppCommand(number, name, kind) for _, number, name in given]
        values["commands"] = tuple(commands)
    if args.link_preview is not None:
        values["link_preview_patterns"] = tuple(LinkPreviewPattern(*pattern.partition("/")[::2])
                                                for pattern in args.link_preview)
    for option, field in (("direct_messages", "direct_messages_enabled"), ("spaces", "spaces_enabled")):
        if getattr(args, option) is not None:
            values[field] = getattr(args, option) == "on"
    return AppSettings(**values), frozenset(values)


async def _app(args) -> str:
    """What `chatsvc app ...` prints: the app as JSON (proto3 JSON, as the API answers), or every app. The command
    line acts as the operator: it manages every app."""
    import json

    from google.protobuf import json_format

    from chatsvc.api.chat_apps import app_proto
    from chatsvc.app import clock_us, open_database
    from chatsvc.domain.chat_apps import ChatApps
    from chatsvc.domain.users import Directory

    db = await open_database(Settings(database_url=args.database, **database_settings_from_env()))
    try:
        apps = ChatApps(db, Directory(db, clock_us), clock_us)
        if args.app_command == "list":
            found, after = [], None
            while True:
                page = await apps.list(None, after=after, limit=1000)
                found += [json_format.MessageToDict(app_proto(app)) for app in page.items]
                if page.next_position is None:
                    return json.dumps({"apps": found})
                after = page.next_position
        name = args.name.removeprefix("apps/")
        if args.app_command == "delete":
            app = await apps.delete(None, name)
        elif args.app_command == "create":
            app = await apps.create(None, name, _app_settings(args, None)[0])
        else:
            app = await apps.update(None, name, *_app_settings(args, await apps.fetch(None, name)))
        return json.dumps(json_format.MessageToDict(app_proto(app)))
    finally:
        await db.dispose()


FOLLOW_POLL_SECONDS = 0.5
# A delivery is stamped when it finishes and committed just after: a poll looks this far back so a late commit is
# still seen (ids already printed are skipped).
_FOLLOW_LOOKBACK_US = 5_000_000


def _delivery_line(delivery, as_json: bool) -> str:
    import json
    from datetime import UTC, datetime

    from google.protobuf import json_format

    from chatsvc.api.chat_apps import delivery_proto

    if as_json:
        return json.dumps(json_format.MessageToDict(delivery_proto(delivery)), separators=(",", ":"))
    when = datetime.fromtimestamp(delivery.event_time_us / 1e6, UTC).isoformat(timespec="milliseconds")
    finished = delivery.finished
    return "\t".join([when.replace("+00:00", "Z"), delivery.event_type,
                      delivery.outcome.value if finished and delivery.outcome else delivery.state.name.lower(),
                      str(delivery.status_code) if delivery.status_code else "-",
                      f"{delivery.latency_ms} ms" if finished else "-",
                      delivery.error or delivery.reply_message_name])


async def _app_deliveries(args) -> int:
    """`chatsvc app deliveries`: the newest deliveries, oldest first; with --follow, then each one as it finishes
    (polling the database) until SIGINT or SIGTERM, which end it with exit code 0."""
    import contextlib
    import signal

    from chatsvc.app import clock_us, open_database
    from chatsvc.domain.app_deliveries import AppDeliveries, DeliveryQuery
    from chatsvc.domain.chat_apps import ChatApps
    from chatsvc.domain.errors import DomainError
    from chatsvc.domain.users import Directory

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    name = args.app.removeprefix("apps/")
    db = await open_database(Settings(database_url=args.database, **database_settings_from_env()))
    try:
        deliveries = AppDeliveries(db, ChatApps(db, Directory(db, clock_us), clock_us))
        horizon = clock_us() - _FOLLOW_LOOKBACK_US
        # Finished ones not to print again: those finished before the listing (--follow tails what comes after it),
        # and the listed ones.
        earlier = await deliveries.finished_since(None, name, horizon, limit=1000) if args.follow else []
        page = await deliveries.list(None, name, DeliveryQuery(), after=None, limit=args.limit)
        for delivery in reversed(page.items):
            print(_delivery_line(delivery, args.json), flush=True)
        shown = {d.id: d.delivered_time_us for d in [*earlier, *page.items] if d.finished}
        while args.follow and not stop.is_set():
            finished = await deliveries.finished_since(None, name, horizon, limit=1000)
            for delivery in finished:
                if delivery.id not in shown:
                    print(_delivery_line(delivery, args.json), flush=True)
                    shown[delivery.id] = delivery.delivered_time_us
            # A full batch moves the horizon to its end, so a burst cannot hold the tail in place.
            horizon = max(horizon, clock_us() - _FOLLOW_LOOKBACK_US,
                          finished[-1].delivered_time_us if len(finished) == 1000 else 0)
            shown = {key: at for key, at in shown.items() if at >= horizon}
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FOLLOW_POLL_SECONDS)
        return 0
    except DomainError as error:
        print(f"chatsvc app deliveries: {error.message}", file=sys.stderr)
        return 2
    finally:
        await db.dispose()


async def _oauth_client(args) -> str:
    """`chatsvc oauth-client create`: the new client's client_secrets.json, on one line."""
    import json

    from chatsvc.app import clock_us, open_database
    from chatsvc.auth.tokens import valid_app_name
    from chatsvc.domain.oauth_grants import INSTALLED, OAuthGrants
    from chatsvc.domain.principal import DEFAULT_APP
    from chatsvc.oauth_server.client_secrets import client_secrets

    app = args.app or DEFAULT_APP
    if not valid_app_name(app):
        raise ValueError(f"not a valid app name: {app!r}")
    redirect_uris = args.redirect_uri or (["http://localhost"] if args.kind == INSTALLED else [])
    db = await open_database(Settings(database_url=args.database, **database_settings_from_env()))
    try:
        client, secret = await OAuthGrants(db, clock_us).create_client(args.kind, args.name, redirect_uris, app)
    finally:
        await db.dispose()
    return json.dumps(client_secrets(client, secret, _http_base(args.public_url)))


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


def _operator_command(label: str, work, *also_refused: type[Exception]) -> int:
    """Runs one operator command (on the server's database) and prints what it returns (a list: one line each);
    a refusal is one line on stderr and exit code 2."""
    from chatsvc.domain.errors import DomainError

    try:
        result = asyncio.run(work)
    except (DomainError, *also_refused) as error:
        print(f"chatsvc {label}: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
    print("\n".join(result) if isinstance(result, list) else result)
    return 0


def _run_server(main_coroutine, event_loop: str) -> None:
    """Runs the server on uvloop (3-13% less CPU per call than asyncio's own loop, measured in bench/PROFILE.md's
    round 3) unless asyncio's is asked for or uvloop is missing (it has no Windows build)."""
    loop_factory = None
    if event_loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            logging.getLogger("chatsvc").warning("uvloop is not installed: serving on asyncio's event loop")
        else:
            loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(main_coroutine)


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
                            trusted_service_accounts=_listed(args.trusted_service_accounts,
                                                             "TRUSTED_SERVICE_ACCOUNTS"),
                            service_account_apps=_listed(args.service_account_apps, "SERVICE_ACCOUNT_APPS"),
                            http_listen=args.http_listen, public_url=args.public_url, data_dir=args.data_dir,
                            tls_cert=args.tls_cert, tls_key=args.tls_key, tls_self_signed=args.tls_self_signed,
                            tls_names=tuple(args.tls_names),
                            max_upload_bytes=args.max_upload_bytes, secret_key=env("SECRET_KEY"),
                            oauth_redirect_uri=args.oauth_redirect_uri, oauth_state_ttl_seconds=args.oauth_state_ttl,
                            provider_timeout_seconds=args.provider_timeout, migrate_on_start=args.migrate,
                            **campaign_settings_from_env(), **database_settings_from_env(),
                            **settings_from_env(LIMIT_FIELDS), **settings_from_env(OAUTH_SERVER_FIELDS),
                            **settings_from_env(APP_EVENT_FIELDS) | _retention_flags(args))
        from chatsvc.auth.service_accounts import ServiceAccounts
        from chatsvc.tls import TlsError

        if settings.trusted_service_accounts:
            try:  # read once here, so that a file that cannot be trusted stops the start in one line, before workers
                ServiceAccounts.from_files(settings.trusted_service_accounts, settings.service_account_apps)
            except ValueError as error:
                print(f"chatsvc serve: {error}", file=sys.stderr)
                return 2
        try:
            if args.workers > 1:
                from chatsvc.supervisor import supervise

                return supervise(settings, args.workers, argv[argv.index("serve") + 1:])
            _run_server(serve(settings), args.event_loop)
        except TlsError as error:
            print(f"chatsvc serve: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "oauth-client":
        return _operator_command(f"oauth-client {args.oauth_client_command}", _oauth_client(args), ValueError)
    if args.command == "webhook":
        return _operator_command(f"webhook {args.webhook_command}", _webhook(args))
    if args.command == "app":
        if args.app_command == "deliveries":
            return asyncio.run(_app_deliveries(args))
        return _operator_command(f"app {args.app_command}", _app(args))
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
