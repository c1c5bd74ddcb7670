"""SIGKILL at random moments under concurrent writes, restart on the same database, several times over (issue
8, durability): 16 CreateMessage calls in flight (message_load.py) and 6 mixed writers (mixed_load.py) run
together, so one kill tests both. After each kill the database is intact; after each restart the server is
SERVING, and every write whose response was received is in effect, with nothing stored twice."""
from __future__ import annotations

import time

import pytest

from tests.conftest import BACKENDS, fresh_database_url
from tests.durability.message_load import MEMBERS, MessageLoad
from tests.durability.mixed_load import OWNER, MixedLoad
from tests.durability.support import crashable, cycles, load_until_killed, seeded_rng, space_with_members

MESSAGE_WORKERS = 16
MIXED_WORKERS = 6


@pytest.mark.parametrize("backend", BACKENDS)
async def test_acknowledged_writes_survive_sigkill(backend, tmp_path):
    rng = seeded_rng(f"sigkill[{backend}]")
    async with fresh_database_url(backend, tmp_path) as url, crashable(url, tmp_path) as server:
        messages = MessageLoad(server, (await space_with_members(server, MEMBERS[0], list(MEMBERS[1:]))).name, rng)
        mixed = MixedLoad(server, (await space_with_members(server, OWNER, [])).name)
        total = cycles(3)
        for cycle in range(total):
            delay = await load_until_killed(server, rng, messages.workers(MESSAGE_WORKERS)
                                            + mixed.workers(MIXED_WORKERS))
            started = time.monotonic()
            assert await server.integrity() == [], f"cycle {cycle}: the database is damaged after SIGKILL"
            await server.start()
            restarted = time.monotonic()
            assert await server.health() == "SERVING"
            unsettled = mixed.unsettled()
            await messages.check()
            await mixed.check()
            print(f"cycle {cycle}: killed after {delay:.2f}s; {len(messages.ledger)} messages so far, "
                  f"{unsettled} mixed writes without a response; integrity check and restart "
                  f"{restarted - started:.1f}s, checks {time.monotonic() - restarted:.1f}s")
        await server.stop()
        assert await server.integrity() == []
        print(f"{backend}: {total} kill-restart cycles; CreateMessage {dict(messages.figures)}, "
              f"{len(messages.ledger)} stored; mixed writes acknowledged {dict(mixed.acked)}; lost 0, duplicates 0")
        assert messages.figures["acknowledged"] and sum(mixed.acked.values()), \
            "no call was acknowledged before the kills: the test proved nothing"
