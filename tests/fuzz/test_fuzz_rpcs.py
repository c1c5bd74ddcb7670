"""Property-based fuzzing of every RPC of every service through a real server (both backends).

For each RPC (enumerated from the service descriptors, so a new one is fuzzed without a change here),
hypothesis builds hostile requests (see strategies.py) and sends them as a user holding every scope of the
service, an administrator (sometimes with use_admin_access) or an app. Every answer must be a success or a
refusal with a google.rpc.Status carrying ErrorInfo, never INTERNAL or UNKNOWN, never with internals in the
message. After each RPC's run the server must be SERVING, answer a normal call and have an intact database.
"""
from __future__ import annotations

import pytest
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.calls import SENT, SERVICES, all_rpcs, problems, send
from tests.fuzz.conftest import assert_still_healthy
from tests.fuzz.settings import FUZZ
from tests.fuzz.strategies import request_bytes

RPCS = all_rpcs()
CALLERS = ["user", "user", "admin", "app"]  # mostly the user, who owns the seeded resources


@pytest.fixture
async def stays_healthy(world):
    world.absorb()
    yield
    await assert_still_healthy(world)


@pytest.mark.parametrize("rpc", RPCS, ids=str)
@FUZZ
@given(data=st.data())
async def test_fuzz(world, stays_healthy, rpc, data):
    caller = data.draw(st.sampled_from(CALLERS), label="caller")
    admin = caller == "admin"
    if rpc.method.client_streaming:
        payloads = data.draw(st.lists(request_bytes(rpc.request_class, rpc.method.name, world, admin),
                                      min_size=0, max_size=4), label="requests")
    else:
        payloads = [data.draw(request_bytes(rpc.request_class, rpc.method.name, world, admin), label="request")]
    outcome = await send(world.harness.channel, rpc, payloads, world.callers[rpc.service.full_name][caller],
                         world.backend)
    if outcome.response is not None:
        world.learn(outcome.response)
    found = problems(outcome, payloads)
    assert not found, f"{rpc} as {caller}: {found}"


async def test_every_method_was_fuzzed(world):
    """Runs after the fuzz tests of its backend: every method of the services got requests."""
    missed = [str(rpc) for rpc in RPCS if SENT[world.backend, rpc.path] == 0]
    assert not missed, f"not fuzzed on {world.backend}: {missed}"


async def test_fuzzed_services_are_all_the_server_has(world):
    """The server offers no service beyond the fuzzed ones (and health and reflection), and each of
    those has exactly the methods enumerated here: a new service or RPC cannot escape the fuzzer."""
    stub = reflection_pb2_grpc.ServerReflectionStub(world.harness.channel)
    answers = [a async for a in stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
        list_services="")]))]
    served = {s.name for s in answers[0].list_services_response.service}
    fuzzed = {s.full_name for s in SERVICES}
    assert served - fuzzed == {"grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}
    assert fuzzed <= served
    paths = {rpc.path for rpc in RPCS}
    assert paths == {f"/{s.full_name}/{m.name}" for s in SERVICES for m in s.methods}
    assert len(paths) == sum(len(s.methods) for s in SERVICES) and len(paths) >= 97

