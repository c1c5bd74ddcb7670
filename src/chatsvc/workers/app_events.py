"""The app-event worker: a loop in every server process that claims queued Chat app events and delivers them.

Every `poll_seconds` it claims up to its free slots of due events (chatsvc.events.outbox) under a lease, and
delivers each in its own task, at most `per_app` requests in flight per app: the event JSON (chatsvc.events.payloads)
POSTed to the app's endpoint by chatsvc.events.delivery, or published to a Pub/Sub app's topic. The synchronous reply
takes effect through chatsvc.domain.app_replies (a new message from the app in the event's space, in the event
message's thread when that was a thread reply; an update; a private configuration prompt), under app authentication,
so it triggers no event; an empty body or `{}` does nothing. A timeout, an error status, non-JSON or a reply that
cannot take effect is recorded as failed, changes nothing, and (for a MESSAGE event, which a user waits on) leaves
the user the app's private "not responding" notice. Like Google, a failed delivery is not retried; an event whose
process died mid-delivery (its lease ran out) is delivered again by another.
"""
from __future__ import annotations

import asyncio
import logging
import time

from chatsvc.domain.access import read, write
from chatsvc.domain.app_replies import ReplyActions, ReplyContext, ReplyFailed
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.events import formats, payloads, pubsub
from chatsvc.events.delivery import Deliverer, Exchange
from chatsvc.events.records import Delivery, EventType, Outcome, QueuedEvent
from chatsvc.workers.polling import poll_until_stopped, stop_polling

log = logging.getLogger("chatsvc.app_events")

# The events a user waits on an answer to: a failed one leaves them the "not responding" notice.
_NOTICED = frozenset({EventType.MESSAGE})


class AppEventWorker:
    def __init__(self, db: Transactions, messages, identity, clock: Clock, owner: str, *, poll_seconds: float,
                 lease_seconds: float, timeout_seconds: float, per_app: int, max_concurrent: int,
                 config_links=None):
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
        self._config_links = config_links  # chatsvc.events.config_links.ConfigLinks: MESSAGE events' link
        self._deliverer = Deliverer(identity, timeout_seconds)
        self._replies = ReplyActions(db, messages, clock)
        self._app_slots: dict[str, asyncio.Semaphore] = {}
        self._runs: dict[str, asyncio.Task] = {}
        self._loop_task: asyncio.Task | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._loop(), name="app-event-worker")

    async def stop(self, wait_seconds: float = 5.0) -> None:
        """No new claims; deliveries in flight get `wait_seconds`, then are cancelled (their lease runs out)."""
        await stop_polling(self._stopping, self._loop_task, list(self._runs.values()), wait_seconds)
        await self._deliverer.close()

    async def tick(self) -> list[str]:
        """Claims what is due, as far as free slots allow, and starts delivering it; returns the ids claimed."""
        free = self._max - len(self._runs)
        if free <= 0 or self._stopping.is_set():
            return []
        now = self._clock()
        # A read first: an idle poll takes no write lock (on SQLite, a write lock every poll would stall writers
        # that do not wait for it).
        if not await read(self._db, lambda r: r.app_events.any_due(now)):
            return []
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
        if event.event_type is EventType.MESSAGE and self._config_links is not None:
            if link := self._config_links.url(event):
                built.body["configCompleteRedirectUrl"] = link
        if not app.endpoint_url:
            try:
                body = Deliverer.body_for(app, built.body)
            except formats.ReplyFormatError as e:
                return Delivery(Outcome.FAILED, error=str(e), delivered_time_us=self._clock())
            return await self._publish(app.pubsub_topic, body)
        exchange = await self._deliverer.exchange(app, built.body, event.space_id)
        context = ReplyContext(app, event.event_type.value, event.space_id, event.user_id, built.message,
                               dialog=bool(built.body.get("isDialogEvent")), event_id=event.id)
        if exchange.error:
            return await self._failed(event, context, exchange, exchange.error)
        try:
            message_name = await self._replies.apply(context, exchange.reply) if exchange.reply else ""
        except ReplyFailed as e:
            return await self._failed(event, context, exchange, str(e))
        return exchange.record(Outcome.REPLIED if message_name else Outcome.NO_REPLY, reply_message_id=message_name,
                               delivered_time_us=self._clock())

    async def _failed(self, event: QueuedEvent, context: ReplyContext, exchange: Exchange, error: str) -> Delivery:
        if event.event_type in _NOTICED:
            await self._replies.not_responding(context)
        return exchange.record(Outcome.FAILED, error=error, delivered_time_us=self._clock())

    async def _publish(self, topic: str, body: str) -> Delivery:
        """A Pub/Sub app's event: published, never answered (the app replies through the API)."""
        started = time.monotonic()
        try:
            published = await pubsub.publish(topic, body)
        except pubsub.PublishError as e:
            return self._record(Outcome.FAILED, body, started, 0, b"", str(e))
        return self._record(Outcome.NO_REPLY, body, started, 0, b"", reply=f"published as {published}")

    def _record(self, outcome: Outcome, body: str, started: float, status: int, raw: bytes, error: str = "",
                reply: str = "") -> Delivery:
        return Delivery(outcome, event_json=body, status_code=status,
                        latency_ms=int((time.monotonic() - started) * 1000), reply=reply or raw.decode(), error=error,
                        delivered_time_us=self._clock())
