"""Helpers of the REST conformance tests: raw HTTP calls to a real server's REST surface, Google's error
envelope taken apart (and checked for its exact shape), tokens that a method's scope rule accepts, and made-up
resource paths for any binding."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
import grpc
import pytest
from multidict import CIMultiDictProxy
from yarl import URL

from chatsvc.auth.scopes import ADMIN, APP, USER, rule_for
from chatsvc.http.bindings import Binding, service_bindings
from chatsvc.http.discovery import CHAT, OWN_SERVICES
from tests.conftest import BACKENDS, fresh_database_url, serving

SERVICES = (CHAT, *OWN_SERVICES)
CHAT_SCOPES = ("chat.spaces", "chat.memberships", "chat.messages")
STATUS_NAMES = {code.name for code in grpc.StatusCode}


@pytest.fixture(scope="module", params=BACKENDS)
async def rest_server(request, tmp_path_factory):
    """One server per backend per test module (a database per test would cost more than the cases); every
    case makes its own resources."""
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("rest")) as url,
                serving(url) as harness):
        yield harness


def all_bindings() -> list[Binding]:
    return [binding for service in SERVICES for binding in service_bindings(service)]


def is_streaming(binding: Binding) -> bool:
    return binding.method.client_streaming or binding.method.server_streaming


@dataclass
class Reply:
    status: int
    headers: CIMultiDictProxy
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self) -> str:  # what a failed assertion shows
        return f"Reply({self.status}, {self.body[:600]!r})"


async def call(server, method: str, path: str, *, token: str | None = None, query: str = "", body=None,
               data: bytes | None = None, headers: dict | None = None) -> Reply:
    """One HTTP request to the server's REST surface. `path` and `query` are sent exactly as written (no
    re-encoding: `%2F` stays `%2F`); `body` is sent as JSON, `data` as raw bytes."""
    headers = dict(headers or {})
    if token is not None:
        headers.setdefault("Authorization", f"Bearer {token}")
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    url = URL(f"{server.media_url}{path}" + (f"?{query}" if query else ""), encoded=True)
    async with (aiohttp.ClientSession() as session,
                session.request(method, url, data=data, headers=headers, allow_redirects=False) as response):
        return Reply(response.status, response.headers, await response.read())


def envelope(reply: Reply, status: int | None = None) -> dict:
    """The details of Google's JSON error in `reply`, by type name ({"ErrorInfo": {...}, "BadRequest": ...}),
    after checking the envelope's exact shape: {"error": {"code", "message", "status", "details"}}, code the
    HTTP status, an ErrorInfo of our domain always there."""
    assert reply.status >= 400, reply
    if status is not None:
        assert reply.status == status, reply
    assert reply.headers["Content-Type"].startswith("application/json"), reply.headers
    document = reply.json
    assert list(document) == ["error"], document
    error = document["error"]
    assert set(error) == {"code", "message", "status", "details"}, error
    assert error["code"] == reply.status and error["status"] in STATUS_NAMES and error["message"], error
    details = {}
    for detail in error["details"]:
        kind = detail["@type"]
        assert kind.startswith("type.googleapis.com/google.rpc."), detail
        details[kind.rsplit(".", 1)[1]] = detail
    assert details["ErrorInfo"]["domain"] == "chat.googleapis.com", details
    details["status"] = error["status"]
    details["message"] = error["message"]
    return details


def reached(reply: Reply) -> str:
    """The method an error says it came from (ErrorInfo metadata `method`)."""
    return envelope(reply)["ErrorInfo"]["metadata"]["method"]


def token_for(server, full_method: str) -> str:
    """A token of a caller that the method's rule admits: a user with every scope it takes, else an app, else
    an administrator."""
    rule = rule_for(full_method)
    if USER in rule.kinds:
        return server.token(user="rest-routes@example.com", scopes=sorted(rule.scopes_for(USER)))
    if APP in rule.kinds:
        return server.token(app="rest-routes-app", scopes=sorted(rule.scopes_for(APP)))
    assert ADMIN in rule.kinds
    return server.token(user="rest-admin@example.com", scopes=sorted(rule.scopes_for(ADMIN)), admin=True)


def fake_path(binding: Binding) -> str:
    """The binding's path with a made-up id in every wildcard (`/v1/spaces/fake1/messages/fake3`)."""
    template = binding.template
    parts = [segment.literal if segment.literal is not None else f"fake{index}"
             for index, segment in enumerate(template.segments)]
    return "/" + "/".join(parts) + (f":{template.verb}" if template.verb else "")


def user_token(server, email: str = "alice@example.com", scopes=CHAT_SCOPES, **kwargs) -> str:
    return server.token(user=email, scopes=scopes, **kwargs)


async def new_space(server, token: str, **fields) -> dict:
    reply = await call(server, "POST", "/v1/spaces", token=token,
                       body={"displayName": f"REST {uuid.uuid4().hex[:8]}", "spaceType": "SPACE", **fields})
    assert reply.status == 200, reply
    return reply.json


async def new_message(server, token: str, space: str, text: str = "hello", query: str = "") -> dict:
    reply = await call(server, "POST", f"/v1/{space}/messages", token=token, query=query, body={"text": text})
    assert reply.status == 200, reply
    return reply.json


def q(value: str) -> str:
    """A query parameter's value percent-encoded."""
    return quote(value, safe="")
