"""UpdateEmailCampaign and SetCampaignNotifications: masks, who may change, and the states that allow it."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import R, campaign_server, create, draft, due, make_brand, mark_executed, md, stub, to
from tests.helpers import failure, field_of

IA, NF, PD, FP = (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED,
                  grpc.StatusCode.FAILED_PRECONDITION)


@pytest.fixture
async def harness(database_url):
    async with campaign_server(database_url) as harness:
        yield harness


def update(harness, email, campaign, paths=()):
    return stub(harness).UpdateEmailCampaign(campaign_service_pb2.UpdateEmailCampaignRequest(
        email_campaign=campaign, update_mask=field_mask_pb2.FieldMask(paths=list(paths))),
        metadata=md(harness, email))


def notifications(harness, email, name, enabled):
    return stub(harness).SetCampaignNotifications(campaign_service_pb2.SetCampaignNotificationsRequest(
        name=name, enabled=enabled), metadata=md(harness, email))


async def _setup(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com", "other@example.com"],
                            contacts=[{"display_name": "Cara", "emails": ["cara@example.com"], "tags": ["vip"]}])
    campaign = await create(harness, made.name, "agent@example.com", subject="First", tags=["a"],
                            recipients=[to("one@example.com"), to("two@example.com")])
    return made, campaign


async def test_update_lifecycle_with_masks(harness):
    made, campaign = await _setup(harness)
    changed = await update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name, subject="Second", tags=["x"]), ["subject"])
    assert changed.subject == "Second" and list(changed.tags) == ["a"]  # only the masked field
    assert changed.update_time.ToMicroseconds() >= campaign.update_time.ToMicroseconds()
    replaced = await update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name, recipients=[R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="vip")]), ["recipients"])
    assert [r.recipient_type for r in replaced.recipients] == [R.RECIPIENT_TYPE_TAG]
    assert replaced.recipients[0].id not in {r.id for r in campaign.recipients}
    full = draft(name=campaign.name, subject="Third", individual=True, text="Hi {{recipient.display_name}}",
                 due_time=due(4_100_000_000))
    everything = await update(harness, "admin@example.com", full)  # empty mask: every settable field
    assert everything.subject == "Third" and everything.individual and everything.due_time.seconds == 4_100_000_000
    assert [r.email for r in everything.recipients] == ["someone@example.com"] and list(everything.tags) == []
    star = await update(harness, "admin@example.com", draft(name=campaign.name, subject="Fourth"), ["*"])
    assert star.subject == "Fourth" and not star.individual
    got = await stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(name=campaign.name),
                                               metadata=md(harness, "other@example.com"))
    assert got == star


async def test_update_refusals(harness):
    made, campaign = await _setup(harness)
    only = campaign_pb2.EmailCampaign(name=campaign.name, subject="New")
    assert field_of(await failure(update(harness, "agent@example.com", only, ["nope"]), IA)) == ["update_mask"]
    assert field_of(await failure(update(harness, "agent@example.com", only, ["state"]), IA)) == ["update_mask"]
    assert field_of(await failure(update(harness, "agent@example.com", only, ["counters"]), IA)) == ["update_mask"]
    assert field_of(await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name), ["subject"]), IA)) == ["email_campaign.subject"]
    assert field_of(await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name), ["recipients"]), IA)) == ["email_campaign.recipients"]
    assert field_of(await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name), ["due_time"]), IA)) == ["email_campaign.due_time"]
    assert field_of(await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name="brands/x"), ["subject"]), IA)) == ["email_campaign.name"]
    # other members see it but may not change it; outsiders do not see it at all
    denied = await failure(update(harness, "other@example.com", only, ["subject"]), PD)
    assert denied["ErrorInfo"].reason == "EMAIL_CAMPAIGN_CHANGE_DENIED"
    await failure(notifications(harness, "other@example.com", campaign.name, True), PD)
    hidden = await failure(update(harness, "stranger@example.com", only, ["subject"]), NF)
    assert hidden["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=f"{made.name}/emailCampaigns/missing", subject="x"), ["subject"]), NF)
    unchanged = await stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(
        name=campaign.name), metadata=md(harness, "agent@example.com"))
    assert unchanged == campaign


async def test_an_executed_campaign_cannot_be_changed_but_notifications_can(harness):
    made, campaign = await _setup(harness)
    await mark_executed(harness, campaign.name, [("one@example.com", "", 1)])  # rows the scheduler would write
    details = await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name, subject="Late"), ["subject"]), FP)
    assert details["ErrorInfo"].reason == "CAMPAIGN_ALREADY_EXECUTED"
    on = await notifications(harness, "admin@example.com", campaign.name, True)
    assert on.notifications_enabled and on.state == campaign_pb2.EmailCampaign.STATE_EXECUTED
    off = await notifications(harness, "agent@example.com", campaign.name, False)
    assert not off.notifications_enabled
    await failure(notifications(harness, "stranger@example.com", campaign.name, True), NF)
    await failure(notifications(harness, "agent@example.com", "brands/x/emailCampaigns", True), IA)


async def test_a_deleted_campaign_is_gone_for_every_change(harness):
    made, campaign = await _setup(harness)
    await stub(harness).DeleteEmailCampaign(campaign_service_pb2.DeleteEmailCampaignRequest(name=campaign.name),
                                            metadata=md(harness, "agent@example.com"))
    await failure(update(harness, "agent@example.com", campaign_pb2.EmailCampaign(
        name=campaign.name, subject="x"), ["subject"]), NF)
    await failure(notifications(harness, "agent@example.com", campaign.name, True), NF)
