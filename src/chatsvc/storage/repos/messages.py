"""Messages."""
from __future__ import annotations

from sqlalchemy import insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.models import (
    Message,
    Page,
)
from chatsvc.storage.tables import messages


def _message(row) -> Message:
    return Message(space_id=row.space_id, id=row.id, sender_id=row.sender_id, thread_id=row.thread_id,
                   create_time_us=row.create_time_us, text=row.text, client_id=row.client_id or "",
                   last_update_time_us=row.last_update_time_us, delete_time_us=row.delete_time_us,
                   request_id=row.request_id or "", extras=row.extras)


class MessageRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, space_id: str, message_id: str) -> Message | None:
        key = messages.c.client_id if message_id.startswith("client-") else messages.c.id
        row = (await self._conn.execute(select(messages).where(
            messages.c.space_id == space_id, key == message_id))).first()
        return _message(row) if row else None

    async def by_request_id(self, space_id: str, request_id: str) -> Message | None:
        """The message created in this space with this request id, by whichever sender."""
        row = (await self._conn.execute(select(messages).where(
            messages.c.space_id == space_id, messages.c.request_id == request_id))).first()
        return _message(row) if row else None

    async def client_id_taken(self, space_id: str, client_id: str) -> bool:
        found = await self._conn.scalar(select(messages.c.id).where(
            messages.c.space_id == space_id, messages.c.client_id == client_id))
        return found is not None

    async def add(self, message: Message) -> None:
        await self._conn.execute(insert(messages).values(
            space_id=message.space_id, id=message.id, sender_id=message.sender_id, thread_id=message.thread_id,
            create_time_us=message.create_time_us, last_update_time_us=message.last_update_time_us,
            delete_time_us=message.delete_time_us, text=message.text, client_id=message.client_id or None,
            request_id=message.request_id or None, extras=message.extras))

    async def thread_has_earlier(self, space_id: str, thread_id: str, create_time_us: int) -> bool:
        found = await self._conn.scalar(select(messages.c.id).where(
            messages.c.space_id == space_id, messages.c.thread_id == thread_id,
            messages.c.create_time_us < create_time_us).limit(1))
        return found is not None

    async def list(self, space_id: str, *, after: tuple[int, str] | None, limit: int, descending: bool,
                   show_deleted: bool) -> Page:
        """One keyset page in (create_time, id) order; `after` is the last row of the previous page."""
        query = select(messages).where(messages.c.space_id == space_id)
        if not show_deleted:
            query = query.where(messages.c.delete_time_us == 0)
        key = tuple_(messages.c.create_time_us, messages.c.id)
        if after is not None:
            query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
        order = (messages.c.create_time_us.desc(), messages.c.id.desc()) if descending else (
            messages.c.create_time_us, messages.c.id)
        rows = (await self._conn.execute(query.order_by(*order).limit(limit + 1))).all()
        items = [_message(row) for row in rows[:limit]]
        last = items[-1] if items else None
        return Page(items, (last.create_time_us, last.id) if len(rows) > limit else None)
