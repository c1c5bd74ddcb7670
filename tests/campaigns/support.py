"""Helpers for the campaign tests (and others that need campaigns): a server whose scheduler stays idle,
campaign builders, uploads, and `mark_executed`, which puts a campaign into the executed state by writing
rows through the storage layer (what the scheduler would write), for tests that must not depend on it."""
from __future__ import annotations

import json
import time
import uuid
from contextlib import asynccontextmanager

from google.protobuf import timestamp_pb2
from sqlalchemy import insert, select, update

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2, campaign_service_pb2_grpc
from chatsvc.domain.campaign_models import CampaignState, EmailState, MessageState
from chatsvc.storage.tables_campaigns import campaign_emails, email_campaigns, sent_emails
from tests.conftest import serving
from tests.directory.support import make_brand  # noqa: F401  (re-exported)

CAMPAIGNS = ("chatsvc.campaigns",)
READONLY = ("https://www.googleapis.com/auth/chatsvc.campaigns.readonly",)
EVENTS = ("chatsvc.campaigns.events",)
R = campaign_pb2.EmailRecipient
FAR_SECONDS = 4_000_000_000  # 2096: the scheduler never reaches it during a test
MB = 1024 * 1024


def stub(harness) -> campaign_service_pb2_grpc.CampaignServiceStub:
    return campaign_service_pb2_grpc.CampaignServiceStub(harness.channel)


def md(harness, email: str, scopes=CAMPAIGNS) -> tuple:
    return harness.md(user=email, scopes=scopes)


def app_md(harness) -> tuple:
    return harness.md(app="mailhook", scopes=EVENTS)


@asynccontextmanager
async def campaign_server(database_url: str, **settings):
    """A server with the scheduler switched off."""
    async with serving(database_url, scheduler_enabled=False, **settings) as harness:
        yield harness


def due(seconds: int = FAR_SECONDS) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds)


def to(email: str, send_type=campaign_pb2.SEND_TYPE_TO, **fields) -> campaign_pb2.EmailRecipient:
    return R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email=email, send_type=send_type, **fields)


def draft(**fields) -> campaign_pb2.EmailCampaign:
    """A valid campaign; `fields` override (recipients default to one address)."""
    fields.setdefault("subject", "Hello")
    fields.setdefault("html", "<p>Hi</p>")
    fields.setdefault("text", "Hi")
    fields.setdefault("due_time", due())
    fields.setdefault("recipients", [to("someone@example.com")])
    return campaign_pb2.EmailCampaign(**fields)


async def create(harness, brand_name: str, email: str, campaign_id: str = "", request_id: str = "",
                 **fields) -> campaign_pb2.EmailCampaign:
    return await stub(harness).CreateEmailCampaign(campaign_service_pb2.CreateEmailCampaignRequest(
        parent=brand_name, email_campaign=draft(**fields), email_campaign_id=campaign_id, request_id=request_id),
        metadata=md(harness, email))


async def upload(harness, email: str, data: bytes, origin=campaign_pb2.ORIGIN_GMAIL, filename="report.pdf",
                 mime_type="application/pdf", chunk: int = 1 << 20):
    async def requests():
        yield campaign_service_pb2.UploadAttachmentRequest(metadata=campaign_service_pb2.UploadAttachmentMetadata(
            parent="users/me", origin=origin, filename=filename, mime_type=mime_type))
        for start in range(0, len(data), chunk):
            yield campaign_service_pb2.UploadAttachmentRequest(chunk=data[start:start + chunk])
    return await stub(harness).UploadAttachment(requests(), metadata=md(harness, email))


async def mark_executed(harness, campaign_name: str, addresses: list[tuple[str, str, int]],
                        executed_us: int | None = None) -> list[str]:
    """Writes what the scheduler writes after sending `campaign_name`: one message to all of `addresses`
    ((address, full name, send type)), one campaign email per address, the campaign EXECUTED. Returns the
    campaign emails' ids in order."""
    _, brand_id, _, public_id = campaign_name.split("/")
    now = executed_us or time.time_ns() // 1000
    message_id = str(uuid.uuid4())
    ids = [str(uuid.uuid4()) for _ in addresses]
    async with harness.running.db.engine.begin() as conn:
        campaign_id = (await conn.execute(select(email_campaigns.c.id).where(  # the storage key
            email_campaigns.c.brand_id == brand_id, email_campaigns.c.public_id == public_id))).scalar_one()
        await conn.execute(insert(sent_emails).values(
            id=message_id, campaign_id=campaign_id, position=0, state=MessageState.SENT.value,
            message_id=f"<{message_id}@test>", attempts=1, next_attempt_us=0, from_address="sender@example.com",
            to_addresses=json.dumps([a for a, _, kind in addresses if kind == 1]),
            cc_addresses=json.dumps([a for a, _, kind in addresses if kind == 2]),
            bcc_addresses=json.dumps([a for a, _, kind in addresses if kind == 3]), address_count=len(addresses),
            subject="Hello",
            provider_message_id="prov-1", send_time_us=now, error=""))
        if addresses:
            await conn.execute(insert(campaign_emails), [dict(
                id=email_id, campaign_id=campaign_id, position=i, sent_email_id=message_id, email_address=address,
                send_type=kind, full_name=name, contact_id="", agent_brand_id="", agent_user_id="",
                state=EmailState.SENT.value, error="", accepted=0, delivered=0, opened=0, clicked=0, failed=0,
                rejected=0, complained=0, unsubscribed=0, stored=0)
                for i, (email_id, (address, name, kind)) in enumerate(zip(ids, addresses, strict=True))])
        await conn.execute(update(email_campaigns).where(email_campaigns.c.id == campaign_id).values(
            state=CampaignState.EXECUTED.value, execute_time_us=now, recipients_count=len(addresses),
            sent=1 if addresses else 0))
    return ids


async def set_counters(harness, email_id: str, **counters) -> None:
    """Sets a campaign email's counters directly (for ordering tests)."""
    async with harness.running.db.engine.begin() as conn:
        await conn.execute(update(campaign_emails).where(campaign_emails.c.id == email_id).values(**counters))
