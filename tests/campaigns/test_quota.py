"""GetEmailQuota and the quota check at scheduling: executed this month, scheduled, and refusals past it."""
from __future__ import annotations

import asyncio
import time

import grpc
from google.protobuf import field_mask_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import R, campaign_server, create, make_brand, mark_executed, md, stub, to
from tests.helpers import failure

RE = grpc.StatusCode.RESOURCE_EXHAUSTED


def quota(harness, email, brand):
    return stub(harness).GetEmailQuota(campaign_service_pb2.GetEmailQuotaRequest(name=f"{brand}/emailQuota"),
                                       metadata=md(harness, email))


async def test_quota_counts_executed_this_month_and_scheduled_addresses(database_url):
    async with campaign_server(database_url) as harness:
        made = await make_brand(harness, "admin@example.com", members=["agent@example.com"],
                                contacts=[{"emails": ["a@example.com"], "tags": ["vip"]},
                                          {"emails": ["B@example.com"], "tags": ["vip"]},
                                          {"emails": ["c@example.com"]}])
        empty = await quota(harness, "agent@example.com", made.name)
        assert (empty.name, empty.executed, empty.scheduled, empty.quota) == (f"{made.name}/emailQuota", 0, 0, 30000)
        # duplicates across entries count once; a tag reaches two contacts
        await create(harness, made.name, "agent@example.com", recipients=[
            to("b@example.com"), R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="vip"), to("x@example.com")])
        await create(harness, made.name, "agent@example.com",
                     recipients=[R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS)])
        sent = await create(harness, made.name, "agent@example.com", recipients=[to("z@example.com")])
        old = await create(harness, made.name, "agent@example.com", recipients=[to("y@example.com")])
        await mark_executed(harness, sent.name, [(f"p{i}@example.com", "", 1) for i in range(4)])
        await mark_executed(harness, old.name, [("q@example.com", "", 1)],
                            executed_us=(time.time_ns() // 1000) - 40 * 86400 * 1_000_000)  # before this month
        now = await quota(harness, "agent@example.com", made.name)
        assert (now.executed, now.scheduled) == (4, 3 + 3)
        await failure(quota(harness, "stranger@example.com", made.name), grpc.StatusCode.NOT_FOUND)
        await failure(quota(harness, "agent@example.com", made.name + "/quota"), grpc.StatusCode.INVALID_ARGUMENT)


async def test_scheduling_past_the_quota_is_refused_with_a_quota_failure(database_url):
    async with campaign_server(database_url, campaign_quota=5) as harness:
        made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
        three = await create(harness, made.name, "agent@example.com",
                             recipients=[to(f"a{i}@example.com") for i in range(3)])
        details = await failure(create(harness, made.name, "agent@example.com",
                                       recipients=[to(f"b{i}@example.com") for i in range(3)]), RE)
        assert details["ErrorInfo"].reason == "EMAIL_QUOTA_EXCEEDED"
        violation = details["QuotaFailure"].violations[0]
        assert violation.subject == f"{made.name}/emailQuota" and "3" in violation.description
        await create(harness, made.name, "agent@example.com", recipients=[to("b0@example.com"), to("b1@example.com")])
        assert (await quota(harness, "agent@example.com", made.name)).scheduled == 5
        # an update is counted without its own earlier plan: growing past the allowance is refused
        grow = stub(harness).UpdateEmailCampaign(campaign_service_pb2.UpdateEmailCampaignRequest(
            email_campaign=campaign_pb2.EmailCampaign(name=three.name, recipients=[to(f"c{i}@example.com")
                                                                                   for i in range(4)]),
            update_mask=field_mask_pb2.FieldMask(paths=["recipients"])), metadata=md(harness, "agent@example.com"))
        assert "QuotaFailure" in await failure(grow, RE)
        shrink = await stub(harness).UpdateEmailCampaign(campaign_service_pb2.UpdateEmailCampaignRequest(
            email_campaign=campaign_pb2.EmailCampaign(name=three.name, recipients=[to("c0@example.com")]),
            update_mask=field_mask_pb2.FieldMask(paths=["recipients"])), metadata=md(harness, "agent@example.com"))
        assert len(shrink.recipients) == 1
        assert (await quota(harness, "agent@example.com", made.name)).scheduled == 3
        # cancelling gives the plan back
        await stub(harness).DeleteEmailCampaign(campaign_service_pb2.DeleteEmailCampaignRequest(name=three.name),
                                                metadata=md(harness, "agent@example.com"))
        assert (await quota(harness, "agent@example.com", made.name)).scheduled == 2


async def test_concurrent_schedules_cannot_both_squeeze_under_the_quota(database_url):
    async with campaign_server(database_url, campaign_quota=5) as harness:
        made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
        results = await asyncio.gather(*[create(harness, made.name, "agent@example.com",
                                                recipients=[to(f"r{n}-{i}@example.com") for i in range(2)])
                                         for n in range(6)], return_exceptions=True)
        accepted = [r for r in results if isinstance(r, campaign_pb2.EmailCampaign)]
        refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
        assert len(accepted) == 2 and len(refused) == 4
        assert {r.code() for r in refused} == {RE}
        assert (await quota(harness, "agent@example.com", made.name)).scheduled == 4


def test_quota_month_bounds():
    from chatsvc.domain.campaign_quota import month_bounds

    december = 1_734_000_000_000_000  # 2024-12-12
    start, end = month_bounds(december)
    assert (start, end) == (1_733_011_200_000_000, 1_735_689_600_000_000)
