"""The ceiling: chatsvc's SQL for CreateMessage and for a 100-message ListMessages page, in a bare grpc.aio handler.

No authentication, no validation, no Chat protos, no SQLAlchemy: each call runs the statements chatsvc runs for
it (as its SQL log shows them, in the same order and transactions) on a plain driver connection, and answers
with a few bytes. What chatsvc does beyond this is what its features cost.

    python -m bench.ceiling_server --listen 127.0.0.1:50100 --database sqlite+aiosqlite:///seed.db \
        --caller bench@example.com

SQLite: one sqlite3 connection on the event loop's thread (as chatsvc's inline runner: each unit of work is one
step of the loop), WAL with synchronous=NORMAL as chatsvc sets it. PostgreSQL: an asyncpg pool of 10 (chatsvc's
default pool size); asyncpg prepares each statement once per connection and reuses it. On uvloop, as `chatsvc
serve` runs by default (the echo server stays on asyncio's loop: it is the baseline the targets were set against).
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import sqlite3
import time

import grpc

from bench.stubs import import_ceiling

ceiling_pb2, ceiling_pb2_grpc = import_ceiling()

PAGE = 100
POOL_SIZE = 10
_SQUEEZE = bytes.maketrans(b"+/", b"xy")

# chatsvc's statements, as SQLAlchemy renders them for SQLite (PostgreSQL: `?` become $1, $2, ...).
SPACE_COLUMNS = ("spaces.id, spaces.space_type, spaces.display_name, spaces.description, spaces.guidelines, "
                 "spaces.threading_state, spaces.history_state, spaces.external_user_allowed, spaces.import_mode, "
                 "spaces.single_user_bot_dm, spaces.customer, spaces.create_time_us, spaces.last_active_time_us, "
                 "spaces.joined_humans, spaces.joined_groups, spaces.creator_id, spaces.request_id, spaces.extras, "
                 "spaces.permissions, spaces.display_name_key, spaces.name_words, spaces.audience, "
                 "spaces.access_permissions, spaces.import_mode_expire_time_us, spaces.dm_key")
SPACE_WITH_MEMBERSHIP = (
    f"SELECT {SPACE_COLUMNS}, memberships.role AS m_role, memberships.state AS m_state, memberships.is_group AS "
    "m_is_group, memberships.create_time_us AS m_create_time_us, memberships.delete_time_us AS m_delete_time_us "
    "FROM spaces LEFT OUTER JOIN memberships ON memberships.space_id = spaces.id AND memberships.member_id = ? "
    "WHERE spaces.id = ?")
INSERT_THREAD = ("INSERT INTO threads (space_id, id, app_id, thread_key, thread_key_hash, create_time_us) "
                 "VALUES (?, ?, ?, ?, ?, ?)")
MESSAGE_COLUMNS = ("space_id, id, sender_id, thread_id, create_time_us, last_update_time_us, delete_time_us, text, "
                   "client_id, request_id, extras, cards, cards_v2, widgets, attachments, thread_reply, viewer_id, "
                   "deletion_type, mentions, quote, slash_command, matched_url, snapshot")
INSERT_MESSAGE = f"INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ({', '.join('?' * 23)})"
INSERT_EVENT = ("INSERT INTO space_events (space_id, id, event_time_us, event_type, resource_name) "
                "VALUES (?, ?, ?, ?, ?)")
TOUCH_SPACE = "UPDATE spaces SET last_active_time_us=? WHERE spaces.id = ? AND spaces.last_active_time_us < ?"
# The page: each message's stored snapshot (its encoded answer, kept current by every write), spliced as it is.
PAGE_OF_MESSAGES = (
    "SELECT messages.create_time_us, messages.id, messages.snapshot FROM messages WHERE messages.space_id = ? AND "
    "messages.delete_time_us = ? AND (messages.viewer_id IS NULL OR messages.viewer_id = ?) ORDER BY "
    "messages.create_time_us, messages.id LIMIT ? OFFSET ?")
CREATED = "google.workspace.chat.message.v1.created"


def _id(length: int) -> str:
    return base64.b64encode(os.urandom(length)).translate(_SQUEEZE)[:length].decode()


def _message_row(space: str, caller: str, thread_id: str, message_id: str, now: int, text: str) -> tuple:
    """The values chatsvc inserts for a plain text message (the other columns' defaults), with a stand-in for its
    snapshot: the message's fields joined, about the size of the encoded Message chatsvc stores."""
    snapshot = (f"spaces/{space}/messages/{message_id}\x1fusers/{caller}\x1f{now}\x1f{text}\x1f"
                f"spaces/{space}/threads/{thread_id}\x1f{text}").encode()
    return (space, message_id, caller, thread_id, now, 0, 0, text, None, None, b"", b"", b"", b"", b"", False,
            None, 0, "", "", "", "", snapshot)


def _page_bytes(rows) -> bytes:
    """The page's stored snapshots, spliced (rows seeded or written without one contribute nothing)."""
    return b"".join(row[2] or b"" for row in rows)


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's $1, $2, ..."""
    parts = sql.split("?")
    return "".join(part + (f"${n}" if n < len(parts) else "") for n, part in enumerate(parts, start=1))


class SqliteStore:
    def __init__(self, path: str, caller_email: str):
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, cached_statements=256)
        for pragma in ("journal_mode=WAL", "busy_timeout=10000", "foreign_keys=ON", "synchronous=NORMAL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self.caller = self._conn.execute("SELECT id FROM users WHERE email = ?", (caller_email,)).fetchone()[0]
        self.app = self._conn.execute("SELECT app_id FROM threads LIMIT 1").fetchone()[0]

    async def create_message(self, space: str, text: str) -> str:
        conn, now = self._conn, time.time_ns() // 1000
        thread_id, message_id = _id(11), _id(22)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(SPACE_WITH_MEMBERSHIP, (self.caller, space)).fetchone()
            conn.execute(INSERT_THREAD, (space, thread_id, self.app, None, None, now))
            conn.execute(INSERT_MESSAGE, _message_row(space, self.caller, thread_id, message_id, now, text))
            conn.execute(INSERT_EVENT, (space, _id(16), now, CREATED, f"spaces/{space}/messages/{message_id}"))
            conn.execute(TOUCH_SPACE, (now, space, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return message_id

    async def list_messages(self, space: str) -> bytes:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            conn.execute(SPACE_WITH_MEMBERSHIP, (self.caller, space)).fetchone()
            rows = conn.execute(PAGE_OF_MESSAGES, (space, 0, self.caller, PAGE + 1, 0)).fetchall()[:PAGE]
        finally:
            conn.execute("COMMIT")
        return _page_bytes(rows)

    async def close(self) -> None:
        self._conn.close()


class PostgresStore:
    async def open(self, dsn: str, caller_email: str) -> PostgresStore:
        import asyncpg

        self._pool = await asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
        self.caller = await self._pool.fetchval("SELECT id FROM users WHERE email = $1", caller_email)
        self.app = await self._pool.fetchval("SELECT app_id FROM threads LIMIT 1")
        self._sql = {name: _numbered(globals()[name]) for name in (
            "SPACE_WITH_MEMBERSHIP", "INSERT_THREAD", "INSERT_MESSAGE", "INSERT_EVENT", "TOUCH_SPACE",
            "PAGE_OF_MESSAGES")}
        return self

    async def create_message(self, space: str, text: str) -> str:
        sql, now = self._sql, time.time_ns() // 1000
        thread_id, message_id = _id(11), _id(22)
        async with self._pool.acquire() as conn:
            async with conn.transaction():
                await conn.fetchrow(sql["SPACE_WITH_MEMBERSHIP"], self.caller, space)
                await conn.execute(sql["INSERT_THREAD"], space, thread_id, self.app, None, None, now)
                await conn.execute(sql["INSERT_MESSAGE"], *_message_row(space, self.caller, thread_id, message_id,
                                                                       now, text))
                await conn.execute(sql["INSERT_EVENT"], space, _id(16), now, CREATED,
                                   f"spaces/{space}/messages/{message_id}")
            # As chatsvc on PostgreSQL: the space's time advanced after the commit, in a statement of its own
            # (chatsvc coalesces concurrent advances of one space into one UPDATE; here each call runs its own).
            await conn.execute(sql["TOUCH_SPACE"], now, space, now)
        return message_id

    async def list_messages(self, space: str) -> bytes:
        sql = self._sql
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.fetchrow(sql["SPACE_WITH_MEMBERSHIP"], self.caller, space)
            rows = (await conn.fetch(sql["PAGE_OF_MESSAGES"], space, 0, self.caller, PAGE + 1, 0))[:PAGE]
        return _page_bytes(rows)

    async def close(self) -> None:
        await self._pool.close()


class Ceiling(ceiling_pb2_grpc.CeilingServiceServicer):
    def __init__(self, store):
        self._store = store

    async def CreateMessage(self, request, context):  # noqa: N802 (gRPC's method name)
        return ceiling_pb2.CeilingResponse(name=await self._store.create_message(request.space, request.text))

    async def ListMessages(self, request, context):  # noqa: N802
        return ceiling_pb2.CeilingResponse(rows=await self._store.list_messages(request.space))


async def serve(listen: str, database: str, caller: str) -> None:
    if database.startswith("sqlite"):
        store = SqliteStore(database.split(":///", 1)[1], caller)
    else:  # a SQLAlchemy URL, postgresql+asyncpg://...
        store = await PostgresStore().open("postgresql://" + database.split("://", 1)[1], caller)
    server = grpc.aio.server()
    ceiling_pb2_grpc.add_CeilingServiceServicer_to_server(Ceiling(store), server)
    if server.add_insecure_port(listen) == 0:
        raise OSError(f"cannot listen on {listen}")
    await server.start()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop(1)
    await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", required=True)
    parser.add_argument("--database", required=True, help="the seeded database's SQLAlchemy URL")
    parser.add_argument("--caller", required=True, help="the email of the user whose calls these are")
    options = parser.parse_args()
    try:  # the loop `chatsvc serve` runs on by default
        import uvloop
    except ImportError:
        uvloop = None
    with asyncio.Runner(loop_factory=uvloop.new_event_loop if uvloop else None) as runner:
        runner.run(serve(options.listen, options.database, options.caller))
