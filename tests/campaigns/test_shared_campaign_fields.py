"""Template fields in shared campaigns (one email to all recipients) over gRPC: a field only a recipient can
fill in is refused when the campaign is scheduled or changed, the same campaign sent `individual` renders for
each recipient, and the sender's fields are filled in for everyone, read back from a real SMTP server."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns import support
from tests.campaigns.delivery_support import CC, TO, R, State, campaign_emails, schedule, sending_server, wait_state
from tests.campaigns.fake_smtp import FakeSmtp
from tests.directory.support import make_brand
from tests.helpers import failure, field_of

IA = grpc.StatusCode.INVALID_ARGUMENT
ALICE, BOB = "alice@example.com", "bob@example.com"
PER_RECIPIENT = {"subject": "Hi {{recipient.display_name}}", "html": "<p>Dear {{recipient.display_name}}</p>",
                 "text": "Dear {{recipient.display_name}}"}
PLAIN = {"subject": "Hello", "html": "<p>Hi</p>", "text": "Hi"}
CONTACTS = [{"display_name": "Carol", "emails": ["carol@x.com"]},
            {"display_name": "Dave <D>", "emails": ["dave@x.com"]}]


@pytest.fixture
def smtp():
    with FakeSmtp() as server:
        yield server


def update(harness, campaign: campaign_pb2.EmailCampaign, paths: list[str]):
    return support.stub(harness).UpdateEmailCampaign(campaign_service_pb2.UpdateEmailCampaignRequest(
        email_campaign=campaign, update_mask=field_mask_pb2.FieldMask(paths=paths)),
        metadata=support.md(harness, ALICE))


def assert_refused_for_recipient(details: dict, field: str) -> None:
    assert field_of(details) == [f"email_campaign.{field}"]
    [violation] = details["BadRequest"].field_violations
    assert "recipient" in violation.description and "`individual`" in violation.description


async def test_a_shared_campaign_refuses_recipient_fields_when_scheduled_or_changed(database_url):
    async with support.campaign_server(database_url) as harness:
        made = await make_brand(harness, ALICE)
        for field, template in PER_RECIPIENT.items():
            details = await failure(support.create(harness, made.name, ALICE, **{**PLAIN, field: template}), IA)
            assert_refused_for_recipient(details, field)
        shared = await support.create(harness, made.name, ALICE, **PLAIN)
        for field, template in PER_RECIPIENT.items():
            details = await failure(update(harness, campaign_pb2.EmailCampaign(
                name=shared.name, **{field: template}), [field]), IA)
            assert_refused_for_recipient(details, field)
        # Switching an individual campaign to shared re-checks the templates it already has.
        individual = await support.create(harness, made.name, ALICE, individual=True, **PER_RECIPIENT)
        details = await failure(update(harness, campaign_pb2.EmailCampaign(name=individual.name, individual=False),
                                       ["individual"]), IA)
        assert_refused_for_recipient(details, "subject")
        # A shared campaign's templates must parse, as an individual one's do.
        broken = await failure(support.create(harness, made.name, ALICE, **{**PLAIN, "text": "{% if %}"}), IA)
        assert field_of(broken) == ["email_campaign.text"]
        # A loop variable of that name is the template's own, not the recipient: accepted.
        looped = "{% for recipient in ['a', 'b'] %}{{ recipient }}{% endfor %}"
        assert (await support.create(harness, made.name, ALICE, **{**PLAIN, "text": looped})).text == looped
        for name in (shared.name, individual.name):  # the refused changes left both as they were
            got = await support.stub(harness).GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(
                name=name), metadata=support.md(harness, ALICE))
            assert got == (shared if name == shared.name else individual)


async def test_the_same_templates_in_an_individual_campaign_render_for_each_recipient(database_url, smtp):
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE, contacts=CONTACTS)
        campaign = await schedule(harness, made.name, ALICE, individual=True,
                                  recipients=[R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS)], **PER_RECIPIENT)
        done = await wait_state(harness, campaign.name, ALICE)

    assert done.state == State.STATE_EXECUTED and done.sent == 2, done
    by_address = {r.rcpt_tos[0]: r.message for r in smtp.received}
    assert len(smtp.received) == 2 and set(by_address) == {"carol@x.com", "dave@x.com"}
    for address, name, escaped in (("carol@x.com", "Carol", "Carol"), ("dave@x.com", "Dave <D>", "Dave &lt;D&gt;")):
        message = by_address[address]
        assert message["Subject"] == f"Hi {name}"
        assert message.get_body(("html",)).get_content().strip() == f"<p>Dear {escaped}</p>"
        assert message.get_body(("plain",)).get_content().strip() == f"Dear {name}"


async def test_a_shared_campaign_fills_in_the_sender_for_every_recipient(database_url, smtp):
    async with sending_server(database_url, smtp) as harness:
        made = await make_brand(harness, ALICE, members=[{"email": BOB, "display_name": "Bob & Co"}])
        campaign = await schedule(  # scheduled by Alice, sent as Bob
            harness, made.name, ALICE, sender=made.members[BOB].name,
            subject="News from {{sender.display_name}}",
            html="<p>From {{sender.display_name}} ({{sender.email}})</p>",
            text="From {{ sender.display_name | upper }} at {{sender.email}}",
            recipients=[R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="one@y.com", send_type=TO),
                        R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="two@y.com", send_type=TO),
                        R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="three@y.com", send_type=CC)])
        done = await wait_state(harness, campaign.name, ALICE)
        emails = await campaign_emails(harness, campaign.name, ALICE)

    assert done.state == State.STATE_EXECUTED and done.sent == 3, done
    [received] = smtp.received  # one email, to all three
    assert list(received.rcpt_tos) == ["one@y.com", "two@y.com", "three@y.com"]
    message = received.message
    subject, html = message["Subject"], message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert subject == "News from Bob & Co"
    assert html.strip() == f"<p>From Bob &amp; Co ({BOB})</p>"
    assert text.strip() == f"From BOB & CO at {BOB}"
    assert not any(mark in part for part in (subject, html, text) for mark in ("{{", "{%", "}}"))
    assert {e.email.subject for e in emails} == {"News from Bob & Co"}  # the stored message shows it rendered
