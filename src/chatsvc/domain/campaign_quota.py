"""A brand's monthly allowance of addresses: what campaigns executed this month used, what campaigns still
to be sent plan to use, and the check that refuses scheduling past it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from chatsvc.aip.campaign_names import quota_name
from chatsvc.domain.errors import QuotaViolation, ResourceExhausted
from chatsvc.domain.ports import Repositories


@dataclass(frozen=True)
class Quota:
    brand_id: str
    executed: int
    scheduled: int
    quota: int


def month_bounds(now_us: int) -> tuple[int, int]:
    """[start, end) of the current UTC calendar month, in microseconds."""
    now = datetime.fromtimestamp(now_us / 1_000_000, tz=UTC)
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    end = datetime(now.year + (now.month == 12), now.month % 12 + 1, 1, tzinfo=UTC)
    return int(start.timestamp()) * 1_000_000, int(end.timestamp()) * 1_000_000


async def usage(repos: Repositories, brand_id: str, allowance: int, now_us: int, excluding: str = "") -> Quota:
    start, end = month_bounds(now_us)
    executed = await repos.campaigns.executed_between(brand_id, start, end)
    scheduled = await repos.campaigns.planned(brand_id, excluding)
    return Quota(brand_id, executed, scheduled, allowance)


async def check(repos: Repositories, brand_id: str, allowance: int, now_us: int, planned: int,
                excluding: str = "") -> None:
    """Refuses `planned` more addresses when they would take the brand past its allowance. The brand row is
    locked first (PostgreSQL), so two campaigns scheduled at once cannot both squeeze under the limit."""
    await repos.campaigns.lock_brand(brand_id)
    current = await usage(repos, brand_id, allowance, now_us, excluding)
    used = current.executed + current.scheduled
    if used + planned > allowance:
        description = (f"The campaign reaches {planned} addresses; this month {current.executed} were sent and "
                       f"{current.scheduled} are scheduled, of an allowance of {allowance}.")
        raise ResourceExhausted(f"Email quota exceeded for `brands/{brand_id}`. {description}",
                                reason="EMAIL_QUOTA_EXCEEDED",
                                quota_violations=[QuotaViolation(quota_name(brand_id), description)],
                                metadata={"quota": str(allowance), "used": str(used), "requested": str(planned)})
