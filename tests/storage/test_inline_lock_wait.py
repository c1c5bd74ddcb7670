"""A SQLite unit of work that finds the write lock taken by another connection (another process) waits on the
event loop and still runs inline; one that never gets the lock ends ABORTED after the busy timeout."""
from __future__ import annotations

import asyncio
import sqlite3

import pytest

from chatsvc.domain.errors import Aborted
from chatsvc.storage import database as database_module
from chatsvc.storage.database import Database


async def _inline_database(tmp_path) -> tuple[Database, str]:
    path = str(tmp_path / "chat.db")
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    return db, path


def _hold_write_lock(path: str) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


async def _written(repos) -> str:
    return "done"


async def test_a_writer_waits_for_the_other_connection_then_runs_inline(tmp_path, monkeypatch):
    db, path = await _inline_database(tmp_path)
    ordinary_path = []
    original = Database.transaction
    monkeypatch.setattr(Database, "transaction", lambda self, **kw: ordinary_path.append(kw) or original(self, **kw))
    other = _hold_write_lock(path)
    try:
        asyncio.get_running_loop().call_later(0.05, other.execute, "ROLLBACK")
        assert await asyncio.wait_for(db.run(_written, write=True), timeout=5) == "done"
        assert ordinary_path == []  # it never fell back to aiosqlite
    finally:
        other.close()
        await db.dispose()


async def test_a_writer_that_never_gets_the_lock_is_aborted(tmp_path, monkeypatch):
    db, path = await _inline_database(tmp_path)
    monkeypatch.setattr(database_module, "_BUSY_TIMEOUT_SECONDS", 0.05)
    other = _hold_write_lock(path)
    try:
        with pytest.raises(Aborted):
            await asyncio.wait_for(db.run(_written, write=True), timeout=5)
    finally:
        other.execute("ROLLBACK")
        other.close()
        await db.dispose()
