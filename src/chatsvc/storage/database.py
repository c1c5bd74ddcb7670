"""Engine set-up, schema creation and transactions for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from chatsvc.domain.errors import Aborted
from chatsvc.domain.ports import Conflict
from chatsvc.storage import search_index
from chatsvc.storage.repositories import Repositories
from chatsvc.storage.tables import metadata

_WRITE = "chatsvc_write"
_MIGRATION_LOCK = 0x63686174737663  # "chatsvc": the advisory lock id schema changes take on PostgreSQL


class Database:
    def __init__(self, url: str, *, echo: bool = False):
        parsed = make_url(url)
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # The embedded database's file (None for a server or an in-memory database).
        self.sqlite_file = parsed.database if self.is_sqlite and parsed.database not in (None, "", ":memory:") else None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {} if self.is_sqlite else {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True}
        self.engine = create_async_engine(url, echo=echo, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine.sync_engine)

    @staticmethod
    def redacted(url: str) -> str:
        """The URL with any password hidden, for logs."""
        return make_url(url).render_as_string(hide_password=True)

    async def migrate(self) -> None:
        async with self.engine.begin() as conn:
            if not self.is_sqlite:
                # Replicas starting together on an empty database would race creating the same tables; the
                # lock (held to the end of this transaction) lets one create and the others find them made.
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            await conn.run_sync(metadata.create_all)
            await search_index.create(conn)  # FTS5 / tsvector: beyond what metadata can express

    async def dispose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def transaction(self, *, write: bool = False) -> AsyncIterator[Repositories]:
        """One unit of work: commits when the block ends cleanly, rolls back on any exception.

        Write transactions on SQLite take the write lock up front (BEGIN IMMEDIATE), so two writers never
        deadlock upgrading a read lock; readers never block in WAL mode.
        """
        async with self.engine.connect() as conn:
            if write:
                conn = await conn.execution_options(**{_WRITE: True})
            try:
                async with conn.begin():
                    yield Repositories(conn)
            except IntegrityError as error:
                raise Conflict(_constraint_name(error)) from error
            except OperationalError as error:
                if "locked" in str(error).lower():
                    raise Aborted("The database is busy; retry the request.") from error
                raise


def _configure_sqlite(sync_engine) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _constraint_name(error: IntegrityError) -> str:
    orig = getattr(error, "orig", None)
    name = getattr(orig, "constraint_name", None) or getattr(getattr(orig, "__cause__", None), "constraint_name", None)
    if name:
        return name
    text = str(orig)  # SQLite names the columns instead: "UNIQUE constraint failed: messages.space_id, ..."
    return text.rsplit(":", 1)[-1].strip()


