"""Per-caller rate limits: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo over a real server once a caller's
burst is spent, other callers unaffected; the bucket itself on a fake clock."""
from __future__ import annotations

import grpc
import pytest
from google.chat.v1 import space_pb2

from chatsvc.auth.rate_limits import RateLimiter
from chatsvc.domain.errors import ResourceExhausted
from chatsvc.domain.principal import DEFAULT_APP, AuthKind, Principal
from tests.conftest import serving
from tests.helpers import failure

SCOPES = ("chat.spaces",)


async def _list_spaces(server, md):
    return await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md)


async def test_a_caller_over_its_rate_is_refused_with_quota_details(database_url):
    async with serving(database_url, rate_limit_per_minute=60, rate_limit_burst=3) as server:
        ann = server.md(user="ann@example.com", scopes=SCOPES)
        for _ in range(3):
            await _list_spaces(server, ann)
        details = await failure(_list_spaces(server, ann), grpc.StatusCode.RESOURCE_EXHAUSTED)
        assert details["ErrorInfo"].reason == "RATE_LIMIT_EXCEEDED"
        assert details["ErrorInfo"].metadata["quota_limit_value"] == "60"
        [violation] = details["QuotaFailure"].violations
        assert violation.subject == f"user:ann@example.com app:{DEFAULT_APP}"
        assert 0 < details["RetryInfo"].retry_delay.ToTimedelta().total_seconds() <= 1.0
        # Another user, the same user through another app, and an app each have their own allowance.
        await _list_spaces(server, server.md(user="bob@example.com", scopes=SCOPES))
        await _list_spaces(server, server.md(user="ann@example.com", app="other-app", scopes=SCOPES))
        await _list_spaces(server, server.md(app="a-bot", scopes=("chat.bot",)))
        # Health checks carry no caller and are never limited.
        from grpc_health.v1 import health_pb2, health_pb2_grpc
        health = health_pb2_grpc.HealthStub(server.channel)
        for _ in range(5):
            await health.Check(health_pb2.HealthCheckRequest())


async def test_a_refused_call_does_nothing(database_url):
    async with serving(database_url, rate_limit_per_minute=60, rate_limit_burst=1) as server:
        ann = server.md(user="ann@example.com", scopes=SCOPES)
        bob = server.md(user="bob@example.com", scopes=SCOPES)
        await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.SPACE, display_name="made")), metadata=bob)
        await _list_spaces(server, ann)
        space = space_pb2.Space(space_type=space_pb2.Space.SpaceType.SPACE, display_name="never made")
        await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space), metadata=ann),
                      grpc.StatusCode.RESOURCE_EXHAUSTED)
        found = await server.chat.SearchSpaces(space_pb2.SearchSpacesRequest(
            use_admin_access=True, query='customer = "customers/my_customer" AND space_type = "SPACE"'),
            metadata=server.md(user="admin@example.com", scopes=("chat.admin.spaces.readonly",), admin=True))
        assert [s.display_name for s in found.spaces] == ["made"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


ANN = Principal(AuthKind.USER, email="ann@example.com")


def test_the_bucket_refills_at_the_rate():
    clock = Clock()
    limiter = RateLimiter(per_minute=120, burst=2, clock=clock)  # two calls a second
    limiter.take(ANN)
    limiter.take(ANN)
    with pytest.raises(ResourceExhausted) as refused:
        limiter.take(ANN)
    assert refused.value.retry_after_seconds == pytest.approx(0.5)
    clock.now += 0.5
    limiter.take(ANN)
    with pytest.raises(ResourceExhausted):
        limiter.take(ANN)
    clock.now += 60  # idle for long: a full burst again, never more
    limiter.take(ANN)
    limiter.take(ANN)
    with pytest.raises(ResourceExhausted):
        limiter.take(ANN)


def test_refused_calls_do_not_use_up_the_allowance():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    limiter.take(ANN)
    for _ in range(8):
        clock.now += 0.0625
        with pytest.raises(ResourceExhausted):
            limiter.take(ANN)
    clock.now += 0.5  # one second after the first call in all
    limiter.take(ANN)


def test_idle_callers_are_forgotten_when_the_table_is_full(monkeypatch):
    monkeypatch.setattr("chatsvc.auth.rate_limits._MAX_CALLERS", 3)
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=5, clock=clock)
    for name in "abc":
        limiter.take(Principal(AuthKind.USER, email=f"{name}@example.com"))
    clock.now += 10  # a, b and c are full again: forgetting them changes nothing
    limiter.take(Principal(AuthKind.USER, email="d@example.com"))
    assert len(limiter._buckets) == 1


def test_serve_reads_the_limits_from_the_environment(tmp_path):
    """`chatsvc serve` with CHATSVC_RATE_LIMIT_PER_MINUTE / _BURST set: a caller's fourth call is refused."""
    from google.chat.v1 import chat_service_pb2_grpc

    from tests.server_process import ServerProcess, mint_token

    url = f"sqlite+aiosqlite:///{tmp_path / 'chatsvc.db'}"
    server = ServerProcess(url, tmp_path / "serve.log",
                           env={"CHATSVC_RATE_LIMIT_PER_MINUTE": "6", "CHATSVC_RATE_LIMIT_BURST": "3"})
    try:
        server.wait_serving()
        md = (("authorization", f"Bearer {mint_token(url, 'ann@example.com', SCOPES)}"),)
        with grpc.insecure_channel(server.target) as channel:
            chat = chat_service_pb2_grpc.ChatServiceStub(channel)
            for _ in range(3):
                chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md, timeout=10)
            with pytest.raises(grpc.RpcError) as refused:
                chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md, timeout=10)
        assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    finally:
        server.terminate()
