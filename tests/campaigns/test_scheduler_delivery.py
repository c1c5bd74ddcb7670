"""The scheduler end to end over SMTP: campaigns of every recipient type scheduled over gRPC, sent by the
server's scheduler to a real SMTP server (aiosmtpd), and the exact messages read back from it."""
from __future__ import annotations

import pytest
from aiohttp import web

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from tests.campaigns.delivery_support import (
    BCC,
    CC,
    TO,
    R,
    State,
    campaign_emails,
    md,
    schedule,
    sending_server,
    stub,
    wait_state,
)
from tests.campaigns.fake_smtp import FakeSmtp
from tests.directory.support import make_brand

ALICE, BOB = "alice@example.com", "bob@example.com"
SIGNATURE = "<p>-- Bob, Acme Realty</p>"
LOGO = bytes(range(256)) * 4
REPORT = b"quarterly numbers\n" * 50
CONTACTS = [
    {"display_name": "Carol", "emails": ["carol@x.com"], "tags": ["vip"], "lists": ["Buyers"]},
    {"display_name": "Dave", "emails": ["dave@x.com"], "tags": ["vip"]},
    {"display_name": "Erin", "emails": ["erin@x.com"], "lists": ["Buyers"]},
    {"display_name": "Frank <Boss>", "emails": ["frank@x.com"]},
]


@pytest.fixture
def smtp():
    with FakeSmtp() as server:
        yield server


@pytest.fixture
async def files_site():
    """A local web server for URL attachments."""
    async def report(request):
        return web.Response(body=REPORT, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/files/report.txt", report)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def brand_with_people(harness):
    return await make_brand(harness, ALICE, members=[{"email": BOB, "display_name": "Bob Agent"}], lists=["Buyers"],
                            contacts=CONTACTS)


async def upload_logo(harness) -> str:
    async def requests():
        yield campaign_service_pb2.UploadAttachmentRequest(metadata=campaign_service_pb2.UploadAttachmentMetadata(
            parent="users/me", origin=campaign_pb2.ORIGIN_MAILGUN, filename="logo.png", mime_type="image/png"))
        for start in range(0, len(LOGO), 300):
            yield campaign_service_pb2.UploadAttachmentRequest(chunk=LOGO[start:start + 300])
    return (await stub(harness).UploadAttachment(requests(), metadata=md(harness, ALICE))).name


def attachments_of(message) -> dict:
    return {part.get_filename(): part for part in message.walk() if part.get_filename()}


async def test_one_email_to_every_recipient_type_with_dedup_attachments_and_reply_headers(
        database_url, smtp, files_site):
    async with sending_server(database_url, smtp, attachment_url_allow_private=True) as harness:
        made = await brand_with_people(harness)
        dave = made.contacts[1].name
        logo = await upload_logo(harness)
        campaign = await schedule(
            harness, made.name, ALICE, subject="Team update {{sender.display_name}}", include_signature=True,
            html='<p>News <img src="cid:logo"></p>', text="News", headers=campaign_pb2.EmailHeaders(
                in_reply_to="<orig-123@example.org>"),
            recipients=[
                R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="zed@y.com", send_type=TO),
                R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=dave, send_type=TO),
                R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="vip", send_type=CC),  # carol; dave stays To
                R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=made.members[BOB].name, send_type=CC),
                R(recipient_type=R.RECIPIENT_TYPE_LIST, contact_list=made.lists["Buyers"].name, send_type=BCC),
                R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand=made.name, send_type=BCC),  # alice; bob stays Cc
                R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="Dave@X.com", contact=dave, send_type=BCC),
                R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS, send_type=BCC),  # frank
            ],
            attachments=[campaign_pb2.EmailAttachment(file=logo, is_inline=True, content_id="logo"),
                         campaign_pb2.EmailAttachment(url=f"{files_site}/files/report.txt", filename="report.txt")])
        done = await wait_state(harness, campaign.name, ALICE)
        emails = await campaign_emails(harness, campaign.name, ALICE)

    assert done.state == State.STATE_EXECUTED, done
    assert done.sent == 7 and done.recipients_count == 7 and done.execute_time.seconds > 0
    [received] = smtp.received
    to, cc, bcc = ["zed@y.com", "dave@x.com"], ["carol@x.com", BOB], ["erin@x.com", ALICE, "frank@x.com"]
    assert received.mail_from == ALICE and list(received.rcpt_tos) == to + cc + bcc
    message = received.message
    assert message["To"] == ", ".join(to) and message["Cc"] == ", ".join(cc) and message["Bcc"] is None
    # one email to all: rendered once, with the sender's values
    assert message["Subject"] == f"Team update {made.members[ALICE].display_name}" and "{{" not in message["Subject"]
    assert message["From"].addresses[0].addr_spec == ALICE
    assert message["In-Reply-To"] == message["References"] == "<orig-123@example.org>"
    assert message["Message-ID"].endswith("@example.com>")
    assert message.get_body(("plain",)).get_content().strip() == "News"
    html = message.get_body(("html",)).get_content()
    assert html.startswith('<p>News <img src="cid:logo"></p>') and SIGNATURE not in html  # no signature set
    parts = attachments_of(message)
    assert parts["logo.png"].get_content() == LOGO and parts["logo.png"]["Content-ID"] == "<logo>"
    assert parts["logo.png"].get_content_disposition() == "inline"
    assert parts["report.txt"].get_content().encode() == REPORT
    assert parts["report.txt"].get_content_disposition() == "attachment"

    assert [(e.email_address, e.send_type) for e in emails] == [
        (a, t) for addresses, t in ((to, TO), (cc, CC), (bcc, BCC)) for a in addresses]
    assert all(e.state == campaign_pb2.CampaignEmail.STATE_SENT for e in emails)
    assert {e.email.message_id for e in emails} == {message["Message-ID"]}
    assert emails[1].full_name == "Dave" and emails[1].contact == dave
    assert emails[3].full_name == "Bob Agent" and emails[3].agent == made.members[BOB].name
    assert list(emails[0].email.bcc) == bcc and emails[0].email.send_time.seconds > 0


async def test_individual_emails_render_per_recipient_with_signature(database_url, smtp, files_site):
    async with sending_server(database_url, smtp, attachment_url_allow_private=True) as harness:
        made = await make_brand(harness, ALICE, lists=["Buyers"], contacts=CONTACTS, members=[
            {"email": BOB, "display_name": "Bob Agent", "email_signature": SIGNATURE}])
        campaign = await schedule(  # scheduled by Alice, sent as Bob (with Bob's signature)
            harness, made.name, ALICE, sender=made.members[BOB].name, individual=True, include_signature=True,
            subject='Hi {{recipient.display_name or "there"}}',
            html='<p>Dear {{recipient.display_name or "there"}}, from {{sender.display_name}}</p>',
            text='Dear {{recipient.display_name or "there"}}, from {{sender.display_name}} {{recipient.nope}}.',
            recipients=[R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS),
                        R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email="solo@y.com", send_type=CC),
                        R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=made.members[BOB].name, send_type=BCC)],
            attachments=[campaign_pb2.EmailAttachment(url=f"{files_site}/files/report.txt", filename="r.txt")])
        done = await wait_state(harness, campaign.name, ALICE)
        emails = await campaign_emails(harness, campaign.name, ALICE)

    assert done.state == State.STATE_EXECUTED and done.sent == 6 and done.recipients_count == 6, done
    by_address = {r.rcpt_tos[0]: r for r in smtp.received}
    assert len(smtp.received) == 6 and all(len(r.rcpt_tos) == 1 for r in smtp.received)
    names = {"carol@x.com": "Carol", "dave@x.com": "Dave", "erin@x.com": "Erin", "frank@x.com": "Frank <Boss>",
             "solo@y.com": "", BOB: "Bob Agent"}
    assert set(by_address) == set(names)
    for address, name in names.items():
        message = by_address[address].message
        assert message["To"] == address and message["Cc"] is None and message["Bcc"] is None
        assert message["Subject"] == f"Hi {name or 'there'}"
        assert message.get_body(("plain",)).get_content().strip() == f"Dear {name or 'there'}, from Bob Agent ."
        html = message.get_body(("html",)).get_content()
        escaped = name.replace("<", "&lt;").replace(">", "&gt;")
        assert html.startswith(f"<p>Dear {escaped or 'there'}, from Bob Agent</p>") and SIGNATURE in html
        assert attachments_of(message)["r.txt"].get_content().encode() == REPORT
    assert len({r.message_id for r in smtp.received}) == 6
    assert {e.email_address: e.email.message_id for e in emails} == {a: r.message_id for a, r in by_address.items()}
    assert {e.email_address: e.email.subject for e in emails}["solo@y.com"] == "Hi there"
