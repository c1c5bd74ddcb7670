"""Replicas starting together on an empty PostgreSQL database: each creates the schema or finds it made."""
from __future__ import annotations

import asyncio

import pytest

from chatsvc.storage.database import Database
from tests.conftest import PG_URL, fresh_database_url


@pytest.mark.skipif(not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set")
async def test_four_replicas_migrate_an_empty_database_at_once(tmp_path):
    async with fresh_database_url("postgres", tmp_path) as url:
        replicas = [Database(url) for _ in range(4)]
        try:
            await asyncio.gather(*(db.migrate() for db in replicas))
            async with replicas[0].transaction() as repos:
                assert await repos.settings.get("anything") is None  # the schema is there and usable
        finally:
            await asyncio.gather(*(db.dispose() for db in replicas))
