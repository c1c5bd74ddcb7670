"""Helpers for the scheduler tests: a server whose scheduler sends to a FakeSmtp, campaigns scheduled over
gRPC, and bounded waits for a campaign's state."""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager

from google.protobuf import timestamp_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2, campaign_service_pb2_grpc
from tests.campaigns.fake_smtp import FakeSmtp
from tests.conftest import serving

CAMPAIGNS = ("chatsvc.campaigns",)
R = campaign_pb2.EmailRecipient
TO, CC, BCC = campaign_pb2.SEND_TYPE_TO, campaign_pb2.SEND_TYPE_CC, campaign_pb2.SEND_TYPE_BCC
State = campaign_pb2.EmailCampaign.State
FAST = dict(scheduler_poll_seconds=0.05, send_backoff_seconds=0.05, scheduler_lease_seconds=5.0,
            smtp_timeout_seconds=2.0)


@asynccontextmanager
async def sending_server(database_url: str, smtp: FakeSmtp, **settings):
    async with serving(database_url, **{**FAST, "smtp_port": smtp.port, **settings}) as harness:
        yield harness


def stub(harness) -> campaign_service_pb2_grpc.CampaignServiceStub:
    return campaign_service_pb2_grpc.CampaignServiceStub(harness.channel)


def md(harness, email: str) -> tuple:
    return harness.md(user=email, scopes=CAMPAIGNS)


def due_now(ahead_seconds: float = -1.0) -> timestamp_pb2.Timestamp:
    """A due time a second ago (due at once), or `ahead_seconds` from now."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromMicroseconds(time.time_ns() // 1000 + int(ahead_seconds * 1_000_000))
    return stamp


async def schedule(harness, brand_name: str, caller: str, **fields) -> campaign_pb2.EmailCampaign:
    fields.setdefault("due_time", due_now())
    fields.setdefault("subject", "Hello")
    return await stub(harness).CreateEmailCampaign(campaign_service_pb2.CreateEmailCampaignRequest(
        parent=brand_name, email_campaign=campaign_pb2.EmailCampaign(**fields)), metadata=md(harness, caller))


async def wait_state(harness, name: str, caller: str, states=(State.STATE_EXECUTED, State.STATE_FAILED),
                     timeout: float = 20.0) -> campaign_pb2.EmailCampaign:
    """Polls the campaign until it reaches one of `states` (bounded by `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        campaign = await stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(name=name),
                                                        metadata=md(harness, caller))
        if campaign.state in states:
            return campaign
        if time.monotonic() > deadline:
            raise AssertionError(f"campaign {name} still {State.Name(campaign.state)} after {timeout}s: {campaign}")
        await asyncio.sleep(0.05)


async def campaign_emails(harness, name: str, caller: str) -> list[campaign_pb2.CampaignEmail]:
    found, token = [], ""
    while True:
        page = await stub(harness).ListCampaignEmails(campaign_service_pb2.ListCampaignEmailsRequest(
            parent=name, page_size=1000, page_token=token), metadata=md(harness, caller))
        found += page.emails
        token = page.next_page_token
        if not token:
            return found
