"""Space read states, and the message times read states are worked out from."""
from __future__ import annotations

from sqlalchemy import String, bindparam, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import messages, space_read_states


def _seen_by(user_id):
    # Private messages count only for the one user who can see them.
    return or_(messages.c.viewer_id.is_(None), messages.c.viewer_id == user_id)


# The hot paths' statements, run on the driver's connection (storage/raw_statements.py).
_STATE = (space_read_states.c.space_id == bindparam("b_space_id"),
          space_read_states.c.user_id == bindparam("b_user_id"))
_GET = Statement(select(space_read_states.c.last_read_time_us, space_read_states.c.update_time_us).where(*_STATE),
                 "b_space_id", "b_user_id")
_UPDATE = Statement(update(space_read_states).where(*_STATE).values(
    last_read_time_us=bindparam("b_read"), update_time_us=bindparam("b_now")),
    "b_space_id", "b_user_id", "b_read", "b_now")
_INSERT = Statement(insert(space_read_states).values(
    space_id=bindparam("b_space_id"), user_id=bindparam("b_user_id"), last_read_time_us=bindparam("b_read"),
    update_time_us=bindparam("b_now")), "b_space_id", "b_user_id", "b_read", "b_now")
_LATEST_TOP_LEVEL = Statement(
    select(messages.c.create_time_us).where(
        messages.c.space_id == bindparam("b_space_id"), messages.c.thread_reply.is_(False),
        _seen_by(bindparam("b_user_id", type_=String)))
    .order_by(messages.c.create_time_us.desc()).limit(1), "b_space_id", "b_user_id")


class ReadStateRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def space(self, space_id: str, user_id: str) -> tuple[int, int] | None:
        """(last read time, when it was set), or None if the user never set it."""
        row = await self._raw.first(_GET, space_id, user_id)
        return (row[0], row[1]) if row else None

    async def put_space(self, space_id: str, user_id: str, last_read_time_us: int, now_us: int) -> None:
        if await self._raw.run(_UPDATE, space_id, user_id, last_read_time_us, now_us) == 0:
            await self._raw.run(_INSERT, space_id, user_id, last_read_time_us, now_us)

    async def latest_top_level(self, space_id: str, user_id: str) -> int | None:
        """Create time of the latest message of the top-level conversation this user can see."""
        return await self._raw.scalar(_LATEST_TOP_LEVEL, space_id, user_id)

    async def own_latest(self, space_id: str, user_id: str, *, after_us: int = 0,
                         thread_id: str | None = None) -> int | None:
        """Create time of the user's own latest message after `after_us`: in the thread if given, else in the
        top-level conversation."""
        query = select(messages.c.create_time_us).where(
            messages.c.space_id == space_id, messages.c.sender_id == user_id, messages.c.create_time_us > after_us)
        if thread_id is None:
            query = query.where(messages.c.thread_reply.is_(False))
        else:
            query = query.where(messages.c.thread_id == thread_id)
        # Newest first along ix_messages_sender: the walk stops at the first match.
        return await self._conn.scalar(query.order_by(messages.c.create_time_us.desc()).limit(1))

    async def thread_visible(self, space_id: str, thread_id: str, user_id: str) -> bool:
        """Whether the thread has a message this user can see (a thread of someone else's private messages
        does not exist for them)."""
        return bool(await self._conn.scalar(select(exists().where(
            messages.c.space_id == space_id, messages.c.thread_id == thread_id, _seen_by(user_id)))))
