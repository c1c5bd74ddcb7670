"""Space events for the live channel: read across spaces, by who may see them (joined members, from when they
joined: a newcomer reads the space's history through the API, not as a flood of old events).

Both reads use the space events' (space, time, id) index once per joined space of the members asked about,
found through the memberships' (member, space) index: no index on time alone is needed.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chatsvc.domain.events import EventType, SpaceEvent
from chatsvc.domain.models import MembershipState
from chatsvc.storage.tables import memberships, space_events

_E, _M = space_events.c, memberships.c
_JOINED = int(MembershipState.JOINED)


def on_event_recorded(engine: AsyncEngine, callback: Callable[[], None]) -> None:
    """Calls `callback` (on the event loop's thread) whenever this process runs the statement that records a space
    event: a hint that polling soon will find it, once its transaction has committed."""
    recording = f"INSERT INTO {space_events.name} "

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith(recording):
            callback()


def _event(row) -> SpaceEvent:
    return SpaceEvent(space_id=row.space_id, id=row.id, event_time_us=row.event_time_us,
                      event_type=EventType(row.event_type), resource_name=row.resource_name)


class LiveEventRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def for_members(self, member_ids: list[str], *, after: tuple[int, str, str],
                          limit: int) -> list[tuple[str, SpaceEvent]]:
        """(member, event) for the events in the spaces where each member is joined, after the position
        (time, id, member), oldest first: one keyset page of the events a process's subscribers may see."""
        key = tuple_(_E.event_time_us, _E.id, _M.member_id)
        rows = (await self._conn.execute(
            select(_M.member_id, _E.space_id, _E.id, _E.event_time_us, _E.event_type, _E.resource_name)
            .select_from(space_events.join(memberships, _M.space_id == _E.space_id))
            .where(_M.member_id.in_(sorted(member_ids)), _M.state == _JOINED, _E.event_time_us >= after[0],
                   _E.event_time_us >= _M.create_time_us, key > tuple_(*after))
            .order_by(_E.event_time_us, _E.id, _M.member_id).limit(limit))).all()
        return [(row.member_id, _event(row)) for row in rows]

    async def for_member(self, member_id: str, *, after: tuple[int, str], limit: int) -> list[SpaceEvent]:
        """The events after the position (time, id) in the spaces where the member is joined, oldest first."""
        key = tuple_(_E.event_time_us, _E.id)
        rows = (await self._conn.execute(
            select(space_events).select_from(space_events.join(memberships, _M.space_id == _E.space_id))
            .where(_M.member_id == member_id, _M.state == _JOINED, _E.event_time_us >= after[0],
                   _E.event_time_us >= _M.create_time_us, key > tuple_(*after))
            .order_by(_E.event_time_us, _E.id).limit(limit))).all()
        return [_event(row) for row in rows]
