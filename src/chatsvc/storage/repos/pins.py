"""Message pins. A pin of a message that was deleted since is kept but neither listed nor counted."""
from __future__ import annotations

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import MessagePin, Page
from chatsvc.storage.tables import message_pins, messages, spaces

# Pins whose message still exists (not a tombstone).
_LIVE = select(message_pins).join(messages, (messages.c.space_id == message_pins.c.space_id)
                                  & (messages.c.id == message_pins.c.message_id)).where(
    messages.c.delete_time_us == 0)


def _pin(row) -> MessagePin:
    return MessagePin(space_id=row.space_id, message_id=row.message_id, pinner_id=row.pinner_id,
                      create_time_us=row.create_time_us)


class PinRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def lock_space(self, space_id: str) -> None:
        """Serialises pinning within one space, so the pin limit holds under concurrent requests (a PostgreSQL
        row lock on the space; SQLite write transactions are serial already)."""
        await self._conn.execute(select(spaces.c.id).where(spaces.c.id == space_id).with_for_update())

    async def get(self, space_id: str, message_id: str) -> MessagePin | None:
        row = (await self._conn.execute(select(message_pins).where(
            message_pins.c.space_id == space_id, message_pins.c.message_id == message_id))).first()
        return _pin(row) if row else None

    async def count(self, space_id: str) -> int:
        """Pins of messages that still exist."""
        live = _LIVE.where(message_pins.c.space_id == space_id).subquery()
        return await self._conn.scalar(select(func.count()).select_from(live))

    async def add(self, pin: MessagePin) -> None:
        await self._conn.execute(insert(message_pins).values(
            space_id=pin.space_id, message_id=pin.message_id, pinner_id=pin.pinner_id,
            create_time_us=pin.create_time_us))

    async def remove(self, space_id: str, message_id: str) -> None:
        await self._conn.execute(delete(message_pins).where(
            message_pins.c.space_id == space_id, message_pins.c.message_id == message_id))

    async def list(self, space_id: str, *, after: tuple[int, str] | None, limit: int) -> Page:
        """One keyset page of live pins in the order they were made."""
        query = _LIVE.where(message_pins.c.space_id == space_id)
        key = tuple_(message_pins.c.create_time_us, message_pins.c.message_id)
        if after is not None:
            query = query.where(key > tuple_(*after))
        rows = (await self._conn.execute(
            query.order_by(message_pins.c.create_time_us, message_pins.c.message_id).limit(limit + 1))).all()
        items = [_pin(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.message_id) if len(rows) > limit else None)
