"""PostgreSQL: a read unit of work runs its statements each on its own (no BEGIN and COMMIT round trips); a
write unit stays one transaction."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from chatsvc.storage.raw_statements import Statement
from tests.conftest import PG_URL, fresh_database_url

pytestmark = pytest.mark.skipif(not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set")

# True when the statement began its own transaction: now() is the transaction's start, statement_timestamp() the
# statement's (a few microseconds apart even then: the extended protocol's messages each restamp the latter).
_OWN_TRANSACTION = Statement(select(func.statement_timestamp() - func.now() < text("interval '20 milliseconds'")))


async def _two_statements(repos) -> tuple[bool, bool]:
    first = await repos.raw.scalar(_OWN_TRANSACTION)
    await asyncio.sleep(0.1)
    return first, await repos.raw.scalar(_OWN_TRANSACTION)


async def test_a_read_unit_runs_each_statement_alone_and_a_write_unit_in_one_transaction(tmp_path):
    from chatsvc.storage.database import Database

    async with fresh_database_url("postgres", tmp_path) as url:
        db = Database(url)
        try:
            await db.migrate()
            assert await db.run(_two_statements) == (True, True)
            assert await db.run(_two_statements, write=True) == (True, False)
            assert await db.run(_two_statements) == (True, True)  # the pooled connection is a read's again
        finally:
            await db.dispose()
