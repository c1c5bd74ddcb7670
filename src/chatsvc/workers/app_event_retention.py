"""The retention sweep of Chat app event deliveries: a loop in every server process that deletes finished deliveries
older than `days` and, per app, those beyond its newest `count` (0: no such bound). Queued and in-flight events are
never touched. On PostgreSQL one process sweeps at a time (the others skip that round), and a sweep repeated is
harmless: it finds nothing left to delete.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging

from chatsvc.domain.access import write
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.workers.polling import poll_until_stopped, stop_polling

log = logging.getLogger("chatsvc.app_events")

_DAY_US = 86_400 * 1_000_000


class AppEventRetention:
    def __init__(self, db: Transactions, clock: Clock, *, days: float, count: int, sweep_seconds: float):
        self._db = db
        self._clock = clock
        self._age_us = int(days * _DAY_US) if days > 0 else None
        self._count = count if count > 0 else None
        self._period = sweep_seconds
        self._stopping = asyncio.Event()
        self._loop_task: asyncio.Task | None = None

    @property
    def bounded(self) -> bool:
        return self._age_us is not None or self._count is not None

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._loop(), name="app-event-retention")

    async def _loop(self) -> None:
        # The first sweep waits a period: a starting server has other work, and a sweep takes the write lock.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=self._period)
        await poll_until_stopped(self.sweep, self._stopping, self._period, "the app-event retention sweep")

    async def stop(self) -> None:
        await stop_polling(self._stopping, self._loop_task, [], 0)

    async def sweep(self) -> int | None:
        """One sweep; how many deliveries it deleted (None: another process was sweeping)."""
        older_than = self._clock() - self._age_us if self._age_us is not None else None
        deleted = await write(self._db, lambda r: r.app_deliveries.prune(older_than_us=older_than,
                                                                         keep_per_app=self._count))
        if deleted:
            log.info("app-event retention: %d finished deliveries deleted", deleted)
        return deleted
