"""The PostgreSQL connection pool settings: read from CHATSVC_DB_* and applied to the engine."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from chatsvc.app import open_database
from chatsvc.config import Settings, database_settings_from_env
from chatsvc.storage.database import Database
from tests.conftest import PG_URL, fresh_database_url


def test_the_settings_come_from_the_environment_with_their_types():
    found = database_settings_from_env({
        "CHATSVC_DB_POOL_SIZE": "3", "CHATSVC_DB_MAX_OVERFLOW": "0", "CHATSVC_DB_POOL_TIMEOUT_SECONDS": "2.5",
        "CHATSVC_DB_POOL_RECYCLE_SECONDS": "0", "CHATSVC_DB_POOL_PRE_PING": "off",
        "CHATSVC_DB_STATEMENT_CACHE_SIZE": "0", "CHATSVC_SMTP_PORT": "2525"})
    assert found == {"db_pool_size": 3, "db_max_overflow": 0, "db_pool_timeout_seconds": 2.5,
                     "db_pool_recycle_seconds": 0.0, "db_pool_pre_ping": False, "db_statement_cache_size": 0}
    assert database_settings_from_env({}) == {}


def _pool(db: Database) -> tuple:
    pool = db.engine.sync_engine.pool
    return pool.size(), pool._max_overflow, pool.timeout(), pool._recycle, pool._pre_ping


async def test_the_engine_gets_them():
    # Creating the engine opens no connection, so no server is needed.
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", pool_size=3, max_overflow=1,
                  pool_timeout_seconds=2.5, pool_recycle_seconds=0, pool_pre_ping=False, statement_cache_size=0)
    try:
        assert _pool(db) == (3, 1, 2.5, -1, False)
    finally:
        await db.dispose()
    defaults = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    try:
        assert _pool(defaults) == (10, 20, 30, 1800, False)  # no pre-ping: see test_dropped_connection.py
    finally:
        await defaults.dispose()


@pytest.mark.skipif(not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set")
async def test_without_a_statement_cache_queries_still_work(tmp_path):
    # As behind PgBouncer in transaction mode: asyncpg prepares nothing it keeps.
    async with fresh_database_url("postgres", tmp_path) as url:
        db = await open_database(Settings(database_url=url, db_statement_cache_size=0, db_pool_size=1,
                                          db_max_overflow=0))
        try:
            for _ in range(3):
                async with db.transaction() as repos:
                    assert await repos.settings.get("absent") is None
            async with db.engine.connect() as conn:
                raw = await conn.get_raw_connection()
                assert raw.driver_connection._stmt_cache.get_max_size() == 0
                assert (await conn.execute(text("SELECT 1"))).scalar() == 1
        finally:
            await db.dispose()
