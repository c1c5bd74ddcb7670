"""Space events."""
from __future__ import annotations

from sqlalchemy import bindparam, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.events import EventType, SpaceEvent
from chatsvc.domain.models import Page
from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import space_events


def _event(row) -> SpaceEvent:
    return SpaceEvent(space_id=row.space_id, id=row.id, event_time_us=row.event_time_us,
                      event_type=EventType(row.event_type), resource_name=row.resource_name)


# Every write records an event: run on the driver's connection (storage/raw_statements.py). Its SQL starts
# "INSERT INTO space_events ", which the live hub watches for (storage/repos/live_events.py).
_INSERT_COLUMNS = ("space_id", "id", "event_time_us", "event_type", "resource_name")
_INSERT = Statement(insert(space_events).values({name: bindparam(f"b_{name}") for name in _INSERT_COLUMNS}),
                    *(f"b_{name}" for name in _INSERT_COLUMNS))


class EventRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def add(self, event: SpaceEvent) -> None:
        await self._raw.run(_INSERT, event.space_id, event.id, event.event_time_us, event.event_type.value,
                            event.resource_name)

    async def get(self, space_id: str, event_id: str) -> SpaceEvent | None:
        row = (await self._conn.execute(select(space_events).where(
            space_events.c.space_id == space_id, space_events.c.id == event_id))).first()
        return _event(row) if row else None

    async def list(self, space_id: str, *, types: set[EventType], after_us: int, until_us: int,
                   position: tuple[int, str] | None, limit: int) -> Page:
        """Events of these types with after_us < event_time <= until_us, oldest first, one keyset page."""
        key = tuple_(space_events.c.event_time_us, space_events.c.id)
        query = select(space_events).where(
            space_events.c.space_id == space_id,
            space_events.c.event_type.in_(sorted(t.value for t in types)),
            space_events.c.event_time_us > after_us,
            space_events.c.event_time_us <= until_us)
        if position is not None:
            query = query.where(key > tuple_(*position))
        rows = (await self._conn.execute(
            query.order_by(space_events.c.event_time_us, space_events.c.id).limit(limit + 1))).all()
        items = [_event(row) for row in rows[:limit]]
        return Page(items, (items[-1].event_time_us, items[-1].id) if len(rows) > limit else None)
