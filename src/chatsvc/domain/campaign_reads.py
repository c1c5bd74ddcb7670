"""Reading campaigns: one, a brand's page of them, a campaign's emails, and the brand's quota. Any member
of the brand reads; to others the brand does not exist."""
from __future__ import annotations

from dataclasses import dataclass, replace

from chatsvc.aip import campaign_names as names
from chatsvc.domain import campaign_quota
from chatsvc.domain.access import read
from chatsvc.domain.brand_access import brand_member
from chatsvc.domain.campaign_access import visible_campaign
from chatsvc.domain.campaign_models import Campaign, CampaignEmail
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

ORDERABLE = ("clicked", "opened", "unsubscribed", "failed", "full_name")
# A read with ASSOCIATION_EMAILS carries at most this many emails per campaign (a 30,000-address campaign
# would not fit in one response); ListCampaignEmails pages through all of them.
ASSOCIATED_EMAILS = 1000


@dataclass(frozen=True)
class CampaignPage:
    items: list[Campaign]
    next_position: tuple | None
    total_size: int


@dataclass(frozen=True)
class EmailPage:
    items: list[CampaignEmail]
    next_offset: int | None
    total_size: int


def email_order(order_by: str) -> tuple[str, bool]:
    """`x`, `-x`, `x asc` or `x desc` -> (column, descending); "" is sending order."""
    text = " ".join(order_by.split())
    if not text:
        return "", False
    descending = text.startswith("-")
    text = text.lstrip("-")
    column, _, direction = text.partition(" ")
    if direction not in ("", "asc", "desc") or column not in ORDERABLE or (descending and direction):
        raise InvalidArgument.field("order_by", f"must be one of {', '.join(ORDERABLE)}, with a leading `-` or a "
                                                "trailing ` desc` for descending order")
    return column, descending or direction == "desc"


class CampaignReads:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, quota: int):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._quota = quota

    async def get(self, principal: Principal, name: str, with_emails: bool) -> Campaign:
        brand_id, campaign_id = names.parse_campaign(name)
        user = await self._directory.caller(principal)

        async def load(repos: Repositories) -> Campaign:
            campaign = (await visible_campaign(repos, brand_id, campaign_id, user))[1]
            return (await _with_emails(repos, [campaign]))[0] if with_emails else campaign

        return await read(self._db, load)

    async def list(self, principal: Principal, parent: str, after: tuple | None, limit: int,
                   with_emails: bool) -> CampaignPage:
        brand_id = names.brand_parent(parent)
        user = await self._directory.caller(principal)
        position = (int(after[0]), str(after[1])) if after else None

        async def load(repos: Repositories) -> CampaignPage:
            await brand_member(repos, brand_id, user)
            rows = await repos.campaigns.page(brand_id, position, limit + 1)
            items = rows[:limit]
            if with_emails:
                items = await _with_emails(repos, items)
            last = items[-1] if len(rows) > limit else None
            return CampaignPage(items, (last.create_time_us, last.id) if last else None,
                                await repos.campaigns.count(brand_id))

        return await read(self._db, load)

    async def emails(self, principal: Principal, parent: str, order_by: str, offset: int, limit: int) -> EmailPage:
        brand_id, campaign_id = names.parse_campaign(parent, "parent")
        column, descending = email_order(order_by)
        user = await self._directory.caller(principal)

        async def load(repos: Repositories) -> EmailPage:
            campaign = (await visible_campaign(repos, brand_id, campaign_id, user, parts=False))[1]
            rows = await repos.campaign_emails.page(campaign.key, column, descending, offset, limit + 1)
            total = await repos.campaign_emails.count(campaign.key)
            return EmailPage(rows[:limit], offset + limit if len(rows) > limit else None, total)

        return await read(self._db, load)

    async def quota(self, principal: Principal, name: str) -> campaign_quota.Quota:
        brand_id = names.parse_quota(name)
        user = await self._directory.caller(principal)

        async def load(repos: Repositories) -> campaign_quota.Quota:
            await brand_member(repos, brand_id, user)
            return await campaign_quota.usage(repos, brand_id, self._quota, self._clock())

        return await read(self._db, load)


async def _with_emails(repos: Repositories, campaigns: list[Campaign]) -> list[Campaign]:
    """One query for the emails of every campaign given (the first ASSOCIATED_EMAILS of each)."""
    emails = await repos.campaign_emails.for_campaigns([c.key for c in campaigns], ASSOCIATED_EMAILS)
    return [replace(c, emails=tuple(emails.get(c.key, ()))) for c in campaigns]
