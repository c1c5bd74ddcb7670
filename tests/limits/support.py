"""Holding a backend's write lock from outside the server, so that calls writing messages wait inside it."""
from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url


@asynccontextmanager
async def messages_locked(database_url: str):
    """While inside, no transaction can write to the `messages` table (SQLite: the whole file)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import asyncpg

    conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                 database=url.database)
    try:
        transaction = conn.transaction()
        await transaction.start()
        await conn.execute("LOCK TABLE messages IN EXCLUSIVE MODE")
        try:
            yield
        finally:
            await transaction.rollback()
    finally:
        await conn.close()
