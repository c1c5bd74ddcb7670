"""api/call_deadlines.py on its own: the sweeper stops overdue calls only, and goes away when idle."""
from __future__ import annotations

import asyncio

import pytest

from chatsvc.api.call_deadlines import CallDeadlines
from chatsvc.domain.errors import DeadlineExceeded


async def test_an_overdue_call_is_stopped_and_a_prompt_one_is_not():
    deadlines = CallDeadlines(0.2)
    finished = []

    async def sleeper(seconds):
        await asyncio.sleep(seconds)
        finished.append(seconds)
        return seconds

    results = await asyncio.gather(deadlines.run(sleeper(5)), deadlines.run(sleeper(0.05)), return_exceptions=True)
    assert isinstance(results[0], DeadlineExceeded) and results[1] == 0.05 and finished == [0.05]
    assert results[0].metadata == {"timeout_seconds": "0.2"}


async def test_someone_elses_cancellation_stays_a_cancellation():
    deadlines = CallDeadlines(10)
    call = asyncio.ensure_future(deadlines.run(asyncio.sleep(5)))
    await asyncio.sleep(0.05)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call


async def test_the_sweeper_exists_only_while_calls_run():
    deadlines = CallDeadlines(0.2)  # sweeps every 0.05 s
    assert await deadlines.run(asyncio.sleep(0.01, "done")) == "done"
    await asyncio.sleep(0.1)
    assert deadlines._sweeper is None and not deadlines._running
