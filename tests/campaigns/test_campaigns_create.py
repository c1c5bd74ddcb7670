"""CreateEmailCampaign (and GetEmailCampaign reading it back): every recipient type, ids, request ids,
who may create, and each malformed input refused with the field it names."""
from __future__ import annotations

import time

import grpc
import pytest

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import (
    R,
    campaign_server,
    create,
    draft,
    due,
    make_brand,
    md,
    stub,
    to,
)
from tests.helpers import failure, field_of

NF, IA = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT


@pytest.fixture
async def harness(database_url):
    async with campaign_server(database_url) as harness:
        yield harness


async def _brands(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"], lists=["Buyers"],
                            contacts=[{"display_name": "Cara", "emails": ["cara@example.com"], "tags": ["vip"],
                                       "lists": ["Buyers"]},
                                      {"display_name": "Dan", "emails": ["dan@example.com"]}])
    other = await make_brand(harness, "admin@example.com", members=["ed@example.com"], display_name="Other")
    return made, other


async def test_create_with_every_recipient_type_and_read_it_back(harness):
    made, other = await _brands(harness)
    cara = made.contacts[0].name
    admin_id = made.user_ids["admin@example.com"]
    ed_id = other.user_ids["ed@example.com"]
    recipients = [
        to("Solo@Example.com"),
        to("cara.work@example.com", contact=cara, send_type=campaign_pb2.SEND_TYPE_CC),
        R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=made.contacts[1].name, send_type=campaign_pb2.SEND_TYPE_BCC),
        R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="VIP"),
        R(recipient_type=R.RECIPIENT_TYPE_LIST, contact_list=made.lists["Buyers"].name),
        R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand=other.name),
        R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS),
        R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=f"{other.name}/members/{ed_id}"),
    ]
    created = await create(
        harness, made.name, "admin@example.com", subject="Hi {{recipient.display_name}}", individual=True,
        recipients=recipients, tags=["spring"], notifications_enabled=True, include_signature=True,
        headers=campaign_pb2.EmailHeaders(in_reply_to="<a@b>", thread_id="t1", message_id="m1"),
        attachments=[campaign_pb2.EmailAttachment(url="https://cdn.example/logo.png", filename="logo.png",
                                                  is_inline=True, content_id="logo")])
    assert created.name.startswith(f"{made.name}/emailCampaigns/")
    assert created.state == campaign_pb2.EmailCampaign.STATE_SCHEDULED
    assert created.sender == f"{made.name}/members/{admin_id}"
    assert created.creator == f"users/{admin_id}"
    assert created.due_time.seconds == due().seconds
    got = await stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(name=created.name),
                                               metadata=md(harness, "agent@example.com"))
    assert got == created
    types = [r.recipient_type for r in got.recipients]
    assert types == [1, 1, 2, 3, 4, 5, 6, 7]
    assert got.recipients[0].email == "Solo@Example.com" and got.recipients[1].contact == cara
    assert [r.send_type for r in got.recipients[:3]] == [1, 2, 3]
    assert got.recipients[3].tag == "vip"
    assert got.recipients[4].contact_list == made.lists["Buyers"].name
    assert got.recipients[5].brand == other.name
    assert got.recipients[7].agent == f"{other.name}/members/{ed_id}"
    assert all(r.id for r in got.recipients)
    assert got.attachments[0].url == "https://cdn.example/logo.png" and got.attachments[0].content_id == "logo"
    assert got.headers.thread_id == "t1" and list(got.tags) == ["spring"]
    assert got.individual and got.notifications_enabled and got.include_signature
    assert got.counters == campaign_pb2.DeliveryCounters() and got.recipients_count == 0


async def test_client_id_request_id_past_due_and_sender(harness):
    made, _ = await _brands(harness)
    agent_id = made.user_ids["agent@example.com"]
    before = time.time()
    first = await create(harness, made.name, "admin@example.com", campaign_id="c2513c63-6e21-4521-81ec-401be2f6ed14",
                         due_time=due(1_000), sender=f"{made.name}/members/{agent_id}")
    assert first.name == f"{made.name}/emailCampaigns/c2513c63-6e21-4521-81ec-401be2f6ed14"
    assert first.due_time.seconds >= int(before)  # a past due time means now
    assert first.sender == f"{made.name}/members/{agent_id}"
    details = await failure(create(harness, made.name, "agent@example.com",
                                   campaign_id="c2513c63-6e21-4521-81ec-401be2f6ed14"), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "EMAIL_CAMPAIGN_ALREADY_EXISTS"
    once = await create(harness, made.name, "agent@example.com", request_id="r-1", subject="Once")
    again = await create(harness, made.name, "agent@example.com", request_id="r-1", subject="Twice")
    assert again == once
    other_caller = await create(harness, made.name, "admin@example.com", request_id="r-1")
    assert other_caller.name != once.name
    listed = await stub(harness).ListEmailCampaigns(campaign_service_pb2.ListEmailCampaignsRequest(
        parent=made.name), metadata=md(harness, "agent@example.com"))
    assert listed.total_size == 3


async def test_concurrent_retries_of_one_request_schedule_once(harness):
    import asyncio

    made, _ = await _brands(harness)
    results = await asyncio.gather(*[create(harness, made.name, "agent@example.com", request_id="same")
                                     for _ in range(5)])
    assert len({r.name for r in results}) == 1


async def test_outsiders_and_bad_parents(harness):
    made, _ = await _brands(harness)
    details = await failure(create(harness, made.name, "stranger@example.com"), NF)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    missing = await failure(create(harness, "brands/nope", "stranger@example.com"), NF)
    assert missing["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    assert "BadRequest" in await failure(create(harness, "brand/x", "agent@example.com"), IA)
    readonly = stub(harness).CreateEmailCampaign(campaign_service_pb2.CreateEmailCampaignRequest(
        parent=made.name, email_campaign=draft()), metadata=md(harness, "agent@example.com",
                                                              ("https://www.googleapis.com/auth/chatsvc.campaigns.readonly",)))
    await failure(readonly, grpc.StatusCode.PERMISSION_DENIED)
    for bad_id in ("UPPER", "a" * 64, "under_score"):
        assert field_of(await failure(create(harness, made.name, "agent@example.com", campaign_id=bad_id), IA)) == [
            "email_campaign_id"]


async def test_each_malformed_campaign_is_refused_naming_its_field(harness):
    made, other = await _brands(harness)
    cara = made.contacts[0].name
    foreign_contact = f"{other.name}/contacts/{made.contacts[0].name.split('/')[3]}"
    stranger_brand = await make_brand(harness, "ed@example.com", display_name="Eds")
    ed_member = f"{stranger_brand.name}/members/{stranger_brand.user_ids['ed@example.com']}"
    e = "email_campaign."
    cases = [
        (dict(subject=""), e + "subject"),
        (dict(subject="x" * 999), e + "subject"),
        (dict(subject="two\nlines"), e + "subject"),
        (dict(html="x" * (1024 * 1024 + 1)), e + "html"),
        (dict(text="x" * (1024 * 1024 + 1)), e + "text"),
        (dict(recipients=[]), e + "recipients"),
        (dict(recipients=[to(f"p{i}@example.com") for i in range(1001)]), e + "recipients"),
        (dict(due_time=None), e + "due_time"),
        (dict(tags=[f"t{i}" for i in range(11)]), e + "tags"),
        (dict(tags=["ok", ""]), e + "tags[1]"),
        (dict(headers=campaign_pb2.EmailHeaders(in_reply_to="x" * 999)), e + "headers.in_reply_to"),
        (dict(headers=campaign_pb2.EmailHeaders(message_id="a\r\nBcc: evil@example.com")), e + "headers.message_id"),
        (dict(sender=f"{other.name}/members/{other.user_ids['ed@example.com']}"), e + "sender"),
        (dict(sender=f"{made.name}/members/12345"), e + "sender"),
        (dict(sender="users/me"), e + "sender"),
        (dict(individual=True, subject="Hi {{ recipient.display_name "), e + "subject"),
        (dict(google_credential="users/me/googleCredentials/a", microsoft_credential="users/me/microsoftCredentials/b"),
         e + "microsoft_credential"),
        (dict(google_credential="users/me/microsoftCredentials/a"), e + "google_credential"),
        (dict(google_credential="nonsense"), e + "google_credential"),
    ]
    r = e + "recipients[0]."
    recipient_cases = [
        (R(), r + "recipient_type"),
        (R(recipient_type=99), r + "recipient_type"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="a@example.com", send_type=9), r + "send_type"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL), r + "email"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="not an address"), r + "email"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="a@example.com", tag="vip"), r + "tag"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="a@example.com", contact=foreign_contact), r + "contact"),
        (R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="a@example.com", contact=f"{made.name}/contacts/nope"),
         r + "contact"),
        (R(recipient_type=R.RECIPIENT_TYPE_CONTACT), r + "contact"),
        (R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=cara, email="a@example.com"), r + "email"),
        (R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact="contacts/x"), r + "contact"),
        (R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=f"{made.name}/contacts/missing"), r + "contact"),
        (R(recipient_type=R.RECIPIENT_TYPE_TAG), r + "tag"),
        (R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="x" * 101), r + "tag"),
        (R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="vip", brand=made.name), r + "brand"),
        (R(recipient_type=R.RECIPIENT_TYPE_LIST), r + "contact_list"),
        (R(recipient_type=R.RECIPIENT_TYPE_LIST, contact_list=f"{other.name}/lists/x"), r + "contact_list"),
        (R(recipient_type=R.RECIPIENT_TYPE_LIST, contact_list=f"{made.name}/lists/missing"), r + "contact_list"),
        (R(recipient_type=R.RECIPIENT_TYPE_BRAND), r + "brand"),
        (R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand=stranger_brand.name), r + "brand"),
        (R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand="brands/missing"), r + "brand"),
        (R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand="brands"), r + "brand"),
        (R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS, email="a@example.com"), r + "email"),
        (R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS, contact_list=made.lists["Buyers"].name), r + "contact_list"),
        (R(recipient_type=R.RECIPIENT_TYPE_AGENT), r + "agent"),
        (R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=ed_member), r + "agent"),
        (R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=f"{made.name}/members/999"), r + "agent"),
        (R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=made.name), r + "agent"),
    ]
    a = e + "attachments[0]."
    A = campaign_pb2.EmailAttachment
    attachment_cases = [
        (A(), a + "source"),
        (A(url="https://x.example/a.png"), a + "filename"),
        (A(url="ftp://x.example/a.png", filename="a.png"), a + "url"),
        (A(url="https://x.example/a.png", filename="../a.png"), a + "filename"),
        (A(url="https://x.example/a.png", filename="a.png", is_inline=True), a + "content_id"),
        (A(file="users/me/emailFiles/missing"), a + "file"),
        (A(file="users/someone-else@example.com/emailFiles/x"), a + "file"),
        (A(file="emailFiles/x"), a + "file"),
    ]
    cases += [(dict(recipients=[rec]), f) for rec, f in recipient_cases]
    cases += [(dict(attachments=[att]), f) for att, f in attachment_cases]
    for fields, field in cases:
        campaign = draft(**{k: v for k, v in fields.items() if v is not None})
        if fields.get("due_time", 0) is None:
            campaign.ClearField("due_time")
        call = stub(harness).CreateEmailCampaign(campaign_service_pb2.CreateEmailCampaignRequest(
            parent=made.name, email_campaign=campaign), metadata=md(harness, "agent@example.com"))
        details = await failure(call, IA)
        assert field_of(details) == [field], (fields, field_of(details))
    listed = await stub(harness).ListEmailCampaigns(campaign_service_pb2.ListEmailCampaignsRequest(
        parent=made.name), metadata=md(harness, "agent@example.com"))
    assert listed.total_size == 0  # nothing half-written
