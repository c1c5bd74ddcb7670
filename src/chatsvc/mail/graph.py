"""Sending through a connected Microsoft account with Microsoft Graph (sendMail, or reply to a message).

Graph takes the message as JSON, not MIME: one body (HTML when there is any, else text), recipients,
attachments as base64 fileAttachments, and only custom `X-` headers (Graph refuses others). The sender is
the connected mailbox itself (no `from`: another address would need send-as rights). sendMail answers
202 with no id, so `send` returns "" and `find_sent` cannot tell whether a message went out (None)."""
from __future__ import annotations

import base64
import urllib.parse

from chatsvc.mail import http_errors
from chatsvc.mail.bearer_client import BearerClient
from chatsvc.mail.outgoing import OutgoingAttachment, OutgoingEmail

PROVIDER = "Microsoft Graph"


def _recipients(addresses: tuple[str, ...]) -> list[dict]:
    return [{"emailAddress": {"address": address}} for address in addresses]


def _attachment(attachment: OutgoingAttachment) -> dict:
    item = {"@odata.type": "#microsoft.graph.fileAttachment", "name": attachment.filename,
            "contentType": attachment.mime_type,
            "contentBytes": base64.b64encode(attachment.content).decode("ascii"),
            "isInline": attachment.is_inline}
    if attachment.content_id:
        item["contentId"] = attachment.content_id
    return item


def graph_message(email: OutgoingEmail) -> dict:
    body = {"contentType": "HTML", "content": email.html} if email.html else {"contentType": "Text",
                                                                              "content": email.text}
    message = {"subject": email.subject, "body": body, "toRecipients": _recipients(email.to),
               "ccRecipients": _recipients(email.cc), "bccRecipients": _recipients(email.bcc)}
    if email.message_id:
        message["internetMessageId"] = email.message_id
    if email.attachments:
        message["attachments"] = [_attachment(a) for a in email.attachments]
    custom = [{"name": name, "value": value} for name, value in email.extra_headers.items()
              if name.lower().startswith("x-")]
    if custom:
        message["internetMessageHeaders"] = custom
    return message


class GraphSender(BearerClient):
    def __init__(self, mail_api_url: str, access_token: str, timeout: float):
        super().__init__(access_token, timeout)
        self._base = mail_api_url.rstrip("/")

    async def send(self, email: OutgoingEmail) -> str:
        message = graph_message(email)
        if email.reply_to_message_id:  # a reply joins the original's conversation
            url = f"{self._base}/messages/{urllib.parse.quote(email.reply_to_message_id, safe='')}/reply"
            payload = {"message": message}
            what = "reply"
        else:
            url = f"{self._base}/sendMail"
            payload = {"message": message, "saveToSentItems": True}
            what = "send"
        async with http_errors.calls(PROVIDER, what):
            response = await self.client().post(url, json=payload)
        http_errors.check(PROVIDER, what, response)
        return ""

    async def find_sent(self, message_id: str) -> str | None:
        return None  # sendMail returns no id to look for; a message in doubt is sent again
