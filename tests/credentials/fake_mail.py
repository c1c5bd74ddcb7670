"""The mailbox half of the fake provider: Gmail API (send, search by Message-ID, modify, batchModify, trash)
and Microsoft Graph (sendMail, reply), on the same fake server as the OAuth endpoints.

Every call needs a live access token the fake issued (401 otherwise) and is recorded in `calls`.
`failures` holds HTTP statuses the next calls answer instead (one per call, in order); `delay` slows each."""
from __future__ import annotations

import asyncio
import base64
import json
import secrets
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiohttp import web


@dataclass
class MailCall:
    provider: str
    method: str
    path: str
    token: str
    body: dict | None
    query: dict = field(default_factory=dict)  # the URL's parameters (e.g. a search's `q`)


@dataclass
class GmailMessage:
    id: str
    thread_id: str
    labels: set[str]
    raw: bytes = b""  # the bytes as sent; empty for a message seeded into the mailbox
    account: str = ""

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)


@dataclass
class GraphSend:
    account: str
    message: dict
    save_to_sent_items: bool | None
    reply_to: str = ""  # the id replied to, for /messages/{id}/reply


@dataclass
class FakeMail:
    calls: list[MailCall] = field(default_factory=list)
    gmail: dict[str, GmailMessage] = field(default_factory=dict)
    graph_sent: list[GraphSend] = field(default_factory=list)
    graph_messages: set[str] = field(default_factory=set)  # ids a reply may refer to
    failures: list[int] = field(default_factory=list)
    # Statuses the next Gmail sends answer AFTER storing the message: accepted, but the caller hears an
    # error (as when an answer is lost), so only a lookup by Message-ID can tell it went out.
    lost_answers: list[int] = field(default_factory=list)
    delay: float = 0.0

    def seed_gmail(self, *ids: str, labels=("INBOX", "UNREAD")) -> None:
        for message_id in ids:
            self.gmail[message_id] = GmailMessage(message_id, "thread-" + message_id, set(labels))

    def gmail_sent(self) -> list[GmailMessage]:
        return [m for m in self.gmail.values() if m.raw]

    def send_calls(self) -> list[MailCall]:
        return [c for c in self.calls if c.path.endswith(("/messages/send", "/sendMail", "/reply"))]


def add_routes(app: web.Application, mail: FakeMail, live_tokens: dict) -> None:
    """`live_tokens`: access token -> grant (with `.account.email`), the fake provider's own table."""

    def handler(provider: str, work):
        async def handle(request: web.Request) -> web.StreamResponse:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            body = await request.json() if request.can_read_body else None
            mail.calls.append(MailCall(provider, request.method, request.path, token, body, dict(request.query)))
            if mail.delay:
                await asyncio.sleep(mail.delay)
            if mail.failures:
                status = mail.failures.pop(0)
                return web.json_response({"error": {"code": status, "message": "injected failure"}}, status=status)
            if scheme != "Bearer" or token not in live_tokens:
                return web.json_response({"error": {"code": 401, "message": "Invalid Credentials"}}, status=401)
            return await work(request, body or {}, live_tokens[token].account.email)
        return handle

    def not_found() -> web.Response:
        return web.json_response({"error": {"code": 404, "message": "Requested entity was not found."}},
                                 status=404)

    async def gmail_send(request, body, account):
        raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
        message_id = "gm-" + secrets.token_hex(6)
        thread_id = body.get("threadId") or "th-" + secrets.token_hex(6)
        mail.gmail[message_id] = GmailMessage(message_id, thread_id, {"SENT"}, raw, account)
        if mail.lost_answers:
            status = mail.lost_answers.pop(0)
            return web.json_response({"error": {"code": status, "message": "answer lost"}}, status=status)
        return web.json_response({"id": message_id, "threadId": thread_id, "labelIds": ["SENT"]})

    async def gmail_search(request, body, account):
        query = request.query.get("q", "")
        if not query.startswith("rfc822msgid:"):
            return web.json_response({"error": {"code": 400, "message": "unsupported query"}}, status=400)
        wanted = query.removeprefix("rfc822msgid:").strip("<>")
        found = [m for m in mail.gmail.values() if m.raw and str(m.message["Message-ID"]).strip("<>") == wanted]
        if not found:
            return web.json_response({"resultSizeEstimate": 0})
        return web.json_response({"messages": [{"id": m.id, "threadId": m.thread_id} for m in found],
                                  "resultSizeEstimate": len(found)})

    def relabel(message: GmailMessage, body: dict) -> None:
        message.labels |= set(body.get("addLabelIds") or ())
        message.labels -= set(body.get("removeLabelIds") or ())

    async def gmail_modify(request, body, account):
        message = mail.gmail.get(request.match_info["id"])
        if message is None:
            return not_found()
        relabel(message, body)
        return web.json_response({"id": message.id, "labelIds": sorted(message.labels)})

    async def gmail_batch_modify(request, body, account):
        ids = body.get("ids") or []
        if not ids or len(ids) > 1000 or any(i not in mail.gmail for i in ids):
            return web.json_response({"error": {"code": 400, "message": "Invalid id value"}}, status=400)
        for message_id in ids:
            relabel(mail.gmail[message_id], body)
        return web.Response(status=204)

    async def gmail_trash(request, body, account):
        message = mail.gmail.get(request.match_info["id"])
        if message is None:
            return not_found()
        message.labels.add("TRASH")
        return web.json_response({"id": message.id, "labelIds": sorted(message.labels)})

    async def graph_send(request, body, account):
        message = body.get("message")
        if not isinstance(message, dict) or not message.get("toRecipients") and not message.get("bccRecipients"):
            return web.json_response({"error": {"code": "ErrorInvalidRecipients", "message": "no recipients"}},
                                     status=400)
        mail.graph_sent.append(GraphSend(account, message, body.get("saveToSentItems")))
        return web.Response(status=202)

    async def graph_reply(request, body, account):
        if request.match_info["id"] not in mail.graph_messages:
            return web.json_response({"error": {"code": "ErrorItemNotFound", "message": "not found"}}, status=404)
        mail.graph_sent.append(GraphSend(account, body.get("message") or {}, None, request.match_info["id"]))
        return web.Response(status=202)

    app.router.add_post("/google/mail/messages/send", handler("google", gmail_send))
    app.router.add_get("/google/mail/messages", handler("google", gmail_search))
    app.router.add_post("/google/mail/messages/batchModify", handler("google", gmail_batch_modify))
    app.router.add_post("/google/mail/messages/{id}/modify", handler("google", gmail_modify))
    app.router.add_post("/google/mail/messages/{id}/trash", handler("google", gmail_trash))
    app.router.add_post("/microsoft/mail/sendMail", handler("microsoft", graph_send))
    app.router.add_post("/microsoft/mail/messages/{id}/reply", handler("microsoft", graph_reply))


def dump(value) -> str:  # for assertion messages
    return json.dumps(value, indent=1, default=str)[:2000]
