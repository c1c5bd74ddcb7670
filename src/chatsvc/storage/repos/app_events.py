"""The outbox of Chat app events (chatsvc.events.outbox): queueing, the workers' claim under a lease, the record.

A claim makes queued rows DELIVERING with `lease_owner` (one process) and `lease_until_us`; rows whose lease ran out
(their process died mid-delivery) are due again. PostgreSQL skips rows another process is claiming (FOR UPDATE SKIP
LOCKED); on SQLite the conditional update is the claim (the write lock serialises claims).
"""
from __future__ import annotations

import json

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.chat_apps import ChatApp
from chatsvc.domain.models import MembershipState
from chatsvc.events.records import Delivery, EventState, EventType, Outcome, QueuedEvent
from chatsvc.storage.repos.chat_apps import _chat_app
from chatsvc.storage.tables import app_events, chat_apps, memberships

_e = app_events.c


def _due(now_us: int):
    return or_(_e.state == int(EventState.QUEUED),
               and_(_e.state == int(EventState.DELIVERING), _e.lease_until_us < now_us))


def _queued(row) -> QueuedEvent:
    return QueuedEvent(id=row.id, app_name=row.app_name, event_type=EventType(row.event_type), space_id=row.space_id,
                       user_id=row.user_id, event_time_us=row.event_time_us, message_id=row.message_id)


def headers_json(headers: tuple[tuple[str, str], ...]) -> str:
    """The `request_headers` column: a JSON object in the order sent ("" for none)."""
    return json.dumps(dict(headers), separators=(",", ":")) if headers else ""


def headers_of(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(json.loads(text).items()) if text else ()


def _record(delivery: Delivery) -> dict:
    return dict(outcome=delivery.outcome.value, event_json=delivery.event_json, status_code=delivery.status_code,
                latency_ms=delivery.latency_ms, reply=delivery.reply, error=delivery.error,
                reply_message_id=delivery.reply_message_id, delivered_time_us=delivery.delivered_time_us,
                request_headers=headers_json(delivery.request_headers))


class AppEventRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def apps_among_members(self, space_id: str, user_ids: set[str] | None = None) -> list[ChatApp]:
        """The registered apps that are joined members of the space (only those of `user_ids`, when given)."""
        m = memberships.c
        query = select(chat_apps).join(memberships, and_(m.member_id == chat_apps.c.user_id,
                                                         m.space_id == space_id,
                                                         m.state == int(MembershipState.JOINED)))
        if user_ids is not None:
            query = query.where(chat_apps.c.user_id.in_(sorted(user_ids)))
        return [_chat_app(row) for row in await self._conn.execute(query.order_by(chat_apps.c.name))]

    async def add(self, event: QueuedEvent) -> None:
        await self._conn.execute(insert(app_events).values(
            id=event.id, app_name=event.app_name, event_type=event.event_type.value, space_id=event.space_id,
            message_id=event.message_id, user_id=event.user_id, event_time_us=event.event_time_us,
            state=int(EventState.QUEUED), lease_owner="", lease_until_us=0, event_json="", outcome="",
            status_code=0, latency_ms=0, reply="", error="", reply_message_id="", delivered_time_us=0,
            request_headers=""))

    async def record(self, event: QueuedEvent, delivery: Delivery) -> None:
        """An event delivered while its caller waited (a Chat client's interaction): kept DONE with its record."""
        await self._conn.execute(insert(app_events).values(
            id=event.id, app_name=event.app_name, event_type=event.event_type.value, space_id=event.space_id,
            message_id=event.message_id, user_id=event.user_id, event_time_us=event.event_time_us,
            state=int(EventState.DONE), lease_owner="", lease_until_us=0, **_record(delivery)))

    async def any_due(self, now_us: int) -> bool:
        """Whether some event is due (queued, or its lease ran out)."""
        return (await self._conn.execute(select(_e.id).where(_due(now_us)).limit(1))).first() is not None

    async def claim_due(self, now_us: int, owner: str, lease_until_us: int, limit: int) -> list[QueuedEvent]:
        """Up to `limit` due events, now DELIVERING under `owner`'s lease; oldest first."""
        candidates = select(app_events).where(_due(now_us)).order_by(_e.event_time_us, _e.id).limit(limit)
        if self._conn.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = []
        for row in (await self._conn.execute(candidates)).all():
            result = await self._conn.execute(update(app_events).where(_e.id == row.id, _due(now_us)).values(
                state=int(EventState.DELIVERING), lease_owner=owner, lease_until_us=lease_until_us))
            if result.rowcount == 1:
                claimed.append(_queued(row))
        return claimed

    async def finish(self, event_id: str, owner: str, delivery: Delivery) -> bool:
        """Records the delivery and marks the event DONE; False when the lease was no longer `owner`'s."""
        result = await self._conn.execute(update(app_events).where(
            _e.id == event_id, _e.lease_owner == owner, _e.state == int(EventState.DELIVERING)).values(
            state=int(EventState.DONE), **_record(delivery)))
        return result.rowcount == 1

    async def release(self, event_id: str, owner: str) -> None:
        """Lets go of a claimed event not yet sent (this process is stopping): any process may deliver it now."""
        await self._conn.execute(update(app_events).where(
            _e.id == event_id, _e.lease_owner == owner, _e.state == int(EventState.DELIVERING)).values(
            state=int(EventState.QUEUED), lease_owner="", lease_until_us=0))

    async def for_app(self, app_name: str) -> list[tuple[QueuedEvent, EventState, Delivery]]:
        """The app's events, oldest first, each with its state and delivery record."""
        rows = await self._conn.execute(select(app_events).where(_e.app_name == app_name)
                                        .order_by(_e.event_time_us, _e.id))
        return [(_queued(row), EventState(row.state), Delivery(
            outcome=Outcome(row.outcome) if row.outcome else Outcome.SKIPPED, event_json=row.event_json,
            status_code=row.status_code, latency_ms=row.latency_ms, reply=row.reply, error=row.error,
            reply_message_id=row.reply_message_id, delivered_time_us=row.delivered_time_us,
            request_headers=headers_of(row.request_headers))) for row in rows]
