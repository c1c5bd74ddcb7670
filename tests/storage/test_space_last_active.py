"""A space's last_active_time only moves forward: a message whose transaction commits after a newer message's
(possible on PostgreSQL, where both read the space first) must not set it back."""
from __future__ import annotations

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
