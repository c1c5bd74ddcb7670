"""Threads, and their per-app keys."""
from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.tables import threads

_INSERT = insert(threads)
_EXISTS = select(threads.c.id).where(threads.c.space_id == bindparam("b_space_id"),
                                     threads.c.id == bindparam("b_thread_id"))


class ThreadRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def by_key(self, space_id: str, app_id: str, thread_key: str) -> str | None:
        return await self._conn.scalar(select(threads.c.id).where(
            threads.c.space_id == space_id, threads.c.app_id == app_id,
            threads.c.thread_key_hash == _key_hash(thread_key), threads.c.thread_key == thread_key))

    async def exists(self, space_id: str, thread_id: str) -> bool:
        found = await self._conn.scalar(_EXISTS, {"b_space_id": space_id, "b_thread_id": thread_id})
        return found is not None

    async def add(self, space_id: str, thread_id: str, app_id: str, thread_key: str | None, now_us: int) -> None:
        await self._conn.execute(_INSERT, dict(
            space_id=space_id, id=thread_id, app_id=app_id, thread_key=thread_key,
            thread_key_hash=_key_hash(thread_key) if thread_key is not None else None, create_time_us=now_us))


def _key_hash(thread_key: str) -> str:
    """Thread keys run to 4000 characters, too long to index (PostgreSQL's B-tree entries stop near 2700
    bytes); uniqueness and look-ups go through this digest instead."""
    return hashlib.sha256(thread_key.encode()).hexdigest()
