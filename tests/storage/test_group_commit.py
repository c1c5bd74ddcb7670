"""SQLite's group commit (storage/sqlite_inline.py): the writers of one turn of the event loop share a transaction;
each answers only after it commits, a failure after writing takes nobody else's write with it, and a read never
sees a batch's uncommitted writes."""
from __future__ import annotations

import asyncio

import pytest

from chatsvc.domain.ports import Conflict
from chatsvc.storage.database import Database
from tests.conftest import fresh_database_url
from tests.storage.test_repositories import a_space


@pytest.fixture
async def sqlite_db(tmp_path):
    async with fresh_database_url("sqlite", tmp_path) as url:
        database = Database(url)
        await database.migrate()
        try:
            yield database
        finally:
            await database.dispose()


async def _exists(db: Database, space_id: str) -> bool:
    async def work(repos):
        return await repos.spaces.get(space_id) is not None
    return await db.run(work)


async def test_a_unit_failing_after_its_write_rolls_back_alone_and_the_others_run_again(sqlite_db):
    runs = {"kept": 0, "failing": 0}

    async def kept(repos):
        runs["kept"] += 1
        await repos.spaces.add(a_space("AAAAkept001"))
        return "kept"

    async def failing(repos):
        runs["failing"] += 1
        await repos.spaces.add(a_space("AAAAfail001"))
        raise ValueError("after writing")

    outcomes = await asyncio.gather(sqlite_db.run(kept, write=True), sqlite_db.run(failing, write=True),
                                    return_exceptions=True)
    assert outcomes[0] == "kept"
    assert isinstance(outcomes[1], ValueError)
    assert runs == {"kept": 2, "failing": 1}  # they shared a batch; the kept unit ran again alone
    assert await _exists(sqlite_db, "AAAAkept001")
    assert not await _exists(sqlite_db, "AAAAfail001")


async def test_a_unit_failing_before_writing_leaves_the_batch_alone(sqlite_db):
    runs = {"kept": 0}

    async def kept(repos):
        runs["kept"] += 1
        await repos.spaces.add(a_space("AAAAkept002"))

    async def refused(repos):
        await repos.spaces.get("AAAAkept002")  # reads, then gives up without a write
        raise Conflict("refused")

    outcomes = await asyncio.gather(sqlite_db.run(kept, write=True), sqlite_db.run(refused, write=True),
                                    return_exceptions=True)
    assert outcomes[0] is None and isinstance(outcomes[1], Conflict)
    assert runs == {"kept": 1}
    assert await _exists(sqlite_db, "AAAAkept002")


async def test_writers_answer_after_their_commit_and_a_read_sees_only_committed_writes(sqlite_db):
    other = Database(sqlite_db.url)  # another connection: sees what is committed, nothing else
    try:
        async def write(space_id):
            async def work(repos):
                await repos.spaces.add(a_space(space_id))
            await sqlite_db.run(work, write=True)
            # Answered: committed, as another connection reads it.
            async with other.transaction() as repos:
                assert await repos.spaces.get(space_id) is not None

        async def read_right_after():
            await asyncio.sleep(0)
            return await _exists(sqlite_db, "AAAAbatch00")

        *_, seen = await asyncio.gather(*(write(f"AAAAbatch{i:02d}") for i in range(8)), read_right_after())
        assert seen  # the read committed the batch it found open before reading
    finally:
        await other.dispose()


async def test_a_cancelled_writer_does_not_cancel_its_batch(sqlite_db):
    async def add(space_id):
        async def work(repos):
            await repos.spaces.add(a_space(space_id))
        await sqlite_db.run(work, write=True)

    first = asyncio.create_task(add("AAAAcancel1"))
    second = asyncio.create_task(add("AAAAcancel2"))
    await asyncio.sleep(0)  # both ran their unit; the batch commits on the next turn
    first.cancel()
    await second
    assert await _exists(sqlite_db, "AAAAcancel2")
    assert await _exists(sqlite_db, "AAAAcancel1")  # its write was in the batch: it commits regardless
