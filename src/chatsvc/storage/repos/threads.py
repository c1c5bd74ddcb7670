"""Threads, and their per-app keys."""
from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.storage.raw_statements import Raw, Statement
from chatsvc.storage.tables import threads

# Run on the driver's connection (storage/raw_statements.py).
_INSERT_COLUMNS = ("space_id", "id", "app_id", "thread_key", "thread_key_hash", "create_time_us")
_INSERT = Statement(insert(threads).values({name: bindparam(f"b_{name}") for name in _INSERT_COLUMNS}),
                    *(f"b_{name}" for name in _INSERT_COLUMNS))
_EXISTS = Statement(select(threads.c.id).where(threads.c.space_id == bindparam("b_space_id"),
                                               threads.c.id == bindparam("b_thread_id")), "b_space_id", "b_thread_id")
_BY_KEY = Statement(select(threads.c.id).where(
    threads.c.space_id == bindparam("b_space_id"), threads.c.app_id == bindparam("b_app_id"),
    threads.c.thread_key_hash == bindparam("b_hash"), threads.c.thread_key == bindparam("b_key")),
    "b_space_id", "b_app_id", "b_hash", "b_key")


class ThreadRepository:
    def __init__(self, conn: AsyncConnection, raw: Raw | None = None):
        self._conn = conn
        self._raw = raw or Raw(conn)

    async def by_key(self, space_id: str, app_id: str, thread_key: str) -> str | None:
        return await self._raw.scalar(_BY_KEY, space_id, app_id, _key_hash(thread_key), thread_key)

    async def exists(self, space_id: str, thread_id: str) -> bool:
        return await self._raw.first(_EXISTS, space_id, thread_id) is not None

    async def add(self, space_id: str, thread_id: str, app_id: str, thread_key: str | None, now_us: int) -> None:
        await self._raw.run(_INSERT, space_id, thread_id, app_id, thread_key,
                            _key_hash(thread_key) if thread_key is not None else None, now_us)


def _key_hash(thread_key: str) -> str:
    """Thread keys run to 4000 characters, too long to index (PostgreSQL's B-tree entries stop near 2700
    bytes); uniqueness and look-ups go through this digest instead."""
    return hashlib.sha256(thread_key.encode()).hexdigest()
