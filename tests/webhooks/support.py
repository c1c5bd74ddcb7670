"""Helpers of the webhook tests: a space with a manager (alice, its creator) and a member (bob), the webhook
service's stub, raw HTTP posts to a webhook URL as any script would send them, and Google's error envelope taken
apart."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import aiohttp
from google.chat.v1 import membership_pb2, message_pb2, space_pb2
from google.protobuf import field_mask_pb2
from yarl import URL

from chatsvc.webhooks.v1 import webhook_pb2, webhook_service_pb2, webhook_service_pb2_grpc

CHAT_SCOPES = ("chat.spaces", "chat.memberships", "chat.messages")
MANAGE = (*CHAT_SCOPES, "chatsvc.webhooks")
ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"


@dataclass
class Reply:
    status: int
    headers: object
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body[:600]!r})"


def stub(server) -> webhook_service_pb2_grpc.WebhookServiceStub:
    return webhook_service_pb2_grpc.WebhookServiceStub(server.channel)


def md(server, email: str, scopes=MANAGE):
    return server.md(user=email, scopes=scopes)


async def space_of_alice_with_bob(server, **space_fields) -> str:
    """A named space alice created (she is its owner); bob is a member. Returns its name."""
    alice = md(server, ALICE)
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name=f"Ops {uuid.uuid4().hex[:8]}", **space_fields)),
        metadata=alice)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": f"users/{BOB}"})), metadata=alice)
    return space.name


async def set_role(server, space: str, email: str, role) -> None:
    await server.chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
        membership=membership_pb2.Membership(name=f"{space}/members/{email}", role=role),
        update_mask=field_mask_pb2.FieldMask(paths=["role"])), metadata=md(server, ALICE))


async def create_webhook(server, space: str, name: str = "Deploy bot", avatar_url: str = "",
                         caller: str = ALICE) -> webhook_pb2.Webhook:
    return await stub(server).CreateWebhook(webhook_service_pb2.CreateWebhookRequest(
        parent=space, webhook=webhook_pb2.Webhook(display_name=name, avatar_url=avatar_url)),
        metadata=md(server, caller))


async def http(method: str, url: str, *, body=None, headers: dict | None = None) -> Reply:
    """One HTTP request, the URL sent exactly as written (no re-encoding), `body` as JSON."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json; charset=UTF-8")
    async with (aiohttp.ClientSession() as session,
                session.request(method, URL(url, encoded=True), data=data, headers=headers) as response):
        return Reply(response.status, response.headers, await response.read())


async def post(url: str, body, *, query: str = "", headers: dict | None = None) -> Reply:
    """What a script does with a webhook URL: POST a JSON message to it (`query` appended, e.g. a threadKey)."""
    return await http("POST", url + (f"&{query}" if query else ""), body=body, headers=headers)


def with_token(url: str, token: str) -> str:
    base, _, _ = url.rpartition("&token=")
    return f"{base}&token={token}"


def url_parts(url: str) -> tuple[str, str, str]:
    """(the URL without its query, key, token)."""
    parsed = URL(url, encoded=True)
    return str(parsed.with_query(None)), parsed.query["key"], parsed.query["token"]


def envelope(reply: Reply, status: int) -> dict:
    """Google's JSON error of `reply`, checked for its exact shape; its details by type name, plus `status`."""
    assert reply.status == status, reply
    assert reply.headers["Content-Type"].startswith("application/json"), reply.headers
    document = reply.json
    assert list(document) == ["error"], document
    error = document["error"]
    assert set(error) == {"code", "message", "status", "details"}, error
    assert error["code"] == status and error["message"], error
    details = {d["@type"].rsplit(".", 1)[1]: d for d in error["details"]}
    assert details["ErrorInfo"]["domain"] == "chat.googleapis.com", details
    details["status"] = error["status"]
    return details


async def messages(server, space: str, email: str = ALICE) -> list[message_pb2.Message]:
    """Every message of the space, as a member reads it over gRPC."""
    found, token = [], ""
    while True:
        page = await server.chat.ListMessages(message_pb2.ListMessagesRequest(
            parent=space, page_size=1000, page_token=token), metadata=md(server, email))
        found += page.messages
        token = page.next_page_token
        if not token:
            return found
