"""What the scheduler does when sending fails: transient SMTP replies retried with backoff, permanent ones
failing the email at once, a server that stays down failing the campaign after the last attempt; and
campaigns that fail before any email goes out (no recipients left, an attachment that cannot be fetched)."""
from __future__ import annotations

import pytest

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.domain.access import read
from tests.campaigns.delivery_support import R, State, campaign_emails, due_now, schedule, sending_server, wait_state
from tests.campaigns.fake_smtp import FakeSmtp
from tests.directory.support import make_brand
from tests.directory.support import stub as directory_stub

ALICE = "alice@example.com"
SENT, FAILED = campaign_pb2.CampaignEmail.STATE_SENT, campaign_pb2.CampaignEmail.STATE_FAILED


@pytest.fixture
def smtp():
    with FakeSmtp() as server:
        yield server


def to(*addresses: str) -> list:
    return [R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email=a) for a in addresses]


async def messages_of(harness, campaign_name: str):
    _, brand_id, _, campaign_id = campaign_name.split("/")

    async def messages(repos):
        return await repos.campaign_delivery.messages(await repos.campaigns.key_of(brand_id, campaign_id))

    return await read(harness.running.db, messages)


async def test_transient_replies_are_retried_until_the_message_goes_out_once(database_url, smtp):
    smtp.replies = ["451 4.3.0 try again later", "421 4.7.0 busy"]
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE)
        campaign = await schedule(harness, made.name, ALICE, text="Hello", recipients=to("a@y.com"))
        done = await wait_state(harness, campaign.name, ALICE)
        [message] = await messages_of(harness, campaign.name)
    assert done.state == State.STATE_EXECUTED and done.sent == 1
    assert smtp.data_attempts == 3 and len(smtp.received) == 1
    assert message.attempts == 3 and message.error == ""


async def test_a_permanent_reply_fails_that_email_and_the_rest_still_go(database_url, smtp):
    smtp.replies = ["550 5.1.1 no such mailbox"]
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE)
        campaign = await schedule(harness, made.name, ALICE, individual=True, text="Hi",
                                  recipients=to("gone@y.com", "here@y.com"))
        done = await wait_state(harness, campaign.name, ALICE)
        emails = await campaign_emails(harness, campaign.name, ALICE)
        messages = await messages_of(harness, campaign.name)
    assert done.state == State.STATE_EXECUTED and done.sent == 1 and done.recipients_count == 2
    assert [(e.email_address, e.state) for e in emails] == [("gone@y.com", FAILED), ("here@y.com", SENT)]
    assert "550" in emails[0].error and emails[1].error == ""
    assert [m.attempts for m in messages] == [1, 1]  # a permanent failure is not retried
    assert [r.rcpt_tos for r in smtp.received] == [("here@y.com",)]


async def test_every_email_refused_fails_the_campaign_within_delivery(database_url, smtp):
    smtp.replies = ["554 5.7.1 rejected"]
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE)
        campaign = await schedule(harness, made.name, ALICE, text="Hi", recipients=to("a@y.com", "b@y.com"))
        done = await wait_state(harness, campaign.name, ALICE)
        emails = await campaign_emails(harness, campaign.name, ALICE)
    assert done.state == State.STATE_FAILED and done.failed_within == "delivery" and "554" in done.failure
    assert done.fail_time.seconds > 0 and done.sent == 0 and not done.HasField("execute_time")
    assert all(e.state == FAILED and "554" in e.error for e in emails) and len(emails) == 2


async def test_a_server_down_beyond_the_attempts_fails_the_campaign(database_url, smtp):
    smtp.stop()
    async with sending_server(database_url, smtp, send_attempts=3) as harness:
        made = await make_brand(harness, ALICE)
        campaign = await schedule(harness, made.name, ALICE, text="Hi", recipients=to("a@y.com"))
        done = await wait_state(harness, campaign.name, ALICE)
        [message] = await messages_of(harness, campaign.name)
    assert done.state == State.STATE_FAILED and done.failed_within == "delivery"
    assert "unreachable" in done.failure and message.attempts == 3


async def test_recipients_gone_by_sending_time_fail_the_campaign_within_recipients(database_url, smtp):
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE, contacts=[{"display_name": "C", "emails": ["c@y.com"]}])
        contact = made.contacts[0].name
        campaign = await schedule(harness, made.name, ALICE, text="Hi", due_time=due_now(ahead_seconds=0.5),
                                  recipients=[R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=contact)])
        await directory_stub(harness).DeleteContact(directory_service_pb2.DeleteContactRequest(name=contact),
                                                    metadata=made.md())
        done = await wait_state(harness, campaign.name, ALICE)
    assert done.state == State.STATE_FAILED and done.failed_within == "recipients" and done.failure
    assert smtp.received == [] and done.recipients_count == 0


async def test_a_private_url_attachment_is_refused_and_nothing_is_sent(database_url, smtp):
    async with sending_server(database_url, smtp) as harness:  # attachment_url_allow_private is off
        made = await make_brand(harness, ALICE)
        campaign = await schedule(harness, made.name, ALICE, text="Hi", recipients=to("a@y.com"), attachments=[
            campaign_pb2.EmailAttachment(url=f"http://127.0.0.1:{smtp.port}/secret", filename="s.txt")])
        done = await wait_state(harness, campaign.name, ALICE)
    assert done.state == State.STATE_FAILED and done.failed_within == "attachments"
    assert "non-public address" in done.failure and smtp.received == []
