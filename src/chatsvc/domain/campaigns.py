"""Email campaigns: scheduling, changing before they are sent, notifications, cancelling or hiding.

A campaign is written in one transaction that also checks the brand's quota (with the brand locked) and,
for a change, that the campaign is still scheduled, so a change can never race the scheduler's claim.
Credentials are checked before that transaction (they live in another service)."""
from __future__ import annotations

import uuid
from dataclasses import replace

from chatsvc.aip import campaign_names as names
from chatsvc.domain import campaign_checks, campaign_drafts, campaign_quota
from chatsvc.domain.access import read, write
from chatsvc.domain.brand_access import brand_member
from chatsvc.domain.campaign_access import campaign_not_found, require_changer, visible_campaign
from chatsvc.domain.campaign_drafts import CampaignInput
from chatsvc.domain.campaign_models import Campaign, CampaignState
from chatsvc.domain.credential_models import Provider
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument
from chatsvc.domain.models import User
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.recipient_expansion import expand
from chatsvc.domain.users import Directory

MAX_REQUEST_ID = 128
SEND_CAPABILITY = "mail.send"


class Campaigns:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, credentials, quota: int):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._credentials = credentials  # chatsvc.domain.credentials.Credentials
        self._quota = quota

    async def create(self, principal: Principal, parent: str, draft: CampaignInput, campaign_id: str = "",
                     request_id: str = "") -> Campaign:
        brand_id = names.brand_parent(parent)
        if campaign_id:
            names.campaign_id(campaign_id)
        if len(request_id) > MAX_REQUEST_ID:
            raise InvalidArgument.field("request_id", f"must be at most {MAX_REQUEST_ID} characters")
        user = await self._directory.caller(principal)
        now = self._clock()
        changes = campaign_drafts.parse(draft, campaign_drafts.SETTABLE, brand_id, user, now)
        campaign = Campaign(id=campaign_id or str(uuid.uuid4()), key=uuid.uuid4().hex, brand_id=brand_id,
                            creator_id=user.id,
                            state=CampaignState.SCHEDULED, request_id=request_id, create_time_us=now,
                            update_time_us=now, **changes)
        campaign_checks.check_pure(campaign)

        async def schedule(repos: Repositories) -> Campaign:
            await brand_member(repos, brand_id, user)
            if request_id:
                earlier = await repos.campaigns.by_request(brand_id, user.id, request_id)
                if earlier is not None:  # AIP-155: a retry gets the first result
                    return earlier
            if await repos.campaigns.exists(brand_id, campaign.id):  # ids are per brand: others' say nothing
                raise AlreadyExists(f"Email campaign id `{campaign.id}` is taken.",
                                    reason="EMAIL_CAMPAIGN_ALREADY_EXISTS")
            checked = await campaign_checks.check_stored(repos, campaign, user, set(changes))
            checked = await self._plan(repos, checked)
            await repos.campaigns.add(checked)
            return checked

        await self._check_credential(campaign)
        return await write(self._db, schedule)

    async def update(self, principal: Principal, name: str, draft: CampaignInput, mask: list[str]) -> Campaign:
        brand_id, campaign_id = names.parse_campaign(name, "email_campaign.name")
        paths = campaign_drafts.mask_paths(mask)
        user = await self._directory.caller(principal)

        async def current(repos: Repositories) -> Campaign:
            member, campaign = await visible_campaign(repos, brand_id, campaign_id, user)
            require_changer(member, campaign)
            return campaign

        before = await read(self._db, current)
        creator = await self._creator(before, user)
        changes = campaign_drafts.parse(draft, paths, brand_id, creator, self._clock())
        merged = replace(before, **changes)
        campaign_checks.check_pure(merged)
        await self._check_credential(merged)

        async def change(repos: Repositories) -> Campaign:
            member, campaign = await visible_campaign(repos, brand_id, campaign_id, user, lock=True)
            require_changer(member, campaign)
            _still_scheduled(campaign)
            updated = replace(campaign, **changes, update_time_us=self._clock())
            updated = await campaign_checks.check_stored(repos, updated, user, set(changes))
            updated = await self._plan(repos, updated)
            if not await repos.campaigns.update_scheduled(updated, recipients="recipients" in changes,
                                                          attachments=True):
                _still_scheduled(replace(campaign, state=CampaignState.SENDING))
            return updated

        return await write(self._db, change)

    async def set_notifications(self, principal: Principal, name: str, enabled: bool) -> Campaign:
        brand_id, campaign_id = names.parse_campaign(name)
        user = await self._directory.caller(principal)

        async def toggle(repos: Repositories) -> Campaign:
            member, campaign = await visible_campaign(repos, brand_id, campaign_id, user, lock=True)
            require_changer(member, campaign)
            now = self._clock()
            if not await repos.campaigns.set_notifications(campaign.key, enabled, now):
                raise campaign_not_found(brand_id, campaign_id)
            return replace(campaign, notifications_enabled=enabled, update_time_us=now)

        return await write(self._db, toggle)

    async def delete(self, principal: Principal, name: str) -> None:
        """A scheduled campaign is cancelled (it will never be sent); a sent or failed one is hidden. One
        being sent cannot be stopped: FAILED_PRECONDITION."""
        brand_id, campaign_id = names.parse_campaign(name)
        user = await self._directory.caller(principal)

        async def remove(repos: Repositories) -> None:
            member, campaign = await visible_campaign(repos, brand_id, campaign_id, user, lock=True, parts=False)
            require_changer(member, campaign)
            done = (CampaignState.SCHEDULED, CampaignState.EXECUTED, CampaignState.FAILED)
            if not await repos.campaigns.soft_delete(campaign.key, done, self._clock()):
                raise FailedPrecondition(f"Email campaign `{name}` is being sent; delete it once it has been.",
                                         reason="EMAIL_CAMPAIGN_SENDING")

        await write(self._db, remove)

    # ---- helpers

    async def _plan(self, repos: Repositories, campaign: Campaign) -> Campaign:
        """Counts the addresses the recipients reach now and checks them against the brand's quota."""
        planned = len(await expand(repos, campaign.brand_id, campaign.recipients))
        await campaign_quota.check(repos, campaign.brand_id, self._quota, self._clock(), planned,
                                   excluding=campaign.key)
        return replace(campaign, planned_recipients=planned)

    async def _check_credential(self, campaign: Campaign) -> None:
        """A credential sent through must be the creator's, connected, and allowed to send mail."""
        for credential_id, provider in ((campaign.google_credential_id, Provider.GOOGLE),
                                        (campaign.microsoft_credential_id, Provider.MICROSOFT)):
            if credential_id:
                await self._credentials.check_mail_credential(campaign.creator_id, credential_id, provider,
                                                              (SEND_CAPABILITY,))

    async def _creator(self, campaign: Campaign, caller: User) -> User:
        if campaign.creator_id == caller.id:
            return caller
        creator = await read(self._db, lambda repos: repos.users.get(campaign.creator_id))
        return creator or caller


def _still_scheduled(campaign: Campaign) -> None:
    if campaign.state is not CampaignState.SCHEDULED:
        reason = {CampaignState.SENDING: "EMAIL_CAMPAIGN_SENDING", CampaignState.EXECUTED: "CAMPAIGN_ALREADY_EXECUTED",
                  CampaignState.FAILED: "EMAIL_CAMPAIGN_FAILED"}[campaign.state]
        raise FailedPrecondition(
            f"Email campaign `{names.campaign_name(campaign.brand_id, campaign.id)}` can no longer be changed: "
            f"it is {campaign.state.name.lower()}.", reason=reason)
