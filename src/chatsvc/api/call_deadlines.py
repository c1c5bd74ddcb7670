"""The server's own deadline: a call still running after `limit` seconds is stopped with DEADLINE_EXCEEDED.

One sweeper task looks over the calls in progress a few times per limit (at least once a second) and cancels
those past it, rather than a timer per call: arming and disarming an asyncio timer costs about 5 us a call,
registering in a dict a tenth of that. A call is stopped between `limit` and `limit` + one sweep period. The
sweeper exists only while calls are in progress, so an idle server has no task pending.
"""
from __future__ import annotations

import asyncio
import time

from chatsvc.domain.errors import DeadlineExceeded


class CallDeadlines:
    def __init__(self, limit: float):
        self.limit = limit
        self._period = min(1.0, limit / 4)
        self._running: dict[asyncio.Task, float] = {}  # call's task -> when it must have finished
        self._stopped: set[asyncio.Task] = set()  # tasks the sweeper cancelled, until they see it
        self._sweeper: asyncio.Task | None = None

    async def run(self, work):
        """Awaits `work` (of the current task), cancelling it once it outlasts the limit."""
        task = asyncio.current_task()
        self._running[task] = time.monotonic() + self.limit
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())
        try:
            return await work
        except asyncio.CancelledError:
            if task not in self._stopped:  # the client's cancellation or deadline, or shutdown: not ours
                raise
            self._stopped.discard(task)
            task.uncancel()
            raise DeadlineExceeded(f"The call did not finish within the server's limit of {self.limit:g} s.",
                                   reason="SERVER_DEADLINE_EXCEEDED",
                                   metadata={"timeout_seconds": f"{self.limit:g}"}) from None
        finally:
            self._running.pop(task, None)

    async def _sweep(self) -> None:
        try:
            while self._running:
                await asyncio.sleep(self._period)
                now = time.monotonic()
                for task, until in list(self._running.items()):
                    if now >= until:
                        del self._running[task]
                        self._stopped.add(task)
                        task.cancel()
        finally:
            self._sweeper = None
