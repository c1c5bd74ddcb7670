"""Waiting for Chat app deliveries in tests: the outbox rows of an app, once they are all done."""
from __future__ import annotations

import asyncio

from chatsvc.domain.access import read
from chatsvc.events.records import EventState


async def settled(server, app: str, count: int, timeout: float = 15.0) -> list:
    """The app's delivery rows (`app_events.for_app`) once at least `count` exist and every one is DONE."""
    for _ in range(int(timeout * 10)):
        rows = await read(server.running.db, lambda r: r.app_events.for_app(app))
        if len(rows) >= count and all(state is EventState.DONE for _, state, _ in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries of {app} not settled: {rows}")
