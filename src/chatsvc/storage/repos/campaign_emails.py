"""A campaign's emails (one row per address) with the message that carried each, and delivery events."""
from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.campaign_models import (
    ADDRESSES_SHOWN,
    CampaignEmail,
    Counters,
    DeliveryEvent,
    EmailState,
    MessageState,
    SendType,
    SentEmail,
)
from chatsvc.storage.tables_campaigns import (
    COUNTERS,
    campaign_emails,
    delivery_events_seen,
    email_campaigns,
    sent_emails,
)

_E, _S = campaign_emails.c, sent_emails.c
ORDERABLE = ("clicked", "opened", "unsubscribed", "failed", "full_name")
_ADDRESS_LISTS = ("to_addresses", "cc_addresses", "bcc_addresses")


def _message_column(column):
    """The message's columns, prefixed so they do not clash with the email's in one joined row; the address
    lists only for small messages (a 30,000-address list must not ride along with every one of its emails)."""
    label = f"m_{column.name}"
    if column.name in _ADDRESS_LISTS:
        return case((_S.address_count <= ADDRESSES_SHOWN, column), else_=literal("[]")).label(label)
    return column.label(label)


_MESSAGE_COLUMNS = [_message_column(column) for column in sent_emails.c]


def sent_email_from_row(row, prefix: str = "") -> SentEmail:
    get = (lambda name: getattr(row, prefix + name))  # noqa: E731
    return SentEmail(
        id=get("id"), campaign_id=get("campaign_id"), position=get("position"), state=MessageState(get("state")),
        message_id=get("message_id"), attempts=get("attempts"), next_attempt_us=get("next_attempt_us"),
        from_address=get("from_address"), to=tuple(json.loads(get("to_addresses"))),
        cc=tuple(json.loads(get("cc_addresses"))), bcc=tuple(json.loads(get("bcc_addresses"))),
        subject=get("subject"), provider_message_id=get("provider_message_id"), send_time_us=get("send_time_us"),
        error=get("error"), address_count=get("address_count"))


def campaign_email_from_row(row, message: SentEmail | None = None) -> CampaignEmail:
    return CampaignEmail(
        id=row.id, campaign_id=row.campaign_id, position=row.position, sent_email_id=row.sent_email_id,
        email_address=row.email_address, send_type=SendType(row.send_type), state=EmailState(row.state),
        full_name=row.full_name, contact_id=row.contact_id, agent_brand_id=row.agent_brand_id,
        agent_user_id=row.agent_user_id, error=row.error,
        counters=Counters(**{name: getattr(row, name) for name in COUNTERS}), message=message)


def _joined():
    return select(campaign_emails, *_MESSAGE_COLUMNS).select_from(
        campaign_emails.outerjoin(sent_emails, _S.id == _E.sent_email_id))


def _email(row) -> CampaignEmail:
    return campaign_email_from_row(row, sent_email_from_row(row, "m_") if row.m_id is not None else None)


class CampaignEmailRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, email_id: str) -> CampaignEmail | None:
        row = (await self._conn.execute(_joined().where(_E.id == email_id))).first()
        return _email(row) if row else None

    async def for_campaigns(self, campaign_ids: list[str], first: int) -> dict[str, list[CampaignEmail]]:
        """The first `first` emails of each campaign, in sending order: one query for a whole page of
        campaigns. Positions run 0, 1, 2, ... per campaign, so the cut is an index range."""
        found: dict[str, list[CampaignEmail]] = defaultdict(list)
        if campaign_ids:
            query = (_joined().where(_E.campaign_id.in_(campaign_ids), _E.position < first)
                     .order_by(_E.campaign_id, _E.position))
            for row in await self._conn.execute(query):
                found[row.campaign_id].append(_email(row))
        return found

    async def page(self, campaign_id: str, order_by: str, descending: bool, offset: int,
                   limit: int) -> list[CampaignEmail]:
        """`order_by` is one of ORDERABLE or "" (sending order); ties go by position."""
        query = _joined().where(_E.campaign_id == campaign_id)
        if order_by:
            column = _E[order_by]
            query = query.order_by(column.desc() if descending else column.asc())
        query = query.order_by(_E.position).offset(offset).limit(limit)
        return [_email(row) for row in await self._conn.execute(query)]

    async def count(self, campaign_id: str) -> int:
        return (await self._conn.execute(select(func.count()).select_from(campaign_emails).where(
            _E.campaign_id == campaign_id))).scalar_one()

    async def record_event(self, email: CampaignEmail, event: DeliveryEvent, event_id: str, time_us: int) -> bool:
        """Counts the event on the email and its campaign, once per event id: False (and nothing changed)
        when the id was seen before. Increments happen in the database, so concurrent events all count."""
        values = dict(campaign_email_id=email.id, event_id=event_id, event_type=event.value, event_time_us=time_us)
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        inserted = await self._conn.execute(dialect.insert(delivery_events_seen).values(**values)
                                            .on_conflict_do_nothing())
        if inserted.rowcount != 1:
            return False
        counter = event.counter
        await self._conn.execute(update(campaign_emails).where(_E.id == email.id)
                                 .values({counter: _E[counter] + 1}))
        await self._conn.execute(update(email_campaigns).where(email_campaigns.c.id == email.campaign_id)
                                 .values({counter: email_campaigns.c[counter] + 1}))
        return True



