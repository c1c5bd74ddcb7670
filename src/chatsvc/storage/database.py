"""Engine set-up, schema migrations and transactions for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import create_async_engine

from chatsvc.domain.errors import Aborted, InvalidArgument, Unavailable
from chatsvc.domain.ports import Conflict
from chatsvc.storage.repos.spaces import LastActiveTimes
from chatsvc.storage.repositories import Repositories
from chatsvc.storage.schema_head import HEAD
from chatsvc.storage.sqlite_inline import InlineSqlite, LockedElsewhere, RunElsewhere

_WRITE = "chatsvc_write"
_BUSY_TIMEOUT_SECONDS = 10.0  # how long a writer waits for another connection's lock before ABORTED
# Retry pauses of an inline unit that found the lock taken: they double from the first to the last.
_FIRST_PAUSE_SECONDS = 0.0002
_LAST_PAUSE_SECONDS = 0.005
T = TypeVar("T")
_MIGRATION_LOCK = 0x63686174737663  # "chatsvc": the advisory lock id schema changes take on PostgreSQL


class Database:
    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int = 20,
                 pool_timeout_seconds: float = 30.0, pool_recycle_seconds: float = 1800.0, pool_pre_ping: bool = False,
                 statement_cache_size: int = 100):
        """The pool and statement cache settings apply to PostgreSQL (SQLite keeps SQLAlchemy's defaults):
        at most pool_size + max_overflow connections, a caller waits pool_timeout_seconds for one, connections
        older than pool_recycle_seconds (<= 0: never) are replaced, pre-ping tests each before use (a round
        trip per unit of work; without it a read unit that meets a dropped connection is run once more on a
        fresh one, see run()), and asyncpg keeps statement_cache_size prepared statements per connection (0
        behind PgBouncer's transaction pooling, which cannot keep them)."""
        parsed = make_url(url)
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # The embedded database's file (None for a server or an in-memory database).
        self.sqlite_file = parsed.database if self.is_sqlite and parsed.database not in (None, "", ":memory:") else None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs = {} if self.is_sqlite else {
            "pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout_seconds,
            "pool_recycle": pool_recycle_seconds if pool_recycle_seconds > 0 else -1, "pool_pre_ping": pool_pre_ping,
            # SQLAlchemy's own cache of prepared statements and asyncpg's, alike.
            "connect_args": {"prepared_statement_cache_size": statement_cache_size,
                             "statement_cache_size": statement_cache_size},
        }
        self.engine = create_async_engine(url, echo=echo, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine.sync_engine)
        # A SQLite file's units of work run on the event loop's thread when they can (storage/sqlite_inline.py).
        self._inline = InlineSqlite(self.sqlite_file, _configure_sqlite, _WRITE, mirror=self.engine.sync_engine
                                    ) if self.sqlite_file else None
        # PostgreSQL: spaces' last_active_time is advanced after the commit (SpaceRepository.touch).
        self._last_active = None if self.is_sqlite else LastActiveTimes(self.engine)

    @staticmethod
    def redacted(url: str) -> str:
        """The URL with any password hidden, for logs."""
        return make_url(url).render_as_string(hide_password=True)

    async def migrate(self) -> str:
        """Upgrades the schema to the newest revision (creating it in an empty database, adopting one made
        before migrations); returns that revision. Raises migrator.SchemaMismatch for a database it cannot
        adopt.

        Replicas starting together would race applying the same revision, so one transaction does it all
        under a lock: PostgreSQL's advisory lock, SQLite's write lock (BEGIN IMMEDIATE). The others wait,
        then find the schema current.
        """
        if await self._recorded_revision() == HEAD:
            return HEAD  # the usual start: nothing to do, and the migrator (Alembic) is never loaded
        from chatsvc.storage import migrator

        async with self.engine.connect() as conn:
            conn = await conn.execution_options(**{_WRITE: True})
            async with conn.begin():
                if not self.is_sqlite:
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                return await conn.run_sync(migrator.upgrade)

    async def _recorded_revision(self) -> str | None:
        """The revision the database records, or None when it has no migration history (empty, or made before
        migrations)."""
        async with self.engine.connect() as conn:
            try:
                return await conn.scalar(text("SELECT version_num FROM alembic_version"))
            except DBAPIError:  # no such table
                return None

    async def revisions(self) -> tuple[str | None, str]:
        """The schema's revision (None: no migration history) and the newest one this build has."""
        from chatsvc.storage import migrator

        async with self.engine.connect() as conn:
            return await conn.run_sync(migrator.current_revision), migrator.head()

    async def dispose(self) -> None:
        if self._inline is not None:
            self._inline.close()
        await self.engine.dispose()

    async def run(self, work: Callable[[Repositories], Awaitable[T]], *, write: bool = False) -> T:
        """`work` in one unit of work (see transaction()); on a SQLite file, inline when it can be."""
        if self._inline is not None:
            try:
                with _translated_errors():
                    return self._inline.run(work, Repositories, write=write)
            except LockedElsewhere:
                return await self._run_inline_when_free(work, write)
            except RunElsewhere:
                pass  # rolled back; it runs again below, where waiting does not hold up the event loop
        try:
            async with self.transaction(write=write) as repos:
                return await work(repos)
        except Unavailable as error:
            if write or not _connection_lost(error):
                raise
        # A read found its connection dropped (the server restarted, or ended the session). SQLAlchemy has
        # invalidated it and every older one in the pool, so the read runs once more on a fresh connection.
        async with self.transaction(write=write) as repos:
            return await work(repos)

    async def _run_inline_when_free(self, work: Callable[[Repositories], Awaitable[T]], write: bool) -> T:
        """Another process holds SQLite's lock: retries inline after short sleeps on the event loop (a lock is
        held for about a transaction's length, well under a millisecond here), for as long as the busy
        timeout the ordinary path would wait; then ABORTED, as there."""
        deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
        pause = _FIRST_PAUSE_SECONDS
        while True:
            await asyncio.sleep(pause)
            try:
                with _translated_errors():
                    return self._inline.run(work, Repositories, write=write)
            except LockedElsewhere:
                if time.monotonic() >= deadline:
                    raise Aborted("The database is busy; retry the request.") from None
                pause = min(pause * 2, _LAST_PAUSE_SECONDS)
            except RunElsewhere:
                break  # it suspended: the ordinary path below
        async with self.transaction(write=write) as repos:
            return await work(repos)

    @asynccontextmanager
    async def transaction(self, *, write: bool = False) -> AsyncIterator[Repositories]:
        """One unit of work: commits when the block ends cleanly, rolls back on any exception.

        Write transactions on SQLite take the write lock up front (BEGIN IMMEDIATE), so two writers never
        deadlock upgrading a read lock; readers never block in WAL mode. On PostgreSQL the spaces the unit
        touched get their last_active_time after the commit, before this returns (LastActiveTimes).
        """
        touched = None if self._last_active is None else []
        with _translated_errors():
            async with self.engine.connect() as conn:
                if write:
                    conn = await conn.execution_options(**{_WRITE: True})
                elif not self.is_sqlite:
                    # A read needs no transaction on PostgreSQL: at READ COMMITTED (its default, and chatsvc's)
                    # every statement reads a snapshot of its own anyway, and BEGIN and COMMIT were two of a
                    # GetSpace's three round trips.
                    conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                async with conn.begin():
                    yield Repositories(conn, touched)
        # Committed, and the connection is back in the pool (waiting here must not hold one); before the caller
        # answers, so what it answers with is what a read sees next.
        for space_id, time_us in touched or ():
            await self._last_active.advance(space_id, time_us)


def _connection_lost(error: Unavailable) -> bool:
    cause = error.__cause__
    return isinstance(cause, DBAPIError) and cause.connection_invalidated


# PostgreSQL's text holds no NUL character (22021) nor, in some encodings, every character (22P05): a value
# the caller sent that cannot be stored or compared is the caller's error, not ours.
_UNSTORABLE_TEXT = ("22021", "22P05")


@contextmanager
def _translated_errors() -> Iterator[None]:
    """A lost uniqueness race becomes Conflict; a lock wait that timed out, ABORTED; no free connection in time
    or a connection lost, UNAVAILABLE (the call did nothing and may be retried)."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict(_constraint_name(error)) from error
    except PoolTimeout as error:
        raise Unavailable("The server is overloaded; retry the request.", reason="DATABASE_BUSY") from error
    except OperationalError as error:
        if "locked" in str(error).lower():
            raise Aborted("The database is busy; retry the request.") from error
        if error.connection_invalidated:
            raise Unavailable("The database is unreachable; retry the request.",
                              reason="DATABASE_UNAVAILABLE") from error
        raise
    except DBAPIError as error:
        if error.connection_invalidated:
            raise Unavailable("The database is unreachable; retry the request.",
                              reason="DATABASE_UNAVAILABLE") from error
        if getattr(error.orig, "sqlstate", None) in _UNSTORABLE_TEXT:
            raise InvalidArgument("Text must not contain NUL characters.") from error
        raise


def _enter_wal(cursor) -> None:
    """PRAGMA journal_mode=WAL, retried for a while: turning a new file to WAL needs it to itself for a moment,
    and when several connections open a new file at once (replicas starting together) SQLite answers "locked"
    at once rather than waiting out the busy timeout. Once the file is in WAL mode this succeeds first time."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # the driver's OperationalError, whichever driver (aiosqlite or sqlite3)
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
        time.sleep(0.005)  # rare and brief: only while another connection is switching the file over


def _configure_sqlite(sync_engine) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(_BUSY_TIMEOUT_SECONDS * 1000)}")
        _enter_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn):
        # On the driver's cursor: SQLAlchemy's execute path and its statement events cost more than the BEGIN.
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute(statement)
        except conn.dialect.loaded_dbapi.Error as error:  # as SQLAlchemy would raise it (a busy lock, say)
            raise DBAPIError.instance(statement, (), error, conn.dialect.loaded_dbapi.Error) from error
        finally:
            cursor.close()


def _constraint_name(error: IntegrityError) -> str:
    orig = getattr(error, "orig", None)
    name = getattr(orig, "constraint_name", None) or getattr(getattr(orig, "__cause__", None), "constraint_name", None)
    if name:
        return name
    text = str(orig)  # SQLite names the columns instead: "UNIQUE constraint failed: messages.space_id, ..."
    return text.rsplit(":", 1)[-1].strip()


