"""Building the MIME message and the SMTP sender against a real SMTP server (URL attachments: test_url_fetch.py)."""
from __future__ import annotations

import pytest

from chatsvc.mail.mime import build_message, envelope_recipients
from chatsvc.mail.outgoing import OutgoingAttachment, OutgoingEmail, SendError
from chatsvc.mail.smtp import SmtpSender, SmtpSettings
from tests.campaigns.fake_smtp import FakeSmtp

PNG = bytes(range(200))
PDF = b"%PDF-1.4 " * 40


def email(**changes) -> OutgoingEmail:
    values = dict(message_id="<m1@example.com>", from_name="Ann Agent", from_address="ann@example.com",
                  to=("to@y.com",), cc=("cc@y.com",), bcc=("bcc@y.com", "to@y.com"), subject="Open house",
                  html='<p>Hi <img src="cid:logo"></p>', text="Hi", in_reply_to="orig@example.org",
                  attachments=(OutgoingAttachment("logo.png", "image/png", PNG, is_inline=True, content_id="logo"),
                               OutgoingAttachment("flyer.pdf", "application/pdf", PDF)),
                  extra_headers={"X-Campaign": "c1", "Bcc": "sneaky@y.com", "X-Bad\nName": "v"})
    return OutgoingEmail(**{**values, **changes})


def test_headers_structure_and_no_bcc_header():
    message = build_message(email())
    assert str(message["From"]) == "Ann Agent <ann@example.com>"
    assert (message["To"], message["Cc"], message["Bcc"]) == ("to@y.com", "cc@y.com", None)
    assert message["Message-ID"] == "<m1@example.com>" and message["Date"]
    assert message["In-Reply-To"] == message["References"] == "<orig@example.org>"
    assert message["X-Campaign"] == "c1" and message.get_content_type() == "multipart/mixed"
    alternative, pdf = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.iter_parts()
    assert plain.get_content().strip() == "Hi" and related.get_content_type() == "multipart/related"
    html, logo = related.iter_parts()
    assert 'cid:logo' in html.get_content()
    assert logo["Content-ID"] == "<logo>" and logo.get_content() == PNG and logo.get_filename() == "logo.png"
    assert pdf.get_content_disposition() == "attachment" and pdf.get_content() == PDF


def test_a_text_only_message_and_header_injection():
    message = build_message(email(html="", attachments=(), subject="Hi\r\nBcc: x@evil.com", from_name="A\nB"))
    assert message.get_content_type() == "text/plain" and "Bcc" not in message
    assert message["Subject"] == "Hi  Bcc: x@evil.com" and "\n" not in str(message["From"])


def test_inline_attachments_without_html_become_regular_ones():
    message = build_message(email(html=""))
    assert {p.get_filename(): p.get_content_disposition() for p in message.iter_attachments()} == {
        "logo.png": "attachment", "flyer.pdf": "attachment"}


def test_envelope_recipients_are_every_address_once():
    assert envelope_recipients(email()) == ["to@y.com", "cc@y.com", "bcc@y.com"]


@pytest.fixture
def smtp():
    with FakeSmtp() as server:
        yield server


def sender(smtp: FakeSmtp) -> SmtpSender:
    return SmtpSender(SmtpSettings("127.0.0.1", smtp.port, timeout_seconds=2))


async def test_smtp_sends_to_the_envelope_and_reuses_its_connection(smtp):
    smtp_sender = sender(smtp)
    try:
        assert await smtp_sender.send(email())
        assert await smtp_sender.send(email(message_id="<m2@example.com>"))
    finally:
        await smtp_sender.close()
    first, second = smtp.received
    assert first.mail_from == "ann@example.com" and first.rcpt_tos == ("to@y.com", "cc@y.com", "bcc@y.com")
    assert first.message["Bcc"] is None and second.message_id == "<m2@example.com>"
    assert await smtp_sender.find_sent("<m1@example.com>") is None  # SMTP cannot tell


@pytest.mark.parametrize("reply, transient", [("451 4.3.0 later", True), ("421 4.7.0 busy", True),
                                              ("550 5.1.1 unknown", False), ("554 5.7.1 spam", False)])
async def test_smtp_replies_are_classified(smtp, reply, transient):
    smtp.replies = [reply]
    smtp_sender = sender(smtp)
    with pytest.raises(SendError) as caught:
        await smtp_sender.send(email())
    assert caught.value.transient is transient and reply.split()[0] in caught.value.message
    assert await smtp_sender.send(email())  # the next message opens a fresh connection
    await smtp_sender.close()


async def test_smtp_server_down_is_transient(smtp):
    smtp.stop()
    with pytest.raises(SendError) as caught:
        await sender(smtp).send(email())
    assert caught.value.transient and "unreachable" in caught.value.message


def test_smtp_tls_setting_is_checked():
    with pytest.raises(ValueError):
        SmtpSettings("h", 25, tls="ssl")
