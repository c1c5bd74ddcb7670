"""The app-event worker: a loop in every server process that claims queued Chat app events and delivers them.

Every `poll_seconds` it claims up to its free slots of due events (chatsvc.events.outbox) under a lease, and
delivers each in its own task: the event JSON (chatsvc.events.payloads) POSTed to the app's endpoint with
`Authorization: Bearer` an ID token for the app's audience, `User-Agent: Google-Dynamite`, within the timeout, at most
`per_app` requests in flight per app. The synchronous reply, a Message, is posted as the app in the event's space
(in the event message's thread when that was a thread reply) through the same domain rules as CreateMessage under
app authentication, so it triggers no event; an empty body or `{}` posts nothing. A timeout, an error status,
non-JSON or an invalid reply is recorded as failed and posts nothing. Like Google, a failed delivery is not retried;
an event whose process died mid-delivery (its lease ran out) is delivered again by another.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time

import aiohttp
from google.chat.v1 import message_pb2
from google.protobuf import json_format

from chatsvc.aip import names
from chatsvc.api.message_protos import content_draft
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import DomainError
from chatsvc.domain.message_drafts import ReplyOption
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import AuthKind, Principal
from chatsvc.events import formats, payloads, pubsub
from chatsvc.events.records import Delivery, Outcome, QueuedEvent
from chatsvc.workers.polling import poll_until_stopped, stop_polling

log = logging.getLogger("chatsvc.app_events")

USER_AGENT = "Google-Dynamite"
MAX_REPLY_BYTES = 1 << 20  # read at most this much of a reply
KEPT_REPLY_CHARS = 4096  # the reply body kept on record, clipped
_BOT_SCOPES = frozenset({"https://www.googleapis.com/auth/chat.bot"})


class _Failed(Exception):
    """A reply that is not acted on: the message recorded."""


class AppEventWorker:
    def __init__(self, db: Transactions, messages, identity, clock: Clock, owner: str, *, poll_seconds: float,
                 lease_seconds: float, timeout_seconds: float, per_app: int, max_concurrent: int):
        self._db = db
        self._messages = messages  # chatsvc.domain.messages.Messages: replies are posted through it
        self._identity = identity  # chatsvc.events.identity.EventIdentity
        self._clock = clock
        self.owner = owner
        self._poll = poll_seconds
        self._lease_us = int(lease_seconds * 1_000_000)
        self._timeout = timeout_seconds
        self._per_app = per_app
        self._max = max_concurrent
        self._app_slots: dict[str, asyncio.Semaphore] = {}
        self._runs: dict[str, asyncio.Task] = {}
        self._loop_task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._loop_task = asyncio.create_task(self._loop(), name="app-event-worker")

    async def stop(self, wait_seconds: float = 5.0) -> None:
        """No new claims; deliveries in flight get `wait_seconds`, then are cancelled (their lease runs out)."""
        await stop_polling(self._stopping, self._loop_task, list(self._runs.values()), wait_seconds)
        if self._session is not None:
            await self._session.close()

    async def tick(self) -> list[str]:
        """Claims what is due, as far as free slots allow, and starts delivering it; returns the ids claimed."""
        free = self._max - len(self._runs)
        if free <= 0 or self._stopping.is_set():
            return []
        now = self._clock()
        claimed = await write(self._db, lambda r: r.app_events.claim_due(now, self.owner, now + self._lease_us, free))
        for event in claimed:
            self._runs[event.id] = asyncio.create_task(self._run(event), name=f"app-event-{event.id}")
        return [event.id for event in claimed]

    async def _loop(self) -> None:
        await poll_until_stopped(self.tick, self._stopping, self._poll, "the app-event worker")

    async def _run(self, event: QueuedEvent) -> None:
        try:
            slots = self._app_slots.setdefault(event.app_name, asyncio.Semaphore(self._per_app))
            async with slots:
                delivery = await self._deliver(event)
            if not await write(self._db, lambda r: r.app_events.finish(event.id, self.owner, delivery)):
                log.warning("app event %s: lease lost before its delivery was recorded", event.id)
            log.info("app event %s %s to %s: %s %s", event.id, event.event_type.value, event.app_name,
                     delivery.outcome.value, delivery.error or delivery.status_code)
        except Exception:  # noqa: BLE001 - one event's failure must not reach the loop; its lease runs out
            log.exception("app event %s: delivery stopped on an unexpected error", event.id)
        finally:
            self._runs.pop(event.id, None)

    async def _deliver(self, event: QueuedEvent) -> Delivery:
        app = await read(self._db, lambda r: r.chat_apps.by_name(event.app_name))
        built = await read(self._db, lambda r: payloads.build(r, event))
        if app is None or not (app.endpoint_url or app.pubsub_topic) or built is None:
            return Delivery(Outcome.SKIPPED, error="the app, its endpoint or what the event is about is gone",
                            delivered_time_us=self._clock())
        try:
            body = json.dumps(formats.event_for(app, built.body), separators=(",", ":"))
        except formats.ReplyFormatError as e:
            return Delivery(Outcome.FAILED, error=str(e), delivered_time_us=self._clock())
        if not app.endpoint_url:
            return await self._publish(app.pubsub_topic, body)
        token = await asyncio.to_thread(self._identity.id_token_for, app.authentication_audience)
        headers = {"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT,
                   "Content-Type": "application/json; charset=UTF-8"}
        started = time.monotonic()
        status, raw = 0, b""
        try:
            async with self._session.post(app.endpoint_url, data=body.encode(), headers=headers,
                                          allow_redirects=False) as response:
                status = response.status
                raw = await response.content.read(MAX_REPLY_BYTES)
        except TimeoutError:
            return self._record(Outcome.FAILED, body, started, status, raw,
                                f"no answer within {self._timeout:g} s")
        except aiohttp.ClientError as e:
            return self._record(Outcome.FAILED, body, started, status, raw, f"{type(e).__name__}: {e}")
        if not 200 <= status < 300:
            return self._record(Outcome.FAILED, body, started, status, raw, f"the app answered HTTP {status}")
        try:
            message_id = await self._act_on(app, event, built, raw)
        except _Failed as e:
            return self._record(Outcome.FAILED, body, started, status, raw, str(e))
        if not message_id:
            return self._record(Outcome.NO_REPLY, body, started, status, raw)
        return self._record(Outcome.REPLIED, body, started, status, raw, reply_message_id=message_id)

    async def _publish(self, topic: str, body: str) -> Delivery:
        """A Pub/Sub app's event: published, never answered (the app replies through the API)."""
        started = time.monotonic()
        try:
            published = await pubsub.publish(topic, body)
        except pubsub.PublishError as e:
            return self._record(Outcome.FAILED, body, started, 0, b"", str(e))
        return self._record(Outcome.NO_REPLY, body, started, 0, b"", reply=f"published as {published}")

    def _record(self, outcome: Outcome, body: str, started: float, status: int, raw: bytes, error: str = "",
                reply_message_id: str = "", reply: str = "") -> Delivery:
        return Delivery(outcome, event_json=body, status_code=status,
                        latency_ms=int((time.monotonic() - started) * 1000),
                        reply=reply or raw.decode("utf-8", "replace")[:KEPT_REPLY_CHARS], error=error,
                        reply_message_id=reply_message_id, delivered_time_us=self._clock())

    async def _act_on(self, app, event: QueuedEvent, built: payloads.BuiltEvent, raw: bytes) -> str:
        """Posts the reply's message as the app; its name, or "" for no reply."""
        if not raw.strip():
            return ""
        try:
            reply = json.loads(raw)
        except ValueError:
            raise _Failed("the reply is not JSON") from None
        if not isinstance(reply, dict):
            raise _Failed("the reply is not a JSON object")
        try:
            reply = formats.classic_reply(app, reply)
        except formats.ReplyFormatError as e:
            raise _Failed(str(e)) from None
        if not reply:
            return ""
        action = reply.pop("actionResponse", None) or reply.pop("action_response", None) or {}
        kind = action.get("type", "NEW_MESSAGE") if isinstance(action, dict) else "?"
        if kind not in ("NEW_MESSAGE", "TYPE_UNSPECIFIED"):
            raise _Failed(f"actionResponse type {kind} is not supported yet")
        if not reply:
            return ""
        proto = message_pb2.Message()
        try:
            json_format.ParseDict(reply, proto)
        except json_format.ParseError as e:
            raise _Failed(f"the reply is not a Message: {e}") from None
        request: dict = {}
        if proto.thread.name or proto.thread.thread_key:
            if proto.thread.name:
                try:
                    space_id, request["thread_id"] = names.thread(proto.thread.name, "thread.name")
                except DomainError as e:
                    raise _Failed(f"invalid reply: {e}") from None
                if space_id != event.space_id:
                    raise _Failed("invalid reply: thread.name names a thread of another space")
            request["thread_key"] = proto.thread.thread_key
            request["reply_option"] = ReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD
        elif built.message is not None and built.message.thread_reply:
            request.update(thread_id=built.message.thread_id,
                           reply_option=ReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
        principal = Principal(kind=AuthKind.APP, app=app.name, scopes=_BOT_SCOPES)
        try:
            draft = content_draft(proto, **request)
            message = await self._messages.create(principal, event.space_id, draft)
        except DomainError as e:
            raise _Failed(f"invalid reply: {e}") from None
        return names.message_name(event.space_id, message.id)
