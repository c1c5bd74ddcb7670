"""RecordDeliveryEvent: counters on the email and its campaign, each event id once, under concurrency."""
from __future__ import annotations

import asyncio

import grpc
import pytest
from google.protobuf import timestamp_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import app_md, campaign_server, create, make_brand, mark_executed, md, stub
from tests.helpers import failure, field_of

IA, NF = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND
OPENED, CLICKED = campaign_pb2.DELIVERY_EVENT_TYPE_OPENED, campaign_pb2.DELIVERY_EVENT_TYPE_CLICKED


@pytest.fixture
async def sent(database_url):
    async with campaign_server(database_url) as harness:
        made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
        campaign = await create(harness, made.name, "agent@example.com")
        ids = await mark_executed(harness, campaign.name, [("a@example.com", "Ann", 1), ("b@example.com", "", 1)])
        yield harness, campaign, [f"{campaign.name}/emails/{i}" for i in ids]


def record(harness, name, event_type=OPENED, event_id="ev-1", **kwargs):
    return stub(harness).RecordDeliveryEvent(campaign_service_pb2.RecordDeliveryEventRequest(
        name=name, event_type=event_type, event_id=event_id, **kwargs), metadata=app_md(harness))


async def _campaign(harness, campaign):
    return await stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(
        name=campaign.name), metadata=md(harness, "agent@example.com"))


async def test_events_count_once_on_the_email_and_the_campaign(sent):
    harness, campaign, emails = sent
    opened = await record(harness, emails[0], event_time=timestamp_pb2.Timestamp(seconds=1_700_000_000))
    assert opened.name == emails[0] and opened.counters.opened == 1 and opened.email_address == "a@example.com"
    assert opened.email.to == ["a@example.com", "b@example.com"]
    again = await record(harness, emails[0])  # the provider's retry
    assert again.counters.opened == 1
    every = [campaign_pb2.DeliveryEventType.Value(n) for n in campaign_pb2.DeliveryEventType.keys()][1:]
    for n, event_type in enumerate(every):
        await record(harness, emails[1], event_type=event_type, event_id=f"e{n}")
    second = await record(harness, emails[1], event_type=CLICKED, event_id="e-extra")
    assert second.counters == campaign_pb2.DeliveryCounters(accepted=1, delivered=1, opened=1, clicked=2, failed=1,
                                                            rejected=1, complained=1, unsubscribed=1, stored=1)
    totals = (await _campaign(harness, campaign)).counters
    assert totals.opened == 2 and totals.clicked == 2 and totals.stored == 1


async def test_concurrent_events_all_count_and_a_repeated_id_counts_once(sent):
    harness, campaign, emails = sent
    await asyncio.gather(*[record(harness, emails[0], CLICKED, f"c{i}") for i in range(20)])
    results = await asyncio.gather(*[record(harness, emails[1], OPENED, "same") for _ in range(5)])
    assert all(r.counters.opened == 1 for r in results)
    totals = (await _campaign(harness, campaign)).counters
    assert totals.clicked == 20 and totals.opened == 1
    listed = await stub(harness).ListCampaignEmails(campaign_service_pb2.ListCampaignEmailsRequest(
        parent=campaign.name), metadata=md(harness, "agent@example.com"))
    assert [e.counters.clicked for e in listed.emails] == [20, 0] and listed.emails[1].counters.opened == 1


async def test_event_refusals(sent):
    harness, campaign, emails = sent
    assert field_of(await failure(record(harness, emails[0], event_type=0), IA)) == ["event_type"]
    assert field_of(await failure(record(harness, emails[0], event_type=42), IA)) == ["event_type"]
    assert field_of(await failure(record(harness, emails[0], event_id=""), IA)) == ["event_id"]
    assert field_of(await failure(record(harness, emails[0], event_id="x" * 129), IA)) == ["event_id"]
    assert field_of(await failure(record(harness, campaign.name), IA)) == ["name"]
    missing = await failure(record(harness, f"{campaign.name}/emails/nope"), NF)
    assert missing["ErrorInfo"].reason == "CAMPAIGN_EMAIL_NOT_FOUND"
    other_campaign = emails[0].replace(campaign.name.split("/")[3], "other-campaign")
    await failure(record(harness, other_campaign), NF)
    other_brand = "brands/elsewhere/" + "/".join(emails[0].split("/")[2:])
    await failure(record(harness, other_brand), NF)
    user_call = stub(harness).RecordDeliveryEvent(campaign_service_pb2.RecordDeliveryEventRequest(
        name=emails[0], event_type=OPENED, event_id="u"), metadata=harness.md(user="agent@example.com",
                                                                              scopes=("chatsvc.campaigns",)))
    await failure(user_call, grpc.StatusCode.PERMISSION_DENIED)
    wrong_scope = stub(harness).RecordDeliveryEvent(campaign_service_pb2.RecordDeliveryEventRequest(
        name=emails[0], event_type=OPENED, event_id="u"), metadata=harness.md(app="mailhook",
                                                                              scopes=("chatsvc.campaigns",)))
    await failure(wrong_scope, grpc.StatusCode.PERMISSION_DENIED)
    assert (await _campaign(harness, campaign)).counters == campaign_pb2.DeliveryCounters()
