"""Errors over REST: Google's envelope with its google.rpc details, Google's mapping of codes to HTTP statuses
(each provoked for real where the server can be made to answer it), 404 and 405 for paths and methods no route
has, 401 before anything else for a caller without a valid token, never a 5xx; and one log line per call, in
the format of a gRPC call's."""
from __future__ import annotations

import asyncio
import json
import logging
import socket
from urllib.parse import parse_qs, urlsplit

import grpc
import pytest
from google.chat.v1 import space_pb2
from google.rpc import status_pb2

from chatsvc.api import http_errors
from chatsvc.oauth.endpoints import ProviderEndpoints
from tests.conftest import serving
from tests.http import rest_support
from tests.http.rest_support import call, envelope, new_space, reached, user_token

rest_server = rest_support.rest_server  # the module's server, one per backend

CHAT = "/google.chat.v1.ChatService/"
GOOGLE_MAPPING = {
    "INVALID_ARGUMENT": 400, "FAILED_PRECONDITION": 400, "OUT_OF_RANGE": 400, "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403, "NOT_FOUND": 404, "ALREADY_EXISTS": 409, "ABORTED": 409, "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499, "UNKNOWN": 500, "INTERNAL": 500, "DATA_LOSS": 500, "UNIMPLEMENTED": 501, "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}


def test_every_code_has_googles_http_status():
    """The table REST answers by (501 cannot be provoked: every RPC is implemented)."""
    for code in grpc.StatusCode:
        if code is grpc.StatusCode.OK:
            continue
        response = http_errors.status_response(code, status_pb2.Status(code=code.value[0], message="m"))
        assert response.status == GOOGLE_MAPPING[code.name], code
        assert json.loads(response.body)["error"]["status"] == code.name


async def test_statuses_the_server_answers(rest_server):
    alice = user_token(rest_server, "err-alice@example.com")
    space = (await new_space(rest_server, alice))["name"]
    # 401: no token, with the challenge.
    reply = await call(rest_server, "GET", f"/v1/{space}")
    details = envelope(reply, 401)
    assert (details["status"], details["ErrorInfo"]["reason"]) == ("UNAUTHENTICATED", "CREDENTIALS_MISSING")
    assert reply.headers["WWW-Authenticate"] == "Bearer"
    # 403: a token without a scope the method takes.
    reply = await call(rest_server, "GET", f"/v1/{space}", token=rest_server.token(user="x@example.com",
                                                                                     scopes=("chat.bot",)))
    assert envelope(reply, 403)["ErrorInfo"]["reason"] in ("ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                                                          "APP_AUTHENTICATION_NOT_SUPPORTED")
    # 404 from the method (the route exists): not the URL's 404.
    reply = await call(rest_server, "GET", "/v1/spaces/AAAAnothere", token=alice)
    details = envelope(reply, 404)
    assert details["ErrorInfo"]["reason"] != "URL_NOT_FOUND" and reached(reply) == CHAT + "GetSpace"
    # 409: a client-assigned message id used twice.
    for expected in (200, 409):
        reply = await call(rest_server, "POST", f"/v1/{space}/messages", token=alice, query="messageId=client-twice",
                           body={"text": "once"})
        assert reply.status == expected, reply
    assert envelope(reply)["status"] == "ALREADY_EXISTS"
    # 400 for INVALID_ARGUMENT, with a BadRequest naming the field.
    reply = await call(rest_server, "POST", "/v1/spaces", token=alice, body={"spaceType": "SPACE"})
    details = envelope(reply, 400)
    assert details["status"] == "INVALID_ARGUMENT" and details["BadRequest"]["fieldViolations"][0]["field"]
    # 400 for FAILED_PRECONDITION: the last admin of a brand cannot leave it.
    admin = rest_server.token(user="err-admin@example.com", scopes=["chatsvc.directory"])
    brand = (await call(rest_server, "POST", "/v1/brands", token=admin, body={"displayName": "Errors"})).json["name"]
    [member] = (await call(rest_server, "GET", f"/v1/{brand}/members", token=admin)).json["members"]
    reply = await call(rest_server, "DELETE", f"/v1/{member['name']}", token=admin)
    assert envelope(reply, 400)["status"] == "FAILED_PRECONDITION"


async def test_rate_limits_are_429_with_quota_details(database_url):
    async with serving(database_url, rate_limit_per_minute=60, rate_limit_burst=2) as server:
        token = user_token(server)
        replies = [await call(server, "GET", "/v1/spaces", token=token) for _ in range(3)]
        assert [r.status for r in replies] == [200, 200, 429], replies
        details = envelope(replies[2], 429)
        assert details["status"] == "RESOURCE_EXHAUSTED"
        assert details["QuotaFailure"]["violations"][0]["subject"]
        assert float(details["RetryInfo"]["retryDelay"].rstrip("s")) > 0
        # REST and gRPC share the caller's allowance: the gate is one.
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await server.chat.ListSpaces(space_pb2.ListSpacesRequest(),
                                         metadata=(("authorization", f"Bearer {token}"),))
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # A caller without a token is refused as such, not counted.
        assert envelope(await call(server, "GET", "/v1/spaces"), 401)


class _SilentServer:
    """Accepts connections and never answers: a provider that hangs."""

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def _hold(self, reader, writer):
        await reader.read()  # until the client gives up
        writer.close()

    async def __aexit__(self, *exc):
        self.server.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _provider(token_url: str) -> ProviderEndpoints:
    return ProviderEndpoints(client_id="client", client_secret="secret", authorize_url="http://127.0.0.1:9/authorize",
                             token_url=token_url)


async def test_unavailable_and_deadline_exceeded(database_url):
    """503: a provider that refuses connections. 504: one that never answers, past the server's deadline."""
    async with _SilentServer() as silent:
        providers = {"google": _provider(f"http://127.0.0.1:{silent.port}/token"),
                     "microsoft": _provider(f"http://127.0.0.1:{_closed_port()}/token")}
        async with serving(database_url, providers=providers, provider_timeout_seconds=10,
                           call_timeout_seconds=0.5) as server:
            token = server.token(user="owner@example.com", scopes=["chatsvc.credentials"])
            for provider, status, reason in (("PROVIDER_MICROSOFT", 503, "PROVIDER_UNAVAILABLE"),
                                             ("PROVIDER_GOOGLE", 504, "SERVER_DEADLINE_EXCEEDED")):
                reply = await call(server, "POST", "/v1/users/me/credentials:requestAccess", token=token,
                                   body={"provider": provider, "brand": "b", "scopes": ["contacts"],
                                         "redirect": "http://localhost:3078/"})
                assert reply.status == 200, reply
                state = parse_qs(urlsplit(reply.json["url"]).query)["state"][0]
                reply = await call(server, "POST", "/v1/users/me/credentials:verifyGrant", token=token,
                                   body={"state": state, "code": "the-code"})
                assert envelope(reply, status)["ErrorInfo"]["reason"] == reason, reply


async def test_unknown_paths_and_wrong_methods(rest_server):
    token = user_token(rest_server)
    for method, path in (("GET", "/v1/nothing"), ("GET", "/v2/spaces"), ("GET", "/v1"), ("POST", "/v1/spaces/X/y/z"),
                         ("GET", "/v1/spaces/X/messages/Y/reactions/Z/more")):
        details = envelope(await call(rest_server, method, path, token=token), 404)
        assert (details["status"], details["ErrorInfo"]["reason"]) == ("NOT_FOUND", "URL_NOT_FOUND"), path
        assert details["message"] == f"The requested URL {path} was not found on this server."
    for method, path, allowed in (("PUT", "/v1/spaces", "GET, POST"), ("DELETE", "/v1/spaces", "GET, POST"),
                                  ("PATCH", "/v1/spaces/X/messages", "GET, POST"),
                                  ("POST", "/v1/spaces/X/messages/Y", "DELETE, GET, PATCH, PUT"),
                                  ("HEAD", "/v1/spaces/X:completeImport", "POST")):
        reply = await call(rest_server, method, path, token=token)
        assert (reply.status, reply.headers.get("Allow")) == (405, allowed), (method, path, reply)
        if method != "HEAD":
            details = envelope(reply)
            assert (details["status"], details["ErrorInfo"]["reason"]) == ("UNIMPLEMENTED", "METHOD_NOT_ALLOWED")
    # A fixed route of the HTTP endpoint (the OAuth callback: GET only) keeps its 405.
    reply = await call(rest_server, "POST", "/oauth2/callback", token=token, body={})
    assert envelope(reply, 405)["status"] == "UNIMPLEMENTED"


async def test_the_gate_authenticates_before_it_judges_a_request(rest_server):
    """A bad body, a bad parameter or a body where none belongs, from a caller without a valid token: 401,
    so a stranger learns nothing about what the request would have done."""
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    bad = (("POST", f"/v1/{space}/messages", "", b"{not json", "application/json"),
           ("POST", f"/v1/{space}/messages", "", b'{"x": 1}', "application/json"),
           ("POST", f"/v1/{space}/messages", "", b'{"text": "hi"}', "text/plain"),
           ("GET", f"/v1/{space}", "colour=red", None, None),
           ("GET", f"/v1/{space}/messages", "pageSize=many", None, None),
           ("GET", f"/v1/{space}", "", b"{}", "application/json"))
    for method, path, query, data, content_type in bad:
        headers = {"Content-Type": content_type} if content_type else {}
        for credentials in ({}, {"Authorization": "Bearer not-a-token"}):
            reply = await call(rest_server, method, path, query=query, data=data, headers={**headers, **credentials})
            assert envelope(reply, 401)["status"] == "UNAUTHENTICATED", (method, path, query, data, credentials)
        # With a valid token the same request is a 400.
        reply = await call(rest_server, method, path, token=token, query=query, data=data, headers=headers)
        assert envelope(reply, 400)["status"] == "INVALID_ARGUMENT", (method, path, query, data)


async def test_hostile_requests_are_never_5xx(rest_server):
    token = user_token(rest_server)
    space = (await new_space(rest_server, token))["name"]
    hostile = [
        ("GET", "/v1/spaces/%00", "", None), ("GET", "/v1/spaces/%ff%fe", "", None), ("GET", "/v1/%", "", None),
        ("GET", "/v1/spaces/" + "A" * 5000, "", None), ("GET", f"/v1/{space}", "fields=" + "(" * 2000, None),
        ("GET", f"/v1/{space}", "fields=" + "a(" * 2000, None),
        ("GET", f"/v1/{space}", "fields=" + "a/" * 2000 + "a", None), ("GET", f"/v1/{space}", "%ff=1", None),
        ("GET", f"/v1/{space}", "alt=%00", None), ("GET", "/v1/spaces", "pageSize=" + "9" * 5000, None),
        ("GET", "/v1/spaces", "filter=%ff%fe", None), ("POST", f"/v1/{space}/messages", "", b'{"text": "\\ud800"}'),
        ("POST", f"/v1/{space}/messages", "", b'{"text": ' + b"1" * 5000 + b"}"),
        ("POST", f"/v1/{space}/messages", "", b'{"cardsV2": [' + b"{}," * 5000 + b"{}]}"),
        ("POST", f"/v1/{space}/messages", "", b"\x00\x01\x02"),
        ("PATCH", f"/v1/{space}", "updateMask=" + ",".join(["displayName"] * 600), b"{}"),
        ("GET", "/v1/spaces:findGroupChats", "&".join(["users=users/x"] * 500), None),
        ("GET", "/v1/customEmojis/::::", "", None), ("DELETE", "/v1/spaces/:", "", None),
    ]
    for method, path, query, data in hostile:
        headers = {"Content-Type": "application/json"} if data is not None else {}
        reply = await call(rest_server, method, path, token=token, query=query, data=data, headers=headers)
        assert 400 <= reply.status < 500 or reply.status == 200, (method, path[:60], query[:60], reply)
        if reply.status >= 400:
            envelope(reply)
    # A request line past the HTTP parser's limit (8 KiB) is refused by the parser itself, as malformed HTTP:
    # a 400 before any route, still without a trace of the server's insides.
    reply = await call(rest_server, "GET", "/v1/spaces", token=token, query="filter=" + "x" * 9000)
    assert reply.status == 400 and b"Traceback" not in reply.body and b"File \"" not in reply.body, reply


def _call_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "chatsvc.calls"]


async def test_one_log_line_per_call_in_the_grpc_format(rest_server, caplog):
    token = user_token(rest_server, "log@example.com")
    space = (await new_space(rest_server, token))["name"]
    caplog.set_level(logging.INFO, logger="chatsvc.calls")
    caplog.clear()
    await rest_server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space),
                                    metadata=(("authorization", f"Bearer {token}"),))
    [grpc_line] = _call_lines(caplog)
    cases = (
        ("GET", f"/v1/{space}", "", token, f"{CHAT}GetSpace", "OK"),  # a call
        ("GET", "/v1/spaces/AAAAnothere", "", token, f"{CHAT}GetSpace", "NOT_FOUND"),  # refused by the method
        ("GET", f"/v1/{space}", "colour=red", token, f"{CHAT}GetSpace", "INVALID_ARGUMENT"),  # by the gate
        ("GET", f"/v1/{space}", "", None, f"{CHAT}GetSpace", "UNAUTHENTICATED"),  # no caller
        ("GET", f"/v1/{space}", "alt=xml", token, f"{CHAT}GetSpace", "INVALID_ARGUMENT"),  # before the gate
        ("GET", "/v1/nothing", "", token, "REST GET /v1/nothing", "NOT_FOUND"),  # no route
        ("GET", "/v1/nothing", f"access_token={token}", None, "REST GET /v1/nothing", "NOT_FOUND"),
        ("GET", f"/v1/{space}", f"access_token={token}", None, f"{CHAT}GetSpace", "OK"),
    )
    for method, path, query, credentials, logged_method, status in cases:
        caplog.clear()
        await call(rest_server, method, path, token=credentials, query=query)
        [line] = _call_lines(caplog)
        assert list(line) == list(grpc_line) == ["method", "status", "duration_ms", "principal"], line
        assert (line["method"], line["status"]) == (logged_method, status), (path, query, line)
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert token not in json.dumps(line)
        if status in ("OK", "NOT_FOUND") and credentials and logged_method.startswith("/"):
            assert line["principal"] == grpc_line["principal"] != "-"
