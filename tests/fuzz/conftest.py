"""The fuzz world, one per backend per module, and the figures: requests sent per backend and RPC."""
from __future__ import annotations

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.credentials.fake_provider import FakeProvider
from tests.fuzz.calls import CODES, SENT
from tests.fuzz.rest_checks import REST_CODES, REST_SENT
from tests.fuzz.world import AppEndpoint, seed


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    """A seeded server per backend for the whole module. The scheduler is off (fuzzed campaigns must not
    start sending mail); the mail providers are a fake on 127.0.0.1, and so is the seeded Chat app's endpoint.
    The app-event worker is off too: queued events stay queued, so nothing writes behind the fuzzer's back
    while the integrity check reads between calls (interactions are delivered within their calls)."""
    provider = await FakeProvider().start()
    providers = {"google": provider.endpoints("google"), "microsoft": provider.endpoints("microsoft")}
    endpoint = await AppEndpoint().start()
    try:
        async with (fresh_database_url(request.param, tmp_path_factory.mktemp("fuzz")) as url,
                    serving(url, providers=providers, provider_timeout_seconds=0.5,
                            scheduler_enabled=False, app_events_enabled=False) as harness):
            yield await seed(harness, request.param, endpoint.url)
    finally:
        await endpoint.stop()
        await provider.stop()


async def assert_still_healthy(world, *, integrity: bool = True) -> None:
    """The server says SERVING, answers a normal call, and (unless `integrity` is False) its database is
    intact."""
    from google.chat.v1 import space_pb2

    from chatsvc.storage.integrity import integrity_problems

    health = health_pb2_grpc.HealthStub(world.harness.channel)
    answer = await health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
    space = await world.harness.chat.GetSpace(space_pb2.GetSpaceRequest(name=world.canary_space),
                                              metadata=world.canary_md(), timeout=10)
    assert space.display_name == "Canary"
    if integrity:
        assert await integrity_problems(world.harness.running.db) == []


def pytest_terminal_summary(terminalreporter):
    _summary(terminalreporter, "fuzz: requests sent", SENT, CODES)
    _summary(terminalreporter, "fuzz: REST requests sent (HTTP statuses)", REST_SENT, REST_CODES)


def _summary(terminalreporter, title, sent, by_code):
    if not sent:
        return
    report = terminalreporter
    report.section(title)
    for backend in sorted({b for b, _ in sent}):
        per_rpc = {path: n for (b, path), n in sent.items() if b == backend}
        codes = sum((by_code[backend, path] for path in per_rpc), start=type(next(iter(by_code.values())))())
        report.write_line(f"{backend}: {sum(per_rpc.values())} requests over {len(per_rpc)} RPCs "
                          f"(min {min(per_rpc.values())}, max {max(per_rpc.values())} per RPC); "
                          f"codes {dict(codes.most_common())}")
        if report.config.get_verbosity() > 0:
            for path, n in sorted(per_rpc.items()):
                report.write_line(f"  {path}: {n} {dict(by_code[backend, path].most_common())}")
