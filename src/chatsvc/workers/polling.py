"""The loop of a background worker that polls the database: one tick, then a pause, until asked to stop."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("chatsvc.workers")


async def poll_until_stopped(tick: Callable[[], Awaitable[object]], stopping: asyncio.Event, period: float,
                             what: str) -> None:
    """Runs `tick` every `period` seconds until `stopping` is set. A failed tick (a database hiccup) is logged and
    the next one tried: a worker outlives a bad poll."""
    while not stopping.is_set():
        try:
            await tick()
        except Exception:  # noqa: BLE001 - logged; the next poll tries again
            log.exception("%s: a poll failed", what)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=period)


async def stop_polling(stopping: asyncio.Event, loop_task: asyncio.Task | None, runs: list[asyncio.Task],
                       wait_seconds: float) -> None:
    """Stops a worker: no new ticks; the runs in flight get `wait_seconds` to finish, then are cancelled (what
    they had claimed goes back when its lease runs out)."""
    stopping.set()
    if loop_task is not None:
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task
    if runs:
        _, late = await asyncio.wait(runs, timeout=wait_seconds)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
