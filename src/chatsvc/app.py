"""Composition root: database, keys, domain services, servicers, interceptors; start and stop."""
from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
from google.chat.v1 import chat_service_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from chatsvc.aip.pagination import PageTokens
from chatsvc.api.attachment_protos import MessageAttachments
from chatsvc.api.chat_apps import AppService
from chatsvc.api.chat_service import ChatService
from chatsvc.api.chat_service import add_to_server as add_chat_service
from chatsvc.api.credentials import SERVICE as CREDENTIAL_SERVICE
from chatsvc.api.credentials import CredentialService
from chatsvc.api.interceptors import CallInterceptor
from chatsvc.api.live_events import LiveService, ResumeTokens
from chatsvc.api.local_calls import LocalCalls
from chatsvc.api.media_http import media_app
from chatsvc.api.media_urls import MediaUrls
from chatsvc.api.message_protos import MessageSnapshots
from chatsvc.api.pages import Pager
from chatsvc.api.people import PeopleService
from chatsvc.api.webhooks import WebhookService
from chatsvc.apps.v1 import app_service_pb2_grpc
from chatsvc.auth.interceptor import Authenticator
from chatsvc.auth.rate_limits import RateLimiter
from chatsvc.auth.scopes import (
    APP_SERVICE,
    CAMPAIGN_SERVICE,
    DIRECTORY_SERVICE,
    INTERACTION_SERVICE,
    LIVE_SERVICE,
    PEOPLE_SERVICE,
    WEBHOOK_SERVICE,
)
from chatsvc.auth.service_accounts import ServiceAccounts
from chatsvc.auth.tokens import MAX_TOKEN_BYTES, TokenService
from chatsvc.campaigns.v1 import campaign_service_pb2_grpc
from chatsvc.config import Settings
from chatsvc.credentials.v1 import credential_service_pb2_grpc
from chatsvc.directory.v1 import directory_service_pb2_grpc
from chatsvc.domain.app_config import ConfigCompletion
from chatsvc.domain.app_deliveries import AppDeliveries
from chatsvc.domain.attachments import Attachments
from chatsvc.domain.availability import Availabilities
from chatsvc.domain.chat_apps import ChatApps
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.custom_emojis import CustomEmojis
from chatsvc.domain.email_files import ORIGIN_LIMITS
from chatsvc.domain.live_events import LiveEvents, LiveHub
from chatsvc.domain.media import MAX_UPLOAD_BYTES
from chatsvc.domain.memberships import Memberships
from chatsvc.domain.message_search import MessageSearch
from chatsvc.domain.messages import Messages
from chatsvc.domain.notification_settings import NotificationSettings
from chatsvc.domain.people import People
from chatsvc.domain.pins import Pins
from chatsvc.domain.reactions import Reactions
from chatsvc.domain.read_states import ReadStates
from chatsvc.domain.sections import Sections
from chatsvc.domain.space_events import SpaceEvents
from chatsvc.domain.spaces import Spaces
from chatsvc.domain.users import Directory
from chatsvc.domain.webhooks import Webhooks
from chatsvc.events.config_links import ConfigLinks
from chatsvc.events.identity import EventIdentity
from chatsvc.http.config_complete import config_complete_routes
from chatsvc.http.discovery import CHAT, OWN_SERVICES, discovery_routes
from chatsvc.http.google_certs import google_certs_routes
from chatsvc.http.live_stream import live_stream_routes
from chatsvc.http.rest import RestApi, RestRoutes
from chatsvc.http.server import HttpServer, add_rest, http_address, start_http
from chatsvc.http.token_endpoint import add_token_endpoint
from chatsvc.http.uploads import StreamedUploads, streamed_uploads
from chatsvc.http.webhooks import add_incoming_webhooks
from chatsvc.interactions.v1 import interaction_service_pb2_grpc
from chatsvc.live.v1 import live_service_pb2_grpc
from chatsvc.oauth_server import oauth_grants, oauth_routes
from chatsvc.people.v1 import people_service_pb2_grpc
from chatsvc.storage.blobs import FileBlobStore, default_root
from chatsvc.storage.database import Database
from chatsvc.storage.repos.live_events import on_event_recorded
from chatsvc.tls import ServerTls, tls_for
from chatsvc.web.routes import web_routes
from chatsvc.webhooks.v1 import webhook_service_pb2_grpc
from chatsvc.wiring.app_interactions import interaction_service
from chatsvc.wiring.campaigns import campaign_parts
from chatsvc.wiring.credentials import credentials_service
from chatsvc.workers.app_event_retention import AppEventRetention
from chatsvc.workers.app_events import AppEventWorker
from chatsvc.workers.scheduler import process_owner_id

log = logging.getLogger("chatsvc")
SIGNING_KEY_SETTING = "signing_key"


def clock_us() -> int:
    return time.time_ns() // 1000


async def signing_key(db: Database, override: str | None) -> bytes:
    """The token signing key: the override if given, else the one stored with the data (made on first use),
    so every replica on one database and `chatsvc token` agree."""
    if override:
        key = override.encode()
        if len(key) < 32:
            raise ValueError("CHATSVC_SIGNING_KEY must be at least 32 bytes")
        return key
    async with db.transaction(write=True) as repos:
        return await repos.settings.put_if_absent(SIGNING_KEY_SETTING, secrets.token_bytes(32))


async def open_database(settings: Settings) -> Database:
    db = Database(settings.database_url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow,
                  pool_timeout_seconds=settings.db_pool_timeout_seconds,
                  pool_recycle_seconds=settings.db_pool_recycle_seconds, pool_pre_ping=settings.db_pool_pre_ping,
                  statement_cache_size=settings.db_statement_cache_size)
    if settings.migrate_on_start:  # off in `--workers` children: their parent migrated once for all
        await db.migrate()
    return db


@dataclass
class RunningServer:
    server: grpc.aio.Server
    health: health.aio.HealthServicer
    db: Database
    tokens: TokenService
    port: int
    http: HttpServer | None = None  # the HTTP endpoint (REST, media, ...), unless switched off
    credentials: Credentials | None = None  # for in-process callers: `usable(user, credential, capability)`
    scheduler: object | None = None  # the campaign scheduler, when this process runs one
    tls: ServerTls | None = None  # both surfaces serve TLS with this (None: plain text)
    event_identity: EventIdentity | None = None  # signs requests to Chat apps: `id_token_for(audience)`
    app_events: AppEventWorker | None = None  # delivers queued Chat app events, when this process does
    app_event_retention: AppEventRetention | None = None  # deletes deliveries past their bounds
    live: LiveHub | None = None  # the live channel's poller: ended first on stop, so its streams do not hold it


    @property
    def media(self) -> HttpServer | None:
        """The HTTP endpoint by its older name: media was the first thing it served."""
        return self.http

    @property
    def media_port(self) -> int | None:
        return self.http.port if self.http else None

    async def stop(self, grace: float) -> None:
        """NOT_SERVING first, so balancers drain us; then in-flight calls get `grace` seconds to finish."""
        await self.health.enter_graceful_shutdown()
        if self.live:  # open live streams end now (their clients resume) rather than wait out the grace period
            self.live.close()
        if self.scheduler:  # no new campaign is claimed; one being sent stops between two messages
            await self.scheduler.stop()
        if self.app_events:  # no new claims; deliveries in flight get the grace period
            await self.app_events.stop(grace)
        if self.app_event_retention:
            await self.app_event_retention.stop()
        await self.server.stop(grace)
        if self.http:
            await self.http.stop()
        await self.db.dispose()


def server_options(settings: Settings) -> list[tuple[str, int]]:
    """gRPC channel arguments: message size limits, keepalive and its enforcement, header room, port sharing."""
    def ms(seconds: float) -> int:
        return int(seconds * 1000)

    return [
        ("grpc.max_receive_message_length", settings.max_receive_message_bytes),
        ("grpc.max_send_message_length", settings.max_send_message_bytes),
        # Room for headers above the token size we accept, so an oversize token meets our check
        # (UNAUTHENTICATED with ErrorInfo) rather than gRPC's own metadata limit.
        ("grpc.max_metadata_size", 4 * MAX_TOKEN_BYTES),
        # Dead peers are found by our pings; clients may ping idle connections (behind load balancers they
        # must), but not more often than the minimum interval: a third ping too soon closes the connection.
        ("grpc.keepalive_time_ms", ms(settings.keepalive_seconds)),
        ("grpc.keepalive_timeout_ms", ms(settings.keepalive_timeout_seconds)),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.min_ping_interval_without_data_ms", ms(settings.min_client_ping_interval_seconds)),
        ("grpc.http2.max_ping_strikes", 2),
        # Several processes may listen on one port (`--workers`); the kernel spreads connections.
        ("grpc.so_reuseport", 1),
    ]


async def start(settings: Settings) -> RunningServer:
    tls = tls_for(settings)  # first: TLS settings that cannot work stop the start before anything is opened
    db = await open_database(settings)
    key = await signing_key(db, settings.signing_key)
    # Only the public half of each trusted service-account key is kept (chatsvc.auth.service_accounts).
    service_accounts = ServiceAccounts.from_files(settings.trusted_service_accounts,
                                                  settings.service_account_apps) \
        if settings.trusted_service_accounts else None
    tokens = TokenService(key, jwks_file=settings.jwks_file, jwks_issuer=settings.jwks_issuer,
                          jwks_audience=settings.jwks_audience, service_accounts=service_accounts)
    oauth = oauth_grants(settings, db, tokens, clock_us)  # the OAuth server's grants; the gate asks if one stands
    directory = Directory(db, clock_us)
    data_dir = Path(settings.data_dir) if settings.data_dir else default_root(settings.database_url)
    blobs = FileBlobStore(data_dir)
    # chat@system.gserviceaccount.com's key pair, in <data dir>/events, shared by every process on the data dir
    # (read now if it exists, else made on first use).
    event_identity = await asyncio.to_thread(EventIdentity.for_data_dir, data_dir)
    media_urls = MediaUrls(key)
    credentials = credentials_service(settings, db, directory, clock_us, key, db.sqlite_file, data_dir,
                                      lambda: media_urls.base)
    attachments = Attachments(db, directory, clock_us, blobs, MessageAttachments(media_urls),
                              max_bytes=min(settings.max_upload_bytes or MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES))
    custom_emojis = CustomEmojis(db, directory, clock_us, blobs)
    messages = Messages(db, directory, clock_us, MessageSnapshots(), uploads=attachments)
    chat = ChatService(
        spaces=Spaces(db, directory, clock_us),
        memberships=Memberships(db, directory, clock_us),
        messages=messages,
        attachments=attachments,
        custom_emojis=custom_emojis,
        media=media_urls,
        message_search=MessageSearch(db, directory),
        read_states=ReadStates(db, directory, clock_us),
        notification_settings=NotificationSettings(db, directory),
        availabilities=Availabilities(db, directory, clock_us),
        reactions=Reactions(db, directory, clock_us, MessageSnapshots()),
        pins=Pins(db, directory, clock_us),
        sections=Sections(db, directory, clock_us),
        space_events=SpaceEvents(db, directory, clock_us),
        pager=Pager(PageTokens(key)),
    )
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst) \
        if settings.rate_limit_per_minute > 0 else None
    interceptor = CallInterceptor(Authenticator(tokens), limiter=limiter,
                                  call_timeout=settings.call_timeout_seconds or None)
    server = grpc.aio.server(interceptors=[interceptor], maximum_concurrent_rpcs=settings.max_concurrent_rpcs or None,
                             options=server_options(settings))
    # The REST surface calls the same servicers through the same interceptor, in-process.
    local = LocalCalls(interceptor)
    campaigns = campaign_parts(settings, db, directory, clock_us, key, blobs, credentials,
                               sqlite_file=db.sqlite_file, data_dir=data_dir)
    credential_service = CredentialService(credentials, Pager(PageTokens(key)))
    webhooks = Webhooks(db, directory, clock_us, per_minute=settings.webhook_rate_per_minute,
                        burst=settings.webhook_rate_burst)
    webhook_service = WebhookService(webhooks, Pager(PageTokens(key)), lambda: media_urls.base)
    chat_apps = ChatApps(db, directory, clock_us)
    app_service = AppService(chat_apps, AppDeliveries(db, chat_apps), Pager(PageTokens(key)))
    config_links = ConfigLinks(key, lambda: media_urls.base)
    interactions = interaction_service(db, directory, messages, event_identity, clock_us,
                                       settings.app_event_timeout_seconds)
    live_hub = LiveHub(db, clock_us)
    on_event_recorded(db.engine, live_hub.nudge)  # events recorded here reach this process's streams at once
    live_service = LiveService(LiveEvents(db, directory, clock_us, live_hub), ResumeTokens(key), tokens)
    people_service = PeopleService(People(db, directory))
    for target in (server, local):
        live_service_pb2_grpc.add_LiveServiceServicer_to_server(live_service, target)
        add_chat_service(chat, target)  # message RPCs answer gRPC with stored snapshots as they are
        credential_service_pb2_grpc.add_CredentialServiceServicer_to_server(credential_service, target)
        directory_service_pb2_grpc.add_DirectoryServiceServicer_to_server(campaigns.directory_service, target)
        campaign_service_pb2_grpc.add_CampaignServiceServicer_to_server(campaigns.campaign_service, target)
        webhook_service_pb2_grpc.add_WebhookServiceServicer_to_server(webhook_service, target)
        app_service_pb2_grpc.add_AppServiceServicer_to_server(app_service, target)
        interaction_service_pb2_grpc.add_InteractionServiceServicer_to_server(interactions, target)
        people_service_pb2_grpc.add_PeopleServiceServicer_to_server(people_service, target)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    chat_name = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"].full_name
    reflection.enable_server_reflection(
        [chat_name, CREDENTIAL_SERVICE, DIRECTORY_SERVICE, CAMPAIGN_SERVICE, WEBHOOK_SERVICE, APP_SERVICE,
         INTERACTION_SERVICE, LIVE_SERVICE, PEOPLE_SERVICE, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    port = server.add_secure_port(settings.listen, tls.grpc_credentials()) if tls else \
        server.add_insecure_port(settings.listen)
    if port == 0:
        raise OSError(f"cannot listen on {settings.listen}")
    http = None
    if address := http_address(settings.http_listen, settings.listen):
        app = media_app(tokens, attachments, custom_emojis, media_urls, credentials,
                        max_body_bytes=settings.max_receive_message_bytes)
        app.router.add_routes(discovery_routes(lambda: media_urls.base))
        # The public keys of event_identity at Google's paths (x509 and JWK metadata, /oauth2/v1/certs).
        app.router.add_routes(google_certs_routes(event_identity))
        # Where apps send users back after a REQUEST_CONFIG flow (events' configCompleteRedirectUrl).
        app.router.add_routes(config_complete_routes(config_links, ConfigCompletion(db, messages, clock_us)))
        # The client-streamed campaign upload, at its binding's path as a media upload (before REST's catch-all).
        app.router.add_routes(StreamedUploads(streamed_uploads([CHAT, *OWN_SERVICES]), local,
                                              max(ORIGIN_LIMITS.values())).routes())
        rest = RestApi(RestRoutes([CHAT, *OWN_SERVICES]), local, settings.max_receive_message_bytes)
        # Webhook URLs (`?key=&token=`) are answered before any route: they post messages and nothing else.
        add_incoming_webhooks(app, webhooks, rest.routes, local, settings.max_receive_message_bytes)
        add_token_endpoint(app, service_accounts, tokens)  # POST /token: where a key file's token_uri may point
        # The OAuth 2.0 authorization server for users: /oauth2/auth, /oauth2/token, /oauth2/revoke.
        app.router.add_routes(oauth_routes(settings, oauth, tokens, key, address[0], lambda: media_urls.base,
                                           clock_us))
        app.router.add_routes(web_routes())  # the browser client: /, /cards, /static/
        app.router.add_routes(live_stream_routes(local))  # LiveService.StreamEvents as server-sent events
        add_rest(app, rest)
        http = await start_http(app, *address, settings.public_url, settings.grace_seconds,
                                ssl_context=tls.ssl_context if tls else None)
        media_urls.base = http.url
        if service_accounts is not None:
            service_accounts.public_url = http.url
    await server.start()
    for name in ("", chat_name, CREDENTIAL_SERVICE, DIRECTORY_SERVICE, CAMPAIGN_SERVICE, WEBHOOK_SERVICE,
                 APP_SERVICE, INTERACTION_SERVICE, LIVE_SERVICE, PEOPLE_SERVICE):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    if campaigns.scheduler:
        campaigns.scheduler.start()
    app_events = None
    if settings.app_events_enabled:  # every process delivers: a claim gives each event to one of them
        app_events = AppEventWorker(
            db, messages, event_identity, clock_us, process_owner_id(), poll_seconds=settings.app_events_poll_seconds,
            lease_seconds=settings.app_events_lease_seconds, timeout_seconds=settings.app_event_timeout_seconds,
            per_app=settings.app_event_concurrency_per_app, max_concurrent=settings.app_event_concurrency,
            config_links=config_links)
        app_events.start()
    retention = AppEventRetention(db, clock_us, days=settings.app_event_retention_days,
                                  count=settings.app_event_retention_count,
                                  sweep_seconds=settings.app_event_retention_sweep_seconds)
    if retention.bounded:  # every process sweeps; on PostgreSQL one at a time
        retention.start()
    return RunningServer(server, health_servicer, db, tokens, port, http, credentials, campaigns.scheduler, tls,
                         event_identity, app_events, retention if retention.bounded else None, live_hub)


async def serve(settings: Settings) -> None:
    running = await start(settings)
    # Everything made at start-up (modules, descriptors, tables) lives as long as the process: keep it out
    # of the full collections, which otherwise walk it all and pause the event loop for tens of milliseconds.
    gc.freeze()
    log.info("chatsvc listening on %s (database %s)", settings.listen.rsplit(":", 1)[0] + f":{running.port}",
             Database.redacted(settings.database_url))
    if running.http:
        log.info("HTTP endpoint (REST, discovery, media) at %s", running.http.url)
        log.info("the browser client: open %s/", running.http.url.rstrip("/"))
    if running.tls:
        log.info("%s", running.tls.describe())
    for account in running.tokens.service_accounts:
        log.info("trusting service account %s (key %s) as the Chat app %s", account.client_email,
                 account.private_key_id, account.app)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down: draining in-flight calls for up to %.0fs", settings.grace_seconds)
    await running.stop(settings.grace_seconds)
