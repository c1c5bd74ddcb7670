"""The fuzzer's REST leg: every RPC that HTTP/JSON carries, fuzzed over the HTTP endpoint (both backends).

For each RPC (enumerated from the service descriptors, like the gRPC leg's), hypothesis builds a request the
way the gRPC leg does, sends it as Google's REST clients would (tests/http/rest_calls.py: the method's http
binding, path, body, camelCase query), and most of the time damages it first in REST's own ways
(rest_strategies.py: malformed JSON, unknown fields, wrong types, bad query parameters and enum names, garbage
paths, weird percent-encodings, huge bodies, bad system parameters, other verbs, broken Authorization, bodies
that do not decode as their Content-Encoding says). The
answers keep rest_checks.py's invariants: never a 5xx, every error Google's JSON envelope with an ErrorInfo
and Google's HTTP status for its code, no exception text, successes that parse as the response message.
After each RPC's run the server is SERVING and answers a normal call over gRPC and over REST; its database
is intact (checked after each RPC in a longer run, once per backend in CI). Budget: settings.REST_EXAMPLES per
RPC (8 in CI; `make fuzz` sends as many as the gRPC leg).
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.calls import all_rpcs
from tests.fuzz.conftest import assert_still_healthy
from tests.fuzz.rest_checks import REST_SENT, parsed, rest_problems, tally
from tests.fuzz.rest_strategies import rest_request
from tests.fuzz.settings import DEFAULT_REST_EXAMPLES, REST_EXAMPLES, REST_FUZZ
from tests.http.rest_calls import RestClient, auth_headers, envelope_problems, rules_of

RPCS = [rpc for rpc in all_rpcs() if rules_of(rpc.method) and not rpc.method.client_streaming]
CALLERS = ["user", "user", "admin", "app"]
LONG_RUN = REST_EXAMPLES > DEFAULT_REST_EXAMPLES


@pytest.fixture(scope="module")
async def rest(world):
    async with RestClient(world.harness.media_url, timeout=60) as client:
        yield client


async def assert_rest_answers(world, rest) -> None:
    """The canary space, read over REST."""
    raw = await rest.send("GET", f"/v1/{world.canary_space}", headers=auth_headers(world.canary_md()))
    assert raw.status == 200 and b'"displayName": "Canary"' in raw.body, (raw.status, raw.body[:300])


@pytest.fixture
async def stays_healthy_over_rest(world, rest):
    """After each RPC's run: SERVING, a normal call over gRPC and over REST; the database's integrity check
    too in a longer run (in CI, once per backend at the end: it is most of the leg's time)."""
    world.absorb()
    yield
    await assert_still_healthy(world, integrity=LONG_RUN)
    await assert_rest_answers(world, rest)


@pytest.mark.parametrize("rpc", RPCS, ids=str)
@REST_FUZZ
@given(data=st.data())
async def test_fuzz_rest(world, rest, stays_healthy_over_rest, rpc, data):
    caller = data.draw(st.sampled_from(CALLERS), label="caller")
    headers = auth_headers(world.callers[rpc.service.full_name][caller])
    sent = data.draw(rest_request(rpc, world, headers, admin=caller == "admin"), label="request")
    raw = await rest.send(sent.http_method, sent.target, headers=sent.headers, body=sent.body,
                          content_type=sent.content_type, fresh=sent.fresh)
    tally(world.backend, rpc, raw.status)
    response = parsed(rpc, sent, raw)
    if response is not None:
        world.learn(response)
    found = rest_problems(rpc, sent, raw)
    assert not found, f"{rpc} as {caller}: {found}"


async def test_every_method_was_fuzzed_over_rest(world, rest):
    """Runs after the REST fuzz tests of its backend: every method HTTP/JSON carries got requests, and that is
    every method of the services but the client-streaming upload (which has its media path); the server is
    healthy and its database intact."""
    await assert_still_healthy(world)
    await assert_rest_answers(world, rest)
    missed = [str(rpc) for rpc in RPCS if REST_SENT[world.backend, rpc.path] == 0]
    assert not missed, f"not fuzzed over REST on {world.backend}: {missed}"
    left_out = sorted(str(rpc) for rpc in all_rpcs() if rpc not in RPCS)
    assert left_out == ["CampaignService.UploadAttachment"], left_out


# --- what the REST leg found, pinned down -------------------------------------------------------------------------
GARBLED = [("gzip", b"not gzip at all"), ("deflate", b"not deflate either"),
           ("gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 16)]  # a gzip header, then garbage


async def test_a_body_its_content_encoding_cannot_decode_is_a_400(world, rest):
    """A body sent with `Content-Encoding: gzip` (or deflate) that does not decode made aiohttp raise
    RequestPayloadError while the body was read, which REST and the streamed campaign upload answered with
    500 INTERNAL. Now: 400 INVALID_ARGUMENT naming the body, after authentication like any bad request."""
    space = next(n for n in world.names if n.startswith("spaces/") and n.count("/") == 1 and n != "spaces/-")
    user = auth_headers(world.callers["google.chat.v1.ChatService"]["user"])
    campaigns = auth_headers(world.callers["chatsvc.campaigns.v1.CampaignService"]["user"])
    requests = [
        ("POST", f"/v1/{space}/messages", user, "application/json"),  # a method with a body
        ("GET", f"/v1/{space}", user, "application/json"),  # a method without one
        ("POST", "/upload/v1/users/me/emailFiles?uploadType=media&origin=ORIGIN_GMAIL&filename=a.txt", campaigns,
         "text/plain"),
        ("POST", "/upload/v1/users/me/emailFiles?uploadType=multipart", campaigns, "multipart/related; boundary=b"),
    ]
    for http_method, target, headers, content_type in requests:
        for encoding, body in GARBLED:
            raw = await rest.send(http_method, target, headers=[*headers, ("Content-Encoding", encoding)], body=body,
                                  content_type=content_type, fresh=True)
            assert raw.status == 400, (http_method, target, encoding, raw.status, raw.body[:300])
            assert not envelope_problems(raw), envelope_problems(raw)
            error = json.loads(raw.body)["error"]
            assert error["status"] == "INVALID_ARGUMENT" and "Content-Encoding" in error["message"], error
        # Without a valid token the caller learns nothing about its body: 401 first.
        raw = await rest.send(http_method, target, headers=[("Content-Encoding", "gzip")], body=GARBLED[0][1],
                              content_type=content_type, fresh=True)
        assert raw.status == 401, (http_method, target, raw.status, raw.body[:300])
    await assert_rest_answers(world, rest)
