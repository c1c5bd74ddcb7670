"""A space's last_active_time only moves forward: a message whose transaction commits after a newer message's
(possible on PostgreSQL, where both read the space first) must not set it back."""
from __future__ import annotations

import asyncio
import random

from tests.storage.test_repositories import T0, a_space


async def test_touch_never_moves_last_active_time_back(db):
    space = a_space("AAAAtouch01")
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(space)
    async with db.transaction(write=True) as repos:
        await repos.spaces.touch(space.id, T0 + 10)
    async with db.transaction(write=True) as repos:
        await repos.spaces.touch(space.id, T0 + 7)  # an older message, committed later
    async with db.transaction() as repos:
        assert (await repos.spaces.get(space.id)).last_active_time_us == T0 + 10


async def test_concurrent_touches_are_each_visible_when_their_unit_returns(db):
    # On PostgreSQL the advance runs after the commit, coalesced per space; each unit still returns only once
    # the space shows its time, and the newest time wins.
    space = a_space("AAAAtouch02")
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(space)

    async def touch_then_read(offset: int) -> None:
        async with db.transaction(write=True) as repos:
            await repos.spaces.touch(space.id, T0 + offset)
        async with db.transaction() as repos:
            assert (await repos.spaces.get(space.id)).last_active_time_us >= T0 + offset

    await asyncio.gather(*(touch_then_read(offset) for offset in random.Random(7).sample(range(1, 41), 40)))
    async with db.transaction() as repos:
        assert (await repos.spaces.get(space.id)).last_active_time_us == T0 + 40
