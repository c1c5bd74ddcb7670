"""SQLite units of work run whole on the event loop's thread, without a thread hop per statement.

Through aiosqlite every statement is a round trip to the connection's thread and back (a queue put, a thread
wake-up, a self-pipe write, and the GIL handed over twice): a CreateMessage of eight statements paid eight,
and under load those hand-offs, not SQLite, took most of the server's time (bench/PROFILE.md). SQLite
answers the hot paths' statements in microseconds, so here a unit of work's coroutine is driven to the end
synchronously, on a plain sqlite3 connection: its repository calls complete without suspending, and the
whole transaction, commit included, runs as one step of the event loop. Units cannot interleave, so this
process's writers never wait on each other.

Writers share commits (run_batched): the first write unit of a turn of the event loop opens a transaction, the
units that run before the loop's next turn join it, and it commits then; each caller answers after that commit.
A COMMIT writes every page the transaction changed to the WAL and flushes the full-text index's pending
entries; one per batch instead of one per message was worth 13% of CreateMessage's throughput (bench/PROFILE.md,
round 4). A read, or a unit run alone, commits the open batch first, so nothing reads uncommitted writes.

Waiting must not block the loop, though: the inline connection never waits for a lock (busy_timeout 0). When
another process holds the write lock (LockedElsewhere), the unit is rolled back and the caller sleeps briefly
on the event loop and runs it inline again (Database.run); SQLite's own busy handler, which aiosqlite would
use, sleeps in steps of up to 100 ms and made writers of a second worker wait far longer than the lock was
held. When a unit needs the event loop after all (it awaits something other than the database), it is
rolled back and run again on the ordinary path (aiosqlite, in its own thread).
"""
from __future__ import annotations

import asyncio
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
        self._batch: _Batch | None = None  # the write transaction this turn's writers share (run_batched)
        if mirror is not None:
            _mirror_statement_events(self.engine, mirror)

    def run(self, work: Callable[[object], Awaitable[T]], make_repos, *, write: bool) -> T:
        """`work` in a transaction of its own, after the open batch (if any) has committed: it sees only
        committed writes."""
        if self._running:
            raise RunElsewhere("a unit of work is already running inline")
        self.commit_batch()
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

    def run_batched(self, work: Callable[[object], Awaitable[T]], make_repos) -> tuple[T, asyncio.Future]:
        """A write unit in the transaction that the writers of this turn of the event loop share (group commit:
        one COMMIT, one WAL append and one full-text index flush for all of them). Returns its result and the
        future of the batch's commit, which the caller awaits (shielded) before answering.

        A unit that fails without having changed a row leaves the batch as it was. One that fails after
        writing (rare: a uniqueness race) rolls the whole batch back: its own error is raised, and the other
        units' futures fail with BatchAbandoned, upon which each runs again alone (units are re-runnable: see
        RunElsewhere)."""
        if self._running:
            raise RunElsewhere("a unit of work is already running inline")
        batch = self._batch or self._open_batch()
        changes = batch.dbapi.total_changes
        self._running = True
        try:
            return _drive(work(make_repos(_Connection(batch.conn, self._dispatch)))), batch.committed
        except BaseException:
            if batch.dbapi.total_changes != changes:
                self._abandon_batch()
            raise
        finally:
            self._running = False

    def _open_batch(self) -> _Batch:
        if self._conn is None:
            self._conn = self.engine.connect()
        conn = self._conn.execution_options(**{self._write_option: True})
        try:
            transaction = conn.begin()
        except OperationalError as error:
            if _busy(error):
                raise LockedElsewhere("the database is locked by another connection") from error
            raise
        loop = asyncio.get_running_loop()
        self._batch = batch = _Batch(conn, transaction, loop.create_future())
        batch.committed.add_done_callback(_retrieved)
        # The commit runs after every callback already scheduled: the writers of this turn join the batch.
        loop.call_soon(self.commit_batch)
        return batch

    def commit_batch(self) -> None:
        """Commits the open batch, if any, and tells its units' callers."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        try:
            batch.transaction.commit()
        except Exception as error:
            if batch.transaction.is_active:
                batch.transaction.rollback()
            batch.committed.set_exception(error)
        else:
            batch.committed.set_result(None)

    def _abandon_batch(self) -> None:
        batch, self._batch = self._batch, None
        batch.transaction.rollback()
        batch.committed.set_exception(BatchAbandoned())

    def close(self) -> None:
        self.commit_batch()
        if self._conn is not None:
            self._conn.close()
        self.engine.dispose()


class BatchAbandoned(Exception):
    """Another unit of the batch failed after writing, and the batch was rolled back: run this unit again."""


class _Batch:
    __slots__ = ("conn", "transaction", "committed", "dbapi")

    def __init__(self, conn, transaction, committed: asyncio.Future):
        self.conn = conn
        self.transaction = transaction
        self.committed = committed
        self.dbapi = conn.connection.dbapi_connection  # the sqlite3 connection: total_changes


def _retrieved(future: asyncio.Future) -> None:
    """Marks a batch's failure as seen even if every caller was cancelled meanwhile (no asyncio warning)."""
    if not future.cancelled():
        future.exception()


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
