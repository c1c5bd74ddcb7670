"""The scheduler's side of campaigns: claiming due ones, and recording sending progress under a lease.

A claim makes a campaign SENDING with `lease_owner` (one process) and `lease_until_us`. Every progress write
first renews the lease with `UPDATE ... WHERE lease_owner = me`; when that touches no row the lease was lost
(another process took the campaign over) and the write is not made: the caller must stop.
"""
from __future__ import annotations

import json

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.campaign_models import CampaignEmail, CampaignState, EmailState, MessageState, SendType, SentEmail
from chatsvc.storage.repos.campaign_emails import sent_email_from_row
from chatsvc.storage.tables_campaigns import COUNTERS, campaign_emails, email_campaigns, sent_emails

_c = email_campaigns.c


def _due(now_us: int):
    """Scheduled and due, or being sent by a process whose lease ran out (it died, or let go on stopping)."""
    return and_(_c.delete_time_us == 0, or_(
        and_(_c.state == int(CampaignState.SCHEDULED), _c.due_time_us <= now_us),
        and_(_c.state == int(CampaignState.SENDING), _c.lease_until_us < now_us)))


class CampaignDeliveryRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def claim_due(self, now_us: int, owner: str, lease_until_us: int, limit: int) -> list[str]:
        """Up to `limit` due campaigns, now SENDING under `owner`'s lease; oldest due first."""
        candidates = select(_c.id).where(_due(now_us)).order_by(_c.due_time_us, _c.id).limit(limit)
        if self._conn.dialect.name == "postgresql":
            # Rows another process is claiming right now are skipped, not waited for (nor claimed twice).
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = []
        for campaign_id in (await self._conn.execute(candidates)).scalars().all():
            # Conditional: on SQLite this transition is the claim itself (the write lock serialises them).
            result = await self._conn.execute(update(email_campaigns).where(_c.id == campaign_id, _due(now_us))
                                              .values(state=int(CampaignState.SENDING), lease_owner=owner,
                                                      lease_until_us=lease_until_us))
            if result.rowcount == 1:
                claimed.append(campaign_id)
        return claimed

    async def renew(self, campaign_id: str, owner: str, lease_until_us: int) -> bool:
        """Extends the lease; False when it is no longer ours (or the campaign is no longer SENDING)."""
        result = await self._conn.execute(update(email_campaigns).where(
            _c.id == campaign_id, _c.lease_owner == owner, _c.state == int(CampaignState.SENDING),
        ).values(lease_until_us=lease_until_us))
        return result.rowcount == 1

    async def release(self, campaign_id: str, owner: str) -> None:
        """Lets go of a campaign still being sent (this process is stopping): any process may resume it now."""
        await self._conn.execute(update(email_campaigns).where(
            _c.id == campaign_id, _c.lease_owner == owner, _c.state == int(CampaignState.SENDING),
        ).values(lease_until_us=0))

    async def messages(self, campaign_id: str) -> list[SentEmail]:
        s = sent_emails.c
        return [sent_email_from_row(row) for row in await self._conn.execute(
            select(sent_emails).where(s.campaign_id == campaign_id).order_by(s.position))]

    async def recipients_of(self, campaign_id: str) -> dict[str, list[CampaignEmail]]:
        """The campaign's addresses grouped by the message that carries them, in position order."""
        e = campaign_emails.c
        grouped: dict[str, list[CampaignEmail]] = {}
        for row in await self._conn.execute(select(
                e.id, e.position, e.sent_email_id, e.email_address, e.send_type, e.state, e.full_name,
                e.contact_id, e.agent_brand_id, e.agent_user_id).where(e.campaign_id == campaign_id)
                .order_by(e.position)):
            grouped.setdefault(row.sent_email_id, []).append(CampaignEmail(
                id=row.id, campaign_id=campaign_id, position=row.position, sent_email_id=row.sent_email_id,
                email_address=row.email_address, send_type=SendType(row.send_type), state=EmailState(row.state),
                full_name=row.full_name, contact_id=row.contact_id, agent_brand_id=row.agent_brand_id,
                agent_user_id=row.agent_user_id))
        return grouped

    async def add_plan(self, campaign_id: str, owner: str, lease_until_us: int, messages: list[SentEmail],
                       emails: list[CampaignEmail]) -> bool:
        """The messages to send and the addresses they carry, all at once, with recipients_count."""
        if not await self._renew_with(campaign_id, owner, lease_until_us, recipients_count=len(emails)):
            return False
        await self._conn.execute(insert(sent_emails), [dict(
            id=m.id, campaign_id=campaign_id, position=m.position, state=int(m.state), message_id=m.message_id,
            attempts=0, next_attempt_us=0, from_address=m.from_address, to_addresses=json.dumps(list(m.to)),
            cc_addresses=json.dumps(list(m.cc)), bcc_addresses=json.dumps(list(m.bcc)),
            address_count=len(m.to) + len(m.cc) + len(m.bcc), subject=m.subject,
            provider_message_id="", send_time_us=0, error="") for m in messages])
        zero = dict.fromkeys(COUNTERS, 0)
        await self._conn.execute(insert(campaign_emails), [dict(
            id=e.id, campaign_id=campaign_id, position=e.position, sent_email_id=e.sent_email_id,
            email_address=e.email_address, send_type=int(e.send_type), full_name=e.full_name,
            contact_id=e.contact_id, agent_brand_id=e.agent_brand_id, agent_user_id=e.agent_user_id,
            state=int(EmailState.PENDING), error="", **zero) for e in emails])
        return True

    async def mark_sending(self, campaign_id: str, owner: str, lease_until_us: int, message_id: str,
                           attempts: int) -> bool:
        if not await self._renew_with(campaign_id, owner, lease_until_us):
            return False
        await self._set_message(message_id, state=int(MessageState.SENDING), attempts=attempts)
        return True

    async def mark_sent(self, campaign_id: str, owner: str, lease_until_us: int, message_id: str,
                        provider_message_id: str, send_time_us: int, addresses: int) -> bool:
        if not await self._renew_with(campaign_id, owner, lease_until_us, sent=_c.sent + addresses):
            return False
        await self._set_message(message_id, state=int(MessageState.SENT), provider_message_id=provider_message_id,
                                send_time_us=send_time_us, error="")
        await self._set_emails(message_id, EmailState.SENT, "")
        return True

    async def mark_retry(self, campaign_id: str, owner: str, lease_until_us: int, message_id: str,
                         next_attempt_us: int, error: str, attempts: int) -> bool:
        if not await self._renew_with(campaign_id, owner, lease_until_us):
            return False
        await self._set_message(message_id, state=int(MessageState.PENDING), next_attempt_us=next_attempt_us,
                                error=error, attempts=attempts)
        return True

    async def mark_failed(self, campaign_id: str, owner: str, lease_until_us: int, message_ids: list[str],
                          error: str) -> bool:
        if not await self._renew_with(campaign_id, owner, lease_until_us):
            return False
        for message_id in message_ids:
            await self._set_message(message_id, state=int(MessageState.FAILED), error=error)
            await self._set_emails(message_id, EmailState.FAILED, error)
        return True

    async def finish(self, campaign_id: str, owner: str, now_us: int, *, failure: str = "",
                     failed_within: str = "") -> bool:
        """EXECUTED, or FAILED with the reason and the stage that failed; the lease ends with it."""
        values = dict(lease_until_us=0, update_time_us=now_us)
        if failed_within:
            values.update(state=int(CampaignState.FAILED), fail_time_us=now_us, failure=failure,
                          failed_within=failed_within)
        else:
            values.update(state=int(CampaignState.EXECUTED), execute_time_us=now_us)
        result = await self._conn.execute(update(email_campaigns).where(
            _c.id == campaign_id, _c.lease_owner == owner, _c.state == int(CampaignState.SENDING)).values(**values))
        return result.rowcount == 1

    async def _renew_with(self, campaign_id: str, owner: str, lease_until_us: int, **values) -> bool:
        # The guard of every progress write; on PostgreSQL it also locks the campaign row until commit.
        result = await self._conn.execute(update(email_campaigns).where(
            _c.id == campaign_id, _c.lease_owner == owner, _c.state == int(CampaignState.SENDING),
        ).values(lease_until_us=lease_until_us, **values))
        return result.rowcount == 1

    async def _set_message(self, message_id: str, **values) -> None:
        await self._conn.execute(update(sent_emails).where(sent_emails.c.id == message_id).values(**values))

    async def _set_emails(self, message_id: str, state: EmailState, error: str) -> None:
        await self._conn.execute(update(campaign_emails).where(campaign_emails.c.sent_email_id == message_id)
                                 .values(state=int(state), error=error))
