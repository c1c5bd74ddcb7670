"""End to end through connected mailboxes: campaigns scheduled over gRPC with a Google or a Microsoft
credential, sent by the scheduler through the fake Gmail API / Microsoft Graph, read back exactly; and a
campaign whose credential is revoked, deleted or loses mail.send after scheduling never goes out."""
from __future__ import annotations

import base64

import pytest

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.credentials.v1 import credential_service_pb2 as cred_pb
from tests.campaigns.delivery_support import BCC, CC, FAST, TO, R, State, campaign_emails, due_now, schedule, wait_state
from tests.campaigns.mail_fixtures import mail_server
from tests.campaigns.support import upload
from tests.credentials.conftest import MICROSOFT
from tests.directory.support import make_brand

OWNER = "owner@example.com"
LOGO = bytes(range(256)) * 4
REPORT = b"%PDF-1.4 quarterly numbers\n" * 50


def address(email: str, send_type=TO) -> campaign_pb2.EmailRecipient:
    return R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email=email, send_type=send_type)


@pytest.fixture
async def env(database_url, fake, fake_dns):
    async with mail_server(database_url, fake, fake_dns, **FAST) as mail_env:
        mail_env.brand = await make_brand(mail_env.harness, OWNER, members=["agent@example.com"])
        yield mail_env


async def test_a_gmail_campaign_goes_out_through_the_gmail_api(env):
    credential = await env.credentials.connect(OWNER)
    logo = await upload(env.harness, OWNER, LOGO, filename="logo.png", mime_type="image/png")
    report = await upload(env.harness, OWNER, REPORT)
    campaign = await schedule(
        env.harness, env.brand.name, OWNER, google_credential=credential.name, subject="Listing update",
        html='<p>New listing <img src="cid:logo-1"></p>', text="New listing",
        recipients=[address("to@example.net"), address("cc@example.net", CC), address("bcc@example.net", BCC)],
        headers=campaign_pb2.EmailHeaders(in_reply_to="<orig-1@example.net>", thread_id="thread-9"),
        attachments=[campaign_pb2.EmailAttachment(file=logo.name, is_inline=True, content_id="logo-1"),
                     campaign_pb2.EmailAttachment(file=report.name)])
    done = await wait_state(env.harness, campaign.name, OWNER)
    assert done.state == State.STATE_EXECUTED, done.failure
    assert (done.sent, done.recipients_count) == (3, 3)  # `sent` counts addresses

    [sent] = env.fake.mail.gmail_sent()
    [send_call] = env.fake.mail.send_calls()
    assert send_call.body["threadId"] == "thread-9" and sent.thread_id == "thread-9"
    assert send_call.token in env.fake.access  # the credential's live token
    message = sent.message
    assert (message["To"], message["Cc"], message["Bcc"]) == ("to@example.net", "cc@example.net", "bcc@example.net")
    assert message["Subject"] == "Listing update"
    assert message["In-Reply-To"] == message["References"] == "<orig-1@example.net>"
    assert message.get_body(("plain",)).get_content().strip() == "New listing"
    assert 'src="cid:logo-1"' in message.get_body(("html",)).get_content()
    files = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert files["logo.png"].get_content() == LOGO and files["logo.png"]["Content-ID"] == "<logo-1>"
    assert files["report.pdf"].get_content() == REPORT

    emails = await campaign_emails(env.harness, campaign.name, OWNER)
    assert sorted(e.email_address for e in emails) == ["bcc@example.net", "cc@example.net", "to@example.net"]
    assert {e.email.provider_message_id for e in emails} == {sent.id}
    assert {e.email.message_id for e in emails} == {message["Message-ID"]}


async def test_a_send_whose_answer_was_lost_is_looked_up_not_repeated(env):
    """Gmail stored the message but answered 503: the retry asks for the Message-ID first and finds it."""
    credential = await env.credentials.connect(OWNER)
    env.fake.mail.lost_answers = [503, 503]
    recipients = [address(f"r{i}@example.net") for i in range(3)]
    campaign = await schedule(env.harness, env.brand.name, OWNER, google_credential=credential.name,
                              individual=True, recipients=recipients)
    done = await wait_state(env.harness, campaign.name, OWNER)
    assert done.state == State.STATE_EXECUTED and done.sent == 3, done.failure
    received = sorted(m.message["To"] for m in env.fake.mail.gmail_sent())
    assert received == ["r0@example.net", "r1@example.net", "r2@example.net"]  # each once, none twice
    assert len(env.fake.mail.send_calls()) == 3
    lookups = [c for c in env.fake.mail.calls if c.query.get("q", "").startswith("rfc822msgid:")]
    assert len(lookups) == 2
    stored = {m.id for m in env.fake.mail.gmail_sent()}
    assert {e.email.provider_message_id for e in await campaign_emails(env.harness, campaign.name, OWNER)} == stored


async def test_an_individual_outlook_campaign_replies_through_graph(env):
    credential = await env.credentials.connect(OWNER, provider=MICROSOFT)
    env.fake.mail.graph_messages.add("AAMkAGI2-orig")
    report = await upload(env.harness, OWNER, REPORT, origin=campaign_pb2.ORIGIN_OUTLOOK)
    campaign = await schedule(
        env.harness, env.brand.name, OWNER, microsoft_credential=credential.name, individual=True,
        subject="For {{recipient.display_name or 'you'}}", html="<p>Hello {{recipient.display_name or 'there'}}</p>",
        recipients=[address("one@example.net"), address("two@example.net")],
        headers=campaign_pb2.EmailHeaders(message_id="AAMkAGI2-orig"),
        attachments=[campaign_pb2.EmailAttachment(file=report.name)])
    done = await wait_state(env.harness, campaign.name, OWNER)
    assert done.state == State.STATE_EXECUTED, done.failure
    assert (done.sent, done.recipients_count) == (2, 2)

    replies = sorted(env.fake.mail.graph_sent, key=lambda s: s.message["toRecipients"][0]["emailAddress"]["address"])
    assert [r.reply_to for r in replies] == ["AAMkAGI2-orig"] * 2
    assert [r.account for r in replies] == ["agent@example.com"] * 2  # the fake account behind the credential
    for reply, to in zip(replies, ("one@example.net", "two@example.net"), strict=True):
        message = reply.message
        assert [r["emailAddress"]["address"] for r in message["toRecipients"]] == [to]
        assert message["subject"] == "For you" and message["body"] == {"contentType": "HTML",
                                                                        "content": "<p>Hello there</p>"}
        [attached] = message["attachments"]
        assert attached["name"] == "report.pdf" and base64.b64decode(attached["contentBytes"]) == REPORT
    assert all(c.path.endswith("/messages/AAMkAGI2-orig/reply") for c in env.fake.mail.send_calls())


async def test_a_credential_disconnected_after_scheduling_stops_the_campaign(env):
    revoked = await env.credentials.connect(OWNER, brand="b-revoked")
    deleted = await env.credentials.connect(OWNER, brand="b-deleted", provider=MICROSOFT)
    rescoped = await env.credentials.connect(OWNER, brand="b-rescoped")
    campaigns = {}
    for label, credential in (("revoked", revoked), ("deleted", deleted), ("rescoped", rescoped)):
        field = "microsoft_credential" if "microsoft" in credential.name else "google_credential"
        campaigns[label] = await schedule(env.harness, env.brand.name, OWNER, due_time=due_now(1.5),
                                          recipients=[address("to@example.net")], html="<p>x</p>",
                                          **{field: credential.name})
    stub, md = env.credentials.stub, env.credentials.md(OWNER)
    await stub.RevokeCredential(cred_pb.RevokeCredentialRequest(name=revoked.name), metadata=md)
    await stub.DeleteCredential(cred_pb.DeleteCredentialRequest(name=deleted.name), metadata=md)
    again = await env.credentials.connect(OWNER, brand="b-rescoped", scopes=("contacts",))  # consent again, less
    assert again.name == rescoped.name and "mail.send" not in again.scope_summary

    for label, reason in (("revoked", "revoked"), ("deleted", "deleted"), ("rescoped", "mail.send")):
        failed = await wait_state(env.harness, campaigns[label].name, OWNER)
        assert failed.state == State.STATE_FAILED and failed.failed_within == "credential", failed
        assert reason in failed.failure and failed.sent == 0
    assert env.fake.mail.send_calls() == [] and env.fake.mail.gmail_sent() == [] and env.fake.mail.graph_sent == []
