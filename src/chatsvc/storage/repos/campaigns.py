"""Email campaigns with their recipient entries and attachments, and the sums the brand's quota reads."""
from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.campaign_models import (
    Attachment,
    Campaign,
    CampaignState,
    Counters,
    Headers,
    Recipient,
    RecipientType,
    SendType,
)
from chatsvc.storage.tables_campaigns import COUNTERS, campaign_attachments, campaign_recipients, email_campaigns
from chatsvc.storage.tables_directory import brands

_C = email_campaigns.c
# What a change of a scheduled campaign may rewrite (never state, counters, ids or times of sending).
_SETTABLE = ("sender_id", "due_time_us", "subject", "html", "text", "headers", "tags", "include_signature",
             "individual", "notifications_enabled", "google_credential_id", "microsoft_credential_id",
             "planned_recipients", "update_time_us")


def campaign_from_row(row, recipients=(), attachments=()) -> Campaign:
    headers = json.loads(row.headers or "{}")
    return Campaign(
        id=row.public_id, key=row.id, brand_id=row.brand_id, creator_id=row.creator_id, sender_id=row.sender_id,
        state=CampaignState(row.state), due_time_us=row.due_time_us, subject=row.subject, html=row.html,
        text=row.text, headers=Headers(**{k: headers.get(k, "") for k in ("in_reply_to", "thread_id", "message_id")}),
        tags=tuple(json.loads(row.tags or "[]")), include_signature=row.include_signature,
        individual=row.individual, notifications_enabled=row.notifications_enabled,
        google_credential_id=row.google_credential_id or "", microsoft_credential_id=row.microsoft_credential_id or "",
        counters=Counters(**{name: getattr(row, name) for name in COUNTERS}), sent=row.sent,
        recipients_count=row.recipients_count, planned_recipients=row.planned_recipients,
        execute_time_us=row.execute_time_us, fail_time_us=row.fail_time_us, failure=row.failure,
        failed_within=row.failed_within, request_id=row.request_id or "", create_time_us=row.create_time_us,
        update_time_us=row.update_time_us, delete_time_us=row.delete_time_us,
        recipients=tuple(recipients), attachments=tuple(attachments))


def _values(c: Campaign) -> dict:
    headers = {k: v for k, v in (("in_reply_to", c.headers.in_reply_to), ("thread_id", c.headers.thread_id),
                                 ("message_id", c.headers.message_id)) if v}
    return dict(
        sender_id=c.sender_id, due_time_us=c.due_time_us, subject=c.subject, html=c.html, text=c.text,
        headers=json.dumps(headers), tags=json.dumps(list(c.tags)), include_signature=c.include_signature,
        individual=c.individual, notifications_enabled=c.notifications_enabled,
        google_credential_id=c.google_credential_id or None, microsoft_credential_id=c.microsoft_credential_id or None,
        planned_recipients=c.planned_recipients, update_time_us=c.update_time_us)


def _recipient(row) -> Recipient:
    return Recipient(id=row.id, recipient_type=RecipientType(row.recipient_type), send_type=SendType(row.send_type),
                     email=row.email, contact_id=row.contact_id, tag=row.tag, list_id=row.list_id,
                     brand_ref_id=row.brand_ref_id, agent_brand_id=row.agent_brand_id,
                     agent_user_id=row.agent_user_id)


def _attachment(row) -> Attachment:
    return Attachment(id=row.id, file_id=row.file_id or "", url=row.url or "", filename=row.filename,
                      is_inline=row.is_inline, content_id=row.content_id)


class CampaignRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    # ---- reads

    async def get(self, key: str, *, lock: bool = False, parts: bool = True) -> Campaign | None:
        """The campaign with storage key `key`, with (unless not `parts`) its recipients and attachments.
        `lock`: held until the transaction ends (PostgreSQL row lock; SQLite write transactions hold the
        database already)."""
        return await self._one(_C.id == key, lock, parts)

    async def find(self, brand_id: str, campaign_id: str, *, lock: bool = False,
                   parts: bool = True) -> Campaign | None:
        """The brand's campaign named `campaign_id` (ids are unique within a brand only); as `get`."""
        return await self._one(and_(_C.brand_id == brand_id, _C.public_id == campaign_id), lock, parts)

    async def _one(self, where, lock: bool, parts: bool) -> Campaign | None:
        query = select(email_campaigns).where(where)
        # FOR NO KEY UPDATE: excludes other changers and the scheduler's claim, not inserts referencing the row
        row = (await self._conn.execute(query.with_for_update(key_share=True) if lock else query)).first()
        if row is None:
            return None
        return (await self._with_parts([row]))[0] if parts else campaign_from_row(row)

    async def by_request(self, brand_id: str, creator_id: str, request_id: str) -> Campaign | None:
        row = (await self._conn.execute(select(email_campaigns).where(
            _C.brand_id == brand_id, _C.creator_id == creator_id, _C.request_id == request_id))).first()
        return (await self._with_parts([row]))[0] if row else None

    async def key_of(self, brand_id: str, campaign_id: str) -> str | None:
        """The storage key of the brand's campaign named `campaign_id`, deleted or not."""
        return (await self._conn.execute(select(_C.id).where(
            _C.brand_id == brand_id, _C.public_id == campaign_id))).scalar_one_or_none()

    async def exists(self, brand_id: str, campaign_id: str) -> bool:
        return await self.key_of(brand_id, campaign_id) is not None

    async def page(self, brand_id: str, after: tuple[int, str] | None, limit: int) -> list[Campaign]:
        """The brand's campaigns not deleted, newest first, keyset on (create_time_us, id) descending (the
        id in the name: unique within the brand)."""
        query = select(email_campaigns).where(_C.brand_id == brand_id, _C.delete_time_us == 0)
        if after is not None:
            query = query.where(or_(_C.create_time_us < after[0],
                                    and_(_C.create_time_us == after[0], _C.public_id < after[1])))
        rows = list(await self._conn.execute(
            query.order_by(_C.create_time_us.desc(), _C.public_id.desc()).limit(limit)))
        return await self._with_parts(rows)

    async def count(self, brand_id: str) -> int:
        return (await self._conn.execute(select(func.count()).select_from(email_campaigns).where(
            _C.brand_id == brand_id, _C.delete_time_us == 0))).scalar_one()

    async def _with_parts(self, rows) -> list[Campaign]:
        """Campaigns with their recipients and attachments: two queries for any number of campaigns."""
        ids = [row.id for row in rows]
        recipients, attachments = defaultdict(list), defaultdict(list)
        if ids:
            for row in await self._conn.execute(select(campaign_recipients).where(
                    campaign_recipients.c.campaign_id.in_(ids)).order_by(campaign_recipients.c.position)):
                recipients[row.campaign_id].append(_recipient(row))
            for row in await self._conn.execute(select(campaign_attachments).where(
                    campaign_attachments.c.campaign_id.in_(ids)).order_by(campaign_attachments.c.position)):
                attachments[row.campaign_id].append(_attachment(row))
        return [campaign_from_row(row, recipients[row.id], attachments[row.id]) for row in rows]

    # ---- quota

    async def lock_brand(self, brand_id: str) -> None:
        """Serialises quota checks of one brand: a row lock on PostgreSQL, FOR NO KEY UPDATE so rows that
        merely reference the brand can still be written (SQLite's dialect renders no FOR UPDATE; its write
        transactions are serialised by BEGIN IMMEDIATE already)."""
        await self._conn.execute(select(brands.c.id).where(brands.c.id == brand_id).with_for_update(key_share=True))

    async def executed_between(self, brand_id: str, start_us: int, end_us: int) -> int:
        """Addresses sent to by the brand's campaigns executed in [start, end), deleted (hidden) ones too."""
        total = (await self._conn.execute(select(func.coalesce(func.sum(_C.recipients_count), 0)).where(
            _C.brand_id == brand_id, _C.state == CampaignState.EXECUTED.value,
            _C.execute_time_us >= start_us, _C.execute_time_us < end_us))).scalar_one()
        return int(total)

    async def planned(self, brand_id: str, excluding: str = "") -> int:
        """Addresses the brand's campaigns still to be sent (scheduled or being sent, not cancelled) plan,
        but the one with storage key `excluding`."""
        total = (await self._conn.execute(select(func.coalesce(func.sum(_C.planned_recipients), 0)).where(
            _C.brand_id == brand_id, _C.delete_time_us == 0, _C.id != excluding,
            _C.state.in_((CampaignState.SCHEDULED.value, CampaignState.SENDING.value))))).scalar_one()
        return int(total)

    # ---- writes

    async def add(self, c: Campaign) -> None:
        await self._conn.execute(insert(email_campaigns).values(
            id=c.key, public_id=c.id, brand_id=c.brand_id, creator_id=c.creator_id, state=c.state.value,
            request_id=c.request_id or None, create_time_us=c.create_time_us, delete_time_us=0,
            **{name: 0 for name in COUNTERS}, sent=0, recipients_count=0, execute_time_us=0, fail_time_us=0,
            failure="", failed_within="", lease_owner="", lease_until_us=0, **_values(c)))
        await self._put_parts(c)

    async def update_scheduled(self, c: Campaign, *, recipients: bool, attachments: bool) -> bool:
        """Rewrites a campaign's settable fields (and, when asked, its recipients or attachments) if it is
        still scheduled and not deleted; False otherwise (the scheduler claimed it meanwhile)."""
        result = await self._conn.execute(update(email_campaigns).where(
            _C.id == c.key, _C.state == CampaignState.SCHEDULED.value, _C.delete_time_us == 0).values(**_values(c)))
        if result.rowcount != 1:
            return False
        if recipients:
            await self._conn.execute(delete(campaign_recipients).where(campaign_recipients.c.campaign_id == c.key))
        if attachments:
            await self._conn.execute(delete(campaign_attachments).where(campaign_attachments.c.campaign_id == c.key))
        await self._put_parts(c, recipients=recipients, attachments=attachments)
        return True

    async def _put_parts(self, c: Campaign, *, recipients: bool = True, attachments: bool = True) -> None:
        if recipients and c.recipients:
            await self._conn.execute(insert(campaign_recipients), [dict(
                id=r.id, campaign_id=c.key, position=i, recipient_type=r.recipient_type.value,
                send_type=r.send_type.value, email=r.email, contact_id=r.contact_id, tag=r.tag, list_id=r.list_id,
                brand_ref_id=r.brand_ref_id, agent_brand_id=r.agent_brand_id, agent_user_id=r.agent_user_id)
                for i, r in enumerate(c.recipients)])
        if attachments and c.attachments:
            await self._conn.execute(insert(campaign_attachments), [dict(
                id=a.id, campaign_id=c.key, position=i, file_id=a.file_id or None, url=a.url or None,
                filename=a.filename, is_inline=a.is_inline, content_id=a.content_id)
                for i, a in enumerate(c.attachments)])

    async def set_notifications(self, key: str, enabled: bool, now_us: int) -> bool:
        result = await self._conn.execute(update(email_campaigns).where(
            _C.id == key, _C.delete_time_us == 0).values(notifications_enabled=enabled, update_time_us=now_us))
        return result.rowcount == 1

    async def soft_delete(self, key: str, states: tuple[CampaignState, ...], now_us: int) -> bool:
        """Marks it deleted if it is in one of `states` and not deleted yet (a conditional transition, so it
        cannot interleave with the scheduler's claim)."""
        result = await self._conn.execute(update(email_campaigns).where(
            _C.id == key, _C.delete_time_us == 0, _C.state.in_([s.value for s in states]),
        ).values(delete_time_us=now_us, update_time_us=now_us))
        return result.rowcount == 1
