"""Every HTTP binding of every service, read from the descriptors, answers at its path and verb: a request there
reaches that very method (its error's ErrorInfo names it, and the gate logs one call of it), never a 404 for the
URL or a 405. The client-streaming campaign upload is the one method left out of the JSON routes."""
from __future__ import annotations

import json
import logging

from chatsvc.http.rest import RestApi
from chatsvc.http.server import REST_API
from tests.http import rest_support
from tests.http.rest_support import (
    CHAT,
    SERVICES,
    all_bindings,
    call,
    envelope,
    fake_path,
    is_streaming,
    token_for,
)

rest_server = rest_support.rest_server  # the module's server, one per backend

STREAMING = {"/chatsvc.campaigns.v1.CampaignService/UploadAttachment"}


def test_the_descriptors_bind_every_method():
    """What the next test walks through is all there is: every method of every service has an http option,
    ChatService has its 52, and additional bindings are there (UpdateMessage PUT and PATCH, the Microsoft
    credential paths)."""
    bound = {binding.full_method for binding in all_bindings()}
    every = {f"/{service.full_name}/{method.name}" for service in SERVICES for method in service.methods}
    assert bound == every
    assert len(CHAT.methods) == 52
    extra = {(b.full_method.rsplit("/", 1)[1], b.http_method, b.template.text) for b in all_bindings() if not b.primary}
    assert ("UpdateMessage", "PATCH", "/v1/{message.name=spaces/*/messages/*}") in extra
    assert ("GetCredential", "GET", "/v1/{name=users/*/microsoftCredentials/*}") in extra
    assert {b.full_method for b in all_bindings() if is_streaming(b)} == STREAMING


async def test_every_binding_reaches_its_method(rest_server, caplog):
    checked = 0
    for binding in all_bindings():
        if is_streaming(binding):
            continue
        path = fake_path(binding)
        body = {} if binding.body else None
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="chatsvc.calls"):
            reply = await call(rest_server, binding.http_method, path, body=body,
                               token=token_for(rest_server, binding.full_method))
        where = f"{binding.http_method} {path} -> {binding.full_method}"
        assert reply.status < 500, (where, reply)
        if reply.status != 200:
            info = envelope(reply)["ErrorInfo"]
            assert info["metadata"]["method"] == binding.full_method, (where, reply)
            assert info["reason"] not in ("URL_NOT_FOUND", "METHOD_NOT_ALLOWED"), (where, reply)
        lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "chatsvc.calls"]
        assert [line["method"] for line in lines] == [binding.full_method], (where, lines)
        checked += 1
    assert checked == len(all_bindings()) - len(STREAMING)


async def test_client_streaming_upload_is_no_json_route(rest_server):
    """HTTP/JSON carries one message each way: the campaign upload has no JSON route (it has its media path),
    and every other binding has one, on the server that runs."""
    rest: RestApi = rest_server.running.http.runner.app[REST_API]
    routed = {(route.binding.http_method, route.binding.template.text, route.full_method) for route in rest.routes.all}
    expected = {(b.http_method, b.template.text, b.full_method) for b in all_bindings() if not is_streaming(b)}
    assert routed == expected
    assert not {full_method for _, _, full_method in routed} & STREAMING
