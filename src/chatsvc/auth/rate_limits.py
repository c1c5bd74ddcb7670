"""Per-caller rate limits: a token bucket per caller, refilled continuously, checked before each call.

A caller is a user through one app, or an app on its own (Google counts per user per project alike). Buckets
live in this process only: with `--workers N` each worker grants the rate, so divide it by N if the total
matters. Refusals are RESOURCE_EXHAUSTED with the quota that was exceeded (QuotaFailure) and when to come back
(RetryInfo), as Google's APIs answer.
"""
from __future__ import annotations

import time

from chatsvc.domain.errors import QuotaViolation, ResourceExhausted
from chatsvc.domain.principal import Principal

_MAX_CALLERS = 100_000  # buckets kept; above it, full ones (callers idle long enough to be even) are dropped


class RateLimiter:
    def __init__(self, per_minute: int, burst: int = 0, clock=time.monotonic):
        if per_minute <= 0:
            raise ValueError("a rate limit needs a positive number of calls per minute")
        self._per_second = per_minute / 60.0
        self._capacity = float(burst or per_minute)
        self._per_minute = per_minute
        self._clock = clock
        self._buckets: dict[tuple, list[float]] = {}  # caller -> [calls available, when last counted]

    def take(self, principal: Principal) -> None:
        """Counts one call of `principal`; ResourceExhausted when its bucket is empty."""
        caller = (principal.kind, principal.app, principal.email)
        now = self._clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= _MAX_CALLERS:
                self._forget_idle(now)
            self._buckets[caller] = [self._capacity - 1.0, now]
            return
        available = min(self._capacity, bucket[0] + (now - bucket[1]) * self._per_second)
        bucket[1] = now
        if available < 1.0:
            bucket[0] = available
            raise self._refusal(principal, (1.0 - available) / self._per_second)
        bucket[0] = available - 1.0

    def _forget_idle(self, now: float) -> None:
        full = [caller for caller, (available, since) in self._buckets.items()
                if available + (now - since) * self._per_second >= self._capacity]
        for caller in full:
            del self._buckets[caller]
        if len(self._buckets) >= _MAX_CALLERS:  # everyone is busy: start over rather than grow without bound
            self._buckets.clear()

    def _refusal(self, principal: Principal, retry_after: float) -> ResourceExhausted:
        subject = f"app:{principal.app}" if principal.is_app else f"user:{principal.email} app:{principal.app}"
        description = f"More than {self._per_minute} calls per minute from this caller."
        return ResourceExhausted(
            f"Quota exceeded: {description} Retry after {retry_after:.1f} s.",
            reason="RATE_LIMIT_EXCEEDED",
            metadata={"quota_limit": "CallsPerMinutePerCaller", "quota_limit_value": str(self._per_minute)},
            quota_violations=[QuotaViolation(subject, description)],
            retry_after_seconds=retry_after,
        )
