"""The deliveries of Chat app events as a record to read and to prune: the rows of `app_events` (the outbox that
chatsvc.storage.repos.app_events fills and the worker finishes), by app, newest first; and the retention sweep's
deletes, which touch finished rows only.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.app_deliveries import AppDelivery, DeliveryQuery
from chatsvc.domain.models import Page
from chatsvc.events.records import EventState, Outcome
from chatsvc.storage.repos.app_events import headers_of
from chatsvc.storage.tables import app_events

_e = app_events.c
_DONE = int(EventState.DONE)
# One sweep at a time among the processes on one PostgreSQL (a transaction-scoped advisory lock; any number).
_SWEEP_LOCK = 0x63_68_61_74_72_65_74  # "chatret"


def _delivery(row) -> AppDelivery:
    return AppDelivery(
        id=row.id, app_name=row.app_name, event_type=row.event_type, event_time_us=row.event_time_us,
        space_id=row.space_id, message_id=row.message_id, user_id=row.user_id, state=EventState(row.state),
        outcome=Outcome(row.outcome) if row.outcome and row.state == _DONE else None, event_json=row.event_json,
        status_code=row.status_code, latency_ms=row.latency_ms, reply=row.reply, error=row.error,
        reply_message_name=row.reply_message_id, delivered_time_us=row.delivered_time_us,
        request_headers=headers_of(row.request_headers))


class AppDeliveryRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, app_name: str, delivery_id: str) -> AppDelivery | None:
        row = (await self._conn.execute(select(app_events).where(
            _e.id == delivery_id, _e.app_name == app_name))).first()
        return _delivery(row) if row else None

    async def list(self, app_name: str, query: DeliveryQuery, *, after: tuple | None, limit: int) -> Page:
        """Newest first by (event time, id); `after` is the (event_time_us, id) of the last one seen."""
        stmt = select(app_events).where(_e.app_name == app_name)
        if query.outcome is not None:
            stmt = stmt.where(_e.outcome == query.outcome.value, _e.state == _DONE)
        if query.event_type is not None:
            stmt = stmt.where(_e.event_type == query.event_type)
        if query.state is not None:
            stmt = stmt.where(_e.state == int(query.state))
        if after is not None:
            stmt = stmt.where(tuple_(_e.event_time_us, _e.id) < tuple_(int(after[0]), str(after[1])))
        rows = (await self._conn.execute(stmt.order_by(_e.event_time_us.desc(), _e.id.desc()).limit(limit + 1))).all()
        items = [_delivery(row) for row in rows[:limit]]
        more = len(rows) > limit and items
        return Page(items, (items[-1].event_time_us, items[-1].id) if more else None)

    async def finished_since(self, app_name: str, delivered_from_us: int, limit: int) -> list[AppDelivery]:
        """Finished deliveries whose delivery time is at or after `delivered_from_us`, in the order they finished."""
        rows = await self._conn.execute(select(app_events).where(
            _e.app_name == app_name, _e.state == _DONE, _e.delivered_time_us >= delivered_from_us)
            .order_by(_e.delivered_time_us, _e.id).limit(limit))
        return [_delivery(row) for row in rows]

    async def prune(self, *, older_than_us: int | None, keep_per_app: int | None) -> int | None:
        """Deletes finished deliveries whose event time is before `older_than_us`, and finished ones of each app
        beyond its newest `keep_per_app`; never queued or delivering ones. Returns how many went, or None when
        another process is sweeping at this moment (PostgreSQL): the next sweep catches up."""
        if self._conn.dialect.name == "postgresql":
            if not (await self._conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                             {"key": _SWEEP_LOCK})).scalar():
                return None
        deleted = 0
        if older_than_us is not None:
            result = await self._conn.execute(delete(app_events).where(
                _e.state == _DONE, _e.event_time_us < older_than_us))
            deleted += result.rowcount
        if keep_per_app is not None:
            # The apps over the bound, then per app the position of its oldest kept delivery (on ix_app_events_app).
            crowded = (await self._conn.execute(select(_e.app_name).group_by(_e.app_name)
                                                .having(func.count() > keep_per_app))).scalars().all()
            for app_name in crowded:
                oldest_kept = (await self._conn.execute(
                    select(_e.event_time_us, _e.id).where(_e.app_name == app_name)
                    .order_by(_e.event_time_us.desc(), _e.id.desc()).offset(keep_per_app - 1).limit(1))).first()
                if oldest_kept is None:
                    continue
                result = await self._conn.execute(delete(app_events).where(
                    _e.app_name == app_name, _e.state == _DONE,
                    or_(_e.event_time_us < oldest_kept.event_time_us,
                        and_(_e.event_time_us == oldest_kept.event_time_us, _e.id < oldest_kept.id))))
                deleted += result.rowcount
        return deleted
