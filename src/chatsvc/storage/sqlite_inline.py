"""SQLite units of work run whole on the event loop's thread, without a thread hop per statement.

Through aiosqlite every statement is a round trip to the connection's thread and back (a queue put, a thread
wake-up, a self-pipe write, and the GIL handed over twice): a CreateMessage of eight statements paid eight,
and under load those hand-offs, not SQLite, took most of the server's time (bench/PROFILE.md). SQLite
answers the hot paths' statements in microseconds, so here a unit of work's coroutine is driven to the end
synchronously, on a plain sqlite3 connection: its repository calls complete without suspending, and the
whole transaction, commit included, runs as one step of the event loop. Units cannot interleave, so this
process's writers never wait on each other.

Waiting must not block the loop, though: the inline connection never waits for a lock (busy_timeout 0). When
another process holds the write lock (LockedElsewhere), the unit is rolled back and the caller sleeps briefly
on the event loop and runs it inline again (Database.run); SQLite's own busy handler, which aiosqlite would
use, sleeps in steps of up to 100 ms and made writers of a second worker wait far longer than the lock was
held. When a unit needs the event loop after all (it awaits something other than the database), it is
rolled back and run again on the ordinary path (aiosqlite, in its own thread).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

T = TypeVar("T")


class RunElsewhere(Exception):
    """The unit of work could not finish inline (a lock held elsewhere, or it suspended); it was rolled back."""


class LockedElsewhere(RunElsewhere):
    """Another connection (another process) held the lock the unit needed; it was rolled back. Retrying
    inline soon is usually cheaper than waiting in SQLite's busy handler."""


class _Connection:
    """The part of AsyncConnection the repositories use, over a synchronous connection: every call completes
    at once, so an `await` on it never suspends. storage/raw_statements.py runs hot statements on
    `sync_inline`'s sqlite3 connection itself, telling `mirror_dispatch`'s statement listeners."""

    __slots__ = ("_conn", "dialect", "sync_inline", "mirror_dispatch")

    def __init__(self, conn, mirror_dispatch):
        self._conn = self.sync_inline = conn
        self.dialect = conn.dialect
        self.mirror_dispatch = mirror_dispatch

    async def execute(self, statement, parameters=None, **kwargs):
        return self._conn.execute(statement, parameters, **kwargs)

    async def scalar(self, statement, parameters=None, **kwargs):
        return self._conn.scalar(statement, parameters, **kwargs)


def _drive(coroutine):
    """Runs a coroutine expected never to suspend; RunElsewhere if it does."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RunElsewhere("the unit of work awaited something besides the database")


def _busy(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text


class InlineSqlite:
    """One sqlite3 connection used from the event loop's thread only, one unit of work at a time."""

    def __init__(self, sqlite_file: str, configure: Callable[[Engine], None], write_option: str,
                 mirror: Engine | None = None):
        # StaticPool: the one connection, handed out again and again without pool bookkeeping.
        self.engine = create_engine(f"sqlite:///{sqlite_file}", poolclass=StaticPool,
                                    connect_args={"check_same_thread": False})
        configure(self.engine)
        event.listen(self.engine, "connect", _never_wait)  # after configure's busy_timeout
        self._write_option = write_option
        self._conn = None
        self._dispatch = (mirror or self.engine).dispatch
        self._running = False  # a unit of work that starts another one (nested) runs that one elsewhere
        if mirror is not None:
            _mirror_statement_events(self.engine, mirror)

    def run(self, work: Callable[[object], Awaitable[T]], make_repos, *, write: bool) -> T:
        if self._running:
            raise RunElsewhere("a unit of work is already running inline")
        if self._conn is None:
            self._conn = self.engine.connect()
        conn = self._conn.execution_options(**{self._write_option: write})
        self._running = True
        try:
            with conn.begin():
                return _drive(work(make_repos(_Connection(conn, self._dispatch))))
        except OperationalError as error:
            if _busy(error):
                raise LockedElsewhere("the database is locked by another connection") from error
            raise
        finally:
            self._running = False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self.engine.dispose()


def _never_wait(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _mirror_statement_events(engine: Engine, mirror: Engine) -> None:
    """Statement listeners registered on the async engine (tests count statements there) see these too."""
    @event.listens_for(engine, "before_cursor_execute")
    def _forward(conn, cursor, statement, parameters, context, executemany):
        listeners = mirror.dispatch.before_cursor_execute
        if listeners:
            listeners(conn, cursor, statement, parameters, context, executemany)
