"""The Gmail API and Microsoft Graph senders against the fake provider: what goes over the wire, replies and
threads, attachments, how failures are classified, and finding a sent message again; and ProviderSenders
choosing and checking a campaign's credential."""
from __future__ import annotations

import base64

import pytest

from chatsvc.credentials.v1 import credential_service_pb2 as cred_pb
from chatsvc.domain.errors import FailedPrecondition
from chatsvc.mail.gmail import GmailSender
from chatsvc.mail.graph import GraphSender
from chatsvc.mail.outgoing import OutgoingAttachment, OutgoingEmail, SendError
from chatsvc.mail.providers import ProviderSenders
from tests.credentials.conftest import MICROSOFT
from tests.credentials.fake_provider import Account, Grant

LOGO = bytes(range(256)) * 3
PDF = b"%PDF-1.4 fake document\n" * 20


def email(**changes) -> OutgoingEmail:
    values = dict(message_id="<c1.m1@mail.example.com>", from_name="Ada Agent", from_address="agent@example.com",
                  to=("to@example.net",), cc=("cc@example.net",), bcc=("bcc@example.net",), subject="Open house",
                  html='<p>Hi <img src="cid:logo1"></p>', text="Hi",
                  attachments=(OutgoingAttachment("logo.png", "image/png", LOGO, is_inline=True, content_id="logo1"),
                               OutgoingAttachment("flyer.pdf", "application/pdf", PDF)),
                  extra_headers={"X-Campaign": "c1", "Feedback-ID": "brand:c1"})
    return OutgoingEmail(**{**values, **changes})


def token(fake) -> str:
    return fake._issue(Grant("https://www.googleapis.com/auth/gmail.send", "", Account()))["access_token"]


def gmail(fake, access: str | None = None, timeout: float = 2.0) -> GmailSender:
    return GmailSender(fake.endpoints("google").mail_api_url, access or token(fake), timeout)


def graph(fake, access: str | None = None, timeout: float = 2.0) -> GraphSender:
    return GraphSender(fake.endpoints("microsoft").mail_api_url, access or token(fake), timeout)


async def test_gmail_sends_the_raw_mime_with_bcc_attachments_and_reply_headers(fake):
    sent_id = await gmail(fake).send(email(in_reply_to="<orig@example.net>"))
    [stored] = fake.mail.gmail_sent()
    assert stored.id == sent_id and stored.account == "agent@example.com"
    message = stored.message
    assert (message["To"], message["Cc"], message["Bcc"]) == ("to@example.net", "cc@example.net", "bcc@example.net")
    assert message["Subject"] == "Open house" and message["Message-ID"] == "<c1.m1@mail.example.com>"
    assert message["In-Reply-To"] == message["References"] == "<orig@example.net>"
    assert message["X-Campaign"] == "c1" and str(message["From"]) == "Ada Agent <agent@example.com>"
    assert message.get_body(("plain",)).get_content().strip() == "Hi"
    assert 'src="cid:logo1"' in message.get_body(("html",)).get_content()
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert parts["logo.png"].get_content() == LOGO and parts["logo.png"]["Content-ID"] == "<logo1>"
    assert parts["flyer.pdf"].get_content() == PDF and parts["flyer.pdf"].get_content_disposition() == "attachment"
    assert "threadId" not in fake.mail.calls[-1].body


async def test_gmail_joins_the_thread_given(fake):
    await gmail(fake).send(email(thread_id="thread-77", attachments=()))
    assert fake.mail.calls[-1].body["threadId"] == "thread-77"
    assert fake.mail.gmail_sent()[0].thread_id == "thread-77"


async def test_gmail_finds_a_sent_message_by_its_message_id(fake):
    sender = gmail(fake)
    assert await sender.find_sent("<c1.m1@mail.example.com>") is None
    sent_id = await sender.send(email())
    assert await sender.find_sent("<c1.m1@mail.example.com>") == sent_id
    assert await sender.find_sent("<c1.m2@mail.example.com>") is None
    search = fake.mail.calls[-1]
    assert search.method == "GET" and search.path.endswith("/messages")


async def test_graph_sends_json_with_attachments_and_custom_headers_only(fake):
    assert await graph(fake).send(email()) == ""
    [call] = fake.mail.calls
    assert call.path.endswith("/sendMail") and call.body["saveToSentItems"] is True
    message = fake.mail.graph_sent[0].message
    assert message["subject"] == "Open house"
    assert message["body"] == {"contentType": "HTML", "content": '<p>Hi <img src="cid:logo1"></p>'}
    assert [r["emailAddress"]["address"] for r in message["toRecipients"]] == ["to@example.net"]
    assert [r["emailAddress"]["address"] for r in message["ccRecipients"]] == ["cc@example.net"]
    assert [r["emailAddress"]["address"] for r in message["bccRecipients"]] == ["bcc@example.net"]
    assert message["internetMessageHeaders"] == [{"name": "X-Campaign", "value": "c1"}]
    assert message["internetMessageId"] == "<c1.m1@mail.example.com>"
    logo, flyer = message["attachments"]
    assert base64.b64decode(logo["contentBytes"]) == LOGO and logo["isInline"] and logo["contentId"] == "logo1"
    assert base64.b64decode(flyer["contentBytes"]) == PDF and not flyer["isInline"] and "contentId" not in flyer
    assert flyer["@odata.type"] == "#microsoft.graph.fileAttachment" and flyer["contentType"] == "application/pdf"


async def test_graph_text_only_body_and_reply(fake):
    fake.mail.graph_messages.add("AAMk/orig+1=")
    await graph(fake).send(email(html="", reply_to_message_id="AAMk/orig+1=", attachments=()))
    reply = fake.mail.graph_sent[0]
    assert reply.reply_to == "AAMk/orig+1=" and reply.message["body"] == {"contentType": "Text", "content": "Hi"}
    assert fake.mail.calls[-1].path.endswith("/reply")
    with pytest.raises(SendError) as caught:  # replying to a message the mailbox does not have
        await graph(fake).send(email(reply_to_message_id="missing"))
    assert not caught.value.transient and "404" in caught.value.message


async def test_graph_cannot_find_sent_messages(fake):
    assert await graph(fake).find_sent("<c1.m1@mail.example.com>") is None
    assert fake.mail.calls == []


@pytest.mark.parametrize("status, transient", [(503, True), (500, True), (429, True), (400, False), (403, False)])
async def test_http_statuses_are_classified(fake, status, transient):
    for sender in (gmail(fake), graph(fake)):
        fake.mail.failures.append(status)
        with pytest.raises(SendError) as caught:
            await sender.send(email())
        assert caught.value.transient is transient and str(status) in caught.value.message
    assert fake.mail.gmail_sent() == [] and fake.mail.graph_sent == []


async def test_a_refused_token_is_permanent_and_says_so(fake):
    for sender in (gmail(fake, "not-a-token"), graph(fake, "not-a-token")):
        with pytest.raises(SendError) as caught:
            await sender.send(email())
        assert not caught.value.transient and "401" in caught.value.message
        assert "connect the account again" in caught.value.message


async def test_timeouts_and_unreachable_servers_are_transient(fake):
    fake.mail.delay = 0.5
    with pytest.raises(SendError) as caught:
        await gmail(fake, timeout=0.1).send(email())
    assert caught.value.transient and "in time" in caught.value.message
    fake.mail.delay = 0
    unreachable = GraphSender("http://127.0.0.1:9/v1.0/me", "t", 1.0)  # port 9 (discard): nothing listens
    with pytest.raises(SendError) as caught:
        await unreachable.send(email())
    assert caught.value.transient


async def test_provider_senders_check_the_credential_every_time(mail_env):
    google = await mail_env.credentials.connect()
    microsoft = await mail_env.credentials.connect(provider=MICROSOFT, scopes=("mail.read",))
    user_id = google.name.split("/")[1]
    senders = ProviderSenders(mail_env.harness.running.credentials,
                              {p: mail_env.fake.endpoints(p) for p in ("google", "microsoft")}, 2.0)
    sender = await senders.for_campaign(user_id, google.name.rsplit("/", 1)[1], "")
    assert isinstance(sender, GmailSender)
    assert await sender.send(email(attachments=())) == mail_env.fake.mail.gmail_sent()[0].id

    with pytest.raises(FailedPrecondition) as caught:  # the Microsoft account may not send
        await senders.for_campaign(user_id, "", microsoft.name.rsplit("/", 1)[1])
    assert caught.value.reason == "CREDENTIAL_SCOPE_MISSING"
    with pytest.raises(FailedPrecondition) as caught:  # a Microsoft id is no Google credential
        await senders.for_campaign(user_id, microsoft.name.rsplit("/", 1)[1], "")
    assert caught.value.reason == "CREDENTIAL_NOT_FOUND"
    with pytest.raises(FailedPrecondition) as caught:  # someone else's
        await senders.for_campaign("someone-else", google.name.rsplit("/", 1)[1], "")
    assert caught.value.reason == "CREDENTIAL_NOT_FOUND"

    await mail_env.credentials.stub.RevokeCredential(cred_pb.RevokeCredentialRequest(name=google.name),
                                                     metadata=mail_env.credentials.md())
    with pytest.raises(FailedPrecondition) as caught:
        await senders.for_campaign(user_id, google.name.rsplit("/", 1)[1], "")
    assert caught.value.reason == "CREDENTIAL_REVOKED"
    with pytest.raises(ValueError):
        await senders.for_campaign(user_id, "", "")


async def test_provider_senders_build_graph_senders(mail_env):
    microsoft = await mail_env.credentials.connect(provider=MICROSOFT)
    senders = ProviderSenders(mail_env.harness.running.credentials,
                              {p: mail_env.fake.endpoints(p) for p in ("google", "microsoft")}, 2.0)
    sender = await senders.for_campaign(microsoft.name.split("/")[1], "", microsoft.name.rsplit("/", 1)[1])
    assert isinstance(sender, GraphSender)
    await sender.send(email(attachments=()))
    assert mail_env.fake.mail.graph_sent[0].account == "agent@example.com"
