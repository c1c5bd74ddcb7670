"""PostgreSQL without pre-ping: a read that meets a connection the server dropped is run again on a fresh one,
so the call still succeeds (a write fails with UNAVAILABLE instead, never applied twice)."""
from __future__ import annotations

import asyncpg
import pytest
from google.chat.v1 import space_pb2
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, fresh_database_url, serving
from tests.helpers import new_space, user

pytestmark = pytest.mark.skipif(not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set")


async def _drop_connections_to(url: str) -> int:
    """Ends every session of the database `url` names, as a server restart would; how many there were."""
    parsed = make_url(url)
    conn = await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                 port=parsed.port, database="postgres")
    try:
        return await conn.fetchval("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = $1 AND pid <> pg_backend_pid()", parsed.database)
    finally:
        await conn.close()


async def test_a_read_succeeds_after_the_server_dropped_the_pooled_connections(tmp_path):
    async with fresh_database_url("postgres", tmp_path) as url, serving(url) as server:
        assert not server.running.db.engine.sync_engine.pool._pre_ping  # the default
        alice = user(server, "alice@example.com")
        space = await new_space(server, alice)
        request = space_pb2.GetSpaceRequest(name=space.name)
        assert (await server.chat.GetSpace(request, metadata=alice)).name == space.name

        assert await _drop_connections_to(url) >= 1  # the pool's idle connections among them
        for _ in range(3):
            assert (await server.chat.GetSpace(request, metadata=alice)).display_name == space.display_name
