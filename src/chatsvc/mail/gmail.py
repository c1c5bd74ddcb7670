"""Sending through a connected Google account with the Gmail API (users.messages.send, raw MIME)."""
from __future__ import annotations

import base64

from chatsvc.mail import http_errors
from chatsvc.mail.bearer_client import BearerClient
from chatsvc.mail.mime import build_message
from chatsvc.mail.outgoing import OutgoingEmail, SendError

PROVIDER = "Gmail"


def raw_message(email: OutgoingEmail) -> str:
    """The message as the API's `raw` field wants it: base64url of the RFC 5322 bytes. Gmail reads Bcc from
    the headers (and removes it before delivery), so it is kept here even if the SMTP path leaves it out."""
    message = build_message(email)
    if email.bcc and "Bcc" not in message:
        message["Bcc"] = ", ".join(email.bcc)
    return base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")


def search_id(message_id: str) -> str:
    """A Message-ID as Gmail's `rfc822msgid:` search term: without the angle brackets."""
    return message_id.strip().removeprefix("<").removesuffix(">")


class GmailSender(BearerClient):
    def __init__(self, mail_api_url: str, access_token: str, timeout: float):
        super().__init__(access_token, timeout)
        self._base = mail_api_url.rstrip("/")

    async def send(self, email: OutgoingEmail) -> str:
        body = {"raw": raw_message(email)}
        if email.thread_id:
            body["threadId"] = email.thread_id
        async with http_errors.calls(PROVIDER, "send"):
            response = await self.client().post(f"{self._base}/messages/send", json=body)
        answer = http_errors.json_body(PROVIDER, "send", http_errors.check(PROVIDER, "send", response))
        provider_id = answer.get("id")
        if not isinstance(provider_id, str) or not provider_id:
            raise SendError(f"{PROVIDER} accepted the message but sent no id for it", transient=False)
        return provider_id

    async def find_sent(self, message_id: str) -> str | None:
        """Looks the Message-ID up in the mailbox (sent mail included, trash and spam too: a message the
        user already binned was still sent)."""
        params = {"q": f"rfc822msgid:{search_id(message_id)}", "includeSpamTrash": "true", "maxResults": "1"}
        async with http_errors.calls(PROVIDER, "search"):
            response = await self.client().get(f"{self._base}/messages", params=params)
        answer = http_errors.json_body(PROVIDER, "search", http_errors.check(PROVIDER, "search", response))
        for found in answer.get("messages") or ():
            if isinstance(found, dict) and isinstance(found.get("id"), str) and found["id"]:
                return found["id"]
        return None
