"""GetEmailCampaign, ListEmailCampaigns, DeleteEmailCampaign and ListCampaignEmails."""
from __future__ import annotations

import contextlib

import grpc
import pytest
from sqlalchemy import event

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.support import (
    READONLY,
    campaign_server,
    create,
    make_brand,
    mark_executed,
    md,
    set_counters,
    stub,
)
from tests.helpers import failure, field_of, statement_of_a_call

IA, NF, PD, FP = (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED,
                  grpc.StatusCode.FAILED_PRECONDITION)
EMAILS = campaign_service_pb2.ASSOCIATION_EMAILS


@pytest.fixture
async def harness(database_url):
    async with campaign_server(database_url) as harness:
        yield harness


@contextlib.contextmanager
def counted(harness):
    statements = []

    def record(conn, cursor, statement, *args):
        if statement_of_a_call():
            statements.append(statement)

    engine = harness.running.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def get(harness, email, name, associations=()):
    return stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(
        name=name, associations=associations), metadata=md(harness, email, READONLY))


def list_campaigns(harness, email, parent, **kwargs):
    return stub(harness).ListEmailCampaigns(campaign_service_pb2.ListEmailCampaignsRequest(
        parent=parent, **kwargs), metadata=md(harness, email, READONLY))


def delete(harness, email, name):
    return stub(harness).DeleteEmailCampaign(campaign_service_pb2.DeleteEmailCampaignRequest(name=name),
                                             metadata=md(harness, email))


def emails(harness, email, parent, **kwargs):
    return stub(harness).ListCampaignEmails(campaign_service_pb2.ListCampaignEmailsRequest(
        parent=parent, **kwargs), metadata=md(harness, email, READONLY))


async def test_list_pages_newest_first_with_emails_in_one_query(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
    created = [await create(harness, made.name, "agent@example.com", subject=f"S{i}") for i in range(5)]
    await mark_executed(harness, created[0].name, [("a@example.com", "Ann", 1), ("b@example.com", "", 2)])
    await mark_executed(harness, created[1].name, [("c@example.com", "", 1)])
    first = await list_campaigns(harness, "admin@example.com", made.name, page_size=2)
    assert [c.subject for c in first.email_campaigns] == ["S4", "S3"] and first.total_size == 5
    assert all(not c.emails for c in first.email_campaigns)
    with counted(harness) as statements:
        rest = await list_campaigns(harness, "admin@example.com", made.name, page_size=3,
                                    page_token=first.next_page_token)
    assert [c.subject for c in rest.email_campaigns] == ["S2", "S1", "S0"] and not rest.next_page_token
    with counted(harness) as statements:
        full = await list_campaigns(harness, "admin@example.com", made.name, associations=[EMAILS])
    assert len(statements) <= 8, statements  # membership, page, recipients, attachments, emails, count
    by_subject = {c.subject: c for c in full.email_campaigns}
    assert [e.email_address for e in by_subject["S0"].emails] == ["a@example.com", "b@example.com"]
    assert by_subject["S0"].emails[0].full_name == "Ann" and by_subject["S0"].emails[0].email.to == ["a@example.com"]
    assert by_subject["S0"].recipients_count == 2
    assert by_subject["S0"].state == campaign_pb2.EmailCampaign.STATE_EXECUTED
    assert [e.email_address for e in by_subject["S1"].emails] == ["c@example.com"]
    assert not by_subject["S4"].emails
    # a token is bound to the request's parameters
    assert field_of(await failure(list_campaigns(harness, "admin@example.com", made.name, associations=[EMAILS],
                                                 page_token=first.next_page_token), IA)) == ["page_token"]
    assert field_of(await failure(list_campaigns(harness, "admin@example.com", made.name, page_size=-1),
                                  IA)) == ["page_size"]
    assert field_of(await failure(list_campaigns(harness, "admin@example.com", made.name, associations=[7]),
                                  IA)) == ["associations[0]"]
    await failure(list_campaigns(harness, "stranger@example.com", made.name), NF)
    await failure(list_campaigns(harness, "admin@example.com", "brands/"), IA)


async def test_get_with_and_without_emails(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
    campaign = await create(harness, made.name, "agent@example.com")
    plain = await get(harness, "admin@example.com", campaign.name)
    assert plain == campaign
    ids = await mark_executed(harness, campaign.name, [("a@example.com", "Ann", 1)])
    with_emails = await get(harness, "admin@example.com", campaign.name, [EMAILS])
    assert [e.name for e in with_emails.emails] == [f"{campaign.name}/emails/{ids[0]}"]
    assert with_emails.emails[0].state == campaign_pb2.CampaignEmail.STATE_SENT
    assert with_emails.emails[0].email.provider_message_id == "prov-1"
    assert not (await get(harness, "admin@example.com", campaign.name)).emails
    await failure(get(harness, "stranger@example.com", campaign.name), NF)
    await failure(get(harness, "admin@example.com", f"{made.name}/emailCampaigns/nope"), NF)
    other = await make_brand(harness, "admin@example.com", display_name="Other")
    wrong_brand = campaign.name.replace(made.name, other.name)
    assert (await failure(get(harness, "admin@example.com", wrong_brand), NF))["ErrorInfo"].reason == \
        "EMAIL_CAMPAIGN_NOT_FOUND"
    await failure(get(harness, "admin@example.com", "emailCampaigns/x"), IA)


async def test_delete_cancels_a_scheduled_campaign_and_hides_an_executed_one(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com", "other@example.com"])
    scheduled = await create(harness, made.name, "agent@example.com", subject="scheduled")
    executed = await create(harness, made.name, "agent@example.com", subject="executed")
    await mark_executed(harness, executed.name, [("a@example.com", "", 1)])
    kept = await create(harness, made.name, "other@example.com", subject="kept")
    assert (await failure(delete(harness, "other@example.com", scheduled.name), PD))["ErrorInfo"].reason == \
        "EMAIL_CAMPAIGN_CHANGE_DENIED"
    await failure(delete(harness, "stranger@example.com", scheduled.name), NF)
    await delete(harness, "agent@example.com", scheduled.name)
    await delete(harness, "admin@example.com", executed.name)  # an admin may delete anyone's
    for name in (scheduled.name, executed.name):
        await failure(get(harness, "agent@example.com", name), NF)
        await failure(delete(harness, "agent@example.com", name), NF)
    listed = await list_campaigns(harness, "agent@example.com", made.name)
    assert [c.name for c in listed.email_campaigns] == [kept.name] and listed.total_size == 1
    quota = await stub(harness).GetEmailQuota(campaign_service_pb2.GetEmailQuotaRequest(
        name=f"{made.name}/emailQuota"), metadata=md(harness, "agent@example.com"))
    assert quota.executed == 1 and quota.scheduled == 1  # hiding a sent campaign does not refund its quota


async def test_list_campaign_emails_orders_pages_and_skips(harness):
    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"])
    campaign = await create(harness, made.name, "agent@example.com")
    people = [("a@example.com", "Zed", 1), ("b@example.com", "Amy", 2), ("c@example.com", "Mia", 3),
              ("d@example.com", "Bob", 1), ("e@example.com", "Amy", 1)]
    ids = await mark_executed(harness, campaign.name, people)
    await set_counters(harness, ids[2], clicked=5, opened=1)
    await set_counters(harness, ids[0], clicked=2, failed=1)
    await set_counters(harness, ids[4], opened=3, unsubscribed=1)
    address = lambda response: [e.email_address for e in response.emails]  # noqa: E731
    everything = await emails(harness, "admin@example.com", campaign.name)
    assert address(everything) == [p[0] for p in people] and everything.total_size == 5
    assert everything.emails[1].send_type == campaign_pb2.SEND_TYPE_CC and everything.emails[1].full_name == "Amy"
    assert everything.emails[0].email.to == ["a@example.com", "d@example.com", "e@example.com"]
    assert address(await emails(harness, "admin@example.com", campaign.name, order_by="-clicked")) == [
        "c@example.com", "a@example.com", "b@example.com", "d@example.com", "e@example.com"]
    assert address(await emails(harness, "admin@example.com", campaign.name, order_by="opened desc")) == [
        "e@example.com", "c@example.com", "a@example.com", "b@example.com", "d@example.com"]
    assert address(await emails(harness, "admin@example.com", campaign.name, order_by="full_name")) == [
        "b@example.com", "e@example.com", "d@example.com", "c@example.com", "a@example.com"]
    assert address(await emails(harness, "admin@example.com", campaign.name, order_by="failed desc"))[0] == \
        "a@example.com"
    assert address(await emails(harness, "admin@example.com", campaign.name, order_by="-unsubscribed"))[0] == \
        "e@example.com"
    with counted(harness) as statements:
        page1 = await emails(harness, "admin@example.com", campaign.name, order_by="full_name", page_size=2)
    assert len(statements) <= 5, statements
    assert address(page1) == ["b@example.com", "e@example.com"] and page1.total_size == 5
    page2 = await emails(harness, "admin@example.com", campaign.name, order_by="full_name", page_size=2,
                         page_token=page1.next_page_token)
    assert address(page2) == ["d@example.com", "c@example.com"]
    page3 = await emails(harness, "admin@example.com", campaign.name, order_by="full_name", page_size=2,
                         page_token=page2.next_page_token)
    assert address(page3) == ["a@example.com"] and not page3.next_page_token
    skipped = await emails(harness, "admin@example.com", campaign.name, skip=3)
    assert address(skipped) == ["d@example.com", "e@example.com"]
    after_token = await emails(harness, "admin@example.com", campaign.name, order_by="full_name", page_size=2,
                               skip=1, page_token=page1.next_page_token)  # AIP-158: skip applies after the token
    assert address(after_token) == ["c@example.com", "a@example.com"]
    for bad in ("clicks", "-full_name desc", "opened sideways", "email_address"):
        assert field_of(await failure(emails(harness, "admin@example.com", campaign.name, order_by=bad),
                                      IA)) == ["order_by"]
    assert field_of(await failure(emails(harness, "admin@example.com", campaign.name, skip=-1), IA)) == ["skip"]
    assert field_of(await failure(emails(harness, "admin@example.com", campaign.name, order_by="opened",
                                         page_token=page1.next_page_token), IA)) == ["page_token"]
    assert field_of(await failure(emails(harness, "admin@example.com", campaign.name, page_token="forged.x"),
                                  IA)) == ["page_token"]
    await failure(emails(harness, "stranger@example.com", campaign.name), NF)
    await failure(emails(harness, "admin@example.com", f"{made.name}/emailCampaigns/none"), NF)
    empty = await create(harness, made.name, "agent@example.com")
    nothing = await emails(harness, "admin@example.com", empty.name)
    assert not nothing.emails and nothing.total_size == 0 and not nothing.next_page_token


async def test_the_emails_association_carries_the_first_thousand(harness):
    made = await make_brand(harness, "admin@example.com")
    campaign = await create(harness, made.name, "admin@example.com")
    await mark_executed(harness, campaign.name, [(f"r{i:04d}@example.com", "", 1) for i in range(1001)])
    shown = await get(harness, "admin@example.com", campaign.name, [EMAILS])
    assert len(shown.emails) == 1000
    assert shown.emails[-1].email_address == "r0999@example.com"
    # One shared message to 1,001 addresses: its address lists do not ride along with each email.
    assert {(tuple(e.email.to), e.email.address_count) for e in shown.emails} == {((), 1001)}
    assert (await emails(harness, "admin@example.com", campaign.name, skip=1000)).emails[0].email_address == (
        "r1000@example.com")
