"""The campaign scheduler: a loop in the server process that claims due campaigns and sends them.

Every `poll_seconds` it claims up to the number of free run slots among the due campaigns (scheduled ones
whose time came, and ones being sent by a process whose lease ran out) and runs each in its own task. Any
number of server processes may run one on the same database: a claim gives a campaign to one of them.
"""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket

from chatsvc.domain.access import write
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.workers.campaign_runner import CampaignRunner
from chatsvc.workers.polling import poll_until_stopped, stop_polling

log = logging.getLogger("chatsvc.scheduler")


def process_owner_id() -> str:
    """This process's name on the campaigns it claims: host, pid and a random part (pids get reused)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(6)}"


class Scheduler:
    def __init__(self, db: Transactions, runner: CampaignRunner, clock: Clock, *, poll_seconds: float,
                 lease_seconds: float, stop_wait_seconds: float = 10.0, max_concurrent: int = 4):
        self._db = db
        self._runner = runner
        self._clock = clock
        self._poll = poll_seconds
        self._lease_us = int(lease_seconds * 1_000_000)
        self._max = max_concurrent
        # How long stop() lets runs finish their current message before cancelling them (the server's grace
        # period: a cancelled message stays "in doubt" and is settled by whoever resumes the campaign).
        self._stop_wait = stop_wait_seconds
        self._runs: dict[str, asyncio.Task] = {}
        self._loop_task: asyncio.Task | None = None
        self._stopping = asyncio.Event()

    @property
    def owner(self) -> str:
        return self._runner.owner

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._loop(), name="campaign-scheduler")

    async def stop(self) -> None:
        """No new claims; each run finishes its current message and lets its campaign go."""
        self._runner.stop()
        await stop_polling(self._stopping, self._loop_task, list(self._runs.values()), self._stop_wait)

    async def tick(self) -> list[str]:
        """Claims what is due, as far as free slots allow, and starts sending it; returns the ids claimed."""
        free = self._max - len(self._runs)
        if free <= 0 or self._stopping.is_set():
            return []
        now = self._clock()
        claimed = await write(self._db, lambda r: r.campaign_delivery.claim_due(
            now, self.owner, now + self._lease_us, free))
        for campaign_id in claimed:
            log.info("campaign %s claimed by %s", campaign_id, self.owner)
            task = asyncio.create_task(self._run(campaign_id), name=f"campaign-{campaign_id}")
            self._runs[campaign_id] = task
        return claimed

    async def _run(self, campaign_id: str) -> None:
        try:
            await self._runner.run(campaign_id)
        except Exception:  # noqa: BLE001 - one campaign's failure must not reach the loop; it is retried later
            log.exception("campaign %s: sending stopped on an unexpected error", campaign_id)
        finally:
            self._runs.pop(campaign_id, None)

    async def _loop(self) -> None:
        await poll_until_stopped(self.tick, self._stopping, self._poll, "the campaign scheduler")
