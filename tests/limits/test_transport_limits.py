"""Transport limits over a real server: requests and responses above the configured sizes are refused with
RESOURCE_EXHAUSTED while the server stays well, and a client that pings too often is sent away."""
from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from google.chat.v1 import message_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.conftest import serving
from tests.helpers import new_space

SCOPES = ("chat.spaces", "chat.messages")


async def test_a_request_above_the_receive_limit_is_refused(database_url):
    async with serving(database_url, max_receive_message_bytes=16 * 1024) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
                parent=space.name, message=message_pb2.Message(text="x" * 20_000)), metadata=md)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        # Just under the limit is an ordinary request.
        await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text="y" * 15_000)), metadata=md)


async def test_a_response_above_the_send_limit_is_refused(database_url):
    async with serving(database_url, max_send_message_bytes=8 * 1024) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        created = [await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text=f"{i}" * 1000)), metadata=md) for i in range(10)]
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=md)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        one = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=created[0].name), metadata=md)
        assert one.text == created[0].text


async def _watch_until_ended(target: str, seconds: float) -> tuple[grpc.StatusCode | None, float]:
    """Watches health from a client that pings every 100 ms; how the watch ended (None: still on after
    `seconds`) and when."""
    options = [("grpc.keepalive_time_ms", 100), ("grpc.keepalive_permit_without_calls", 1),
               ("grpc.http2.max_pings_without_data", 0)]
    started = time.monotonic()
    async with grpc.aio.insecure_channel(target, options=options) as channel:
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=""))
        try:
            async with asyncio.timeout(seconds):
                async for _ in watch:
                    pass
        except TimeoutError:
            watch.cancel()
            return None, time.monotonic() - started
        except grpc.aio.AioRpcError as error:
            return error.code(), time.monotonic() - started
    return grpc.StatusCode.OK, time.monotonic() - started


# The server's option is grpc.http2.min_ping_interval_without_data_ms (core's "min recv ping interval"); a
# misspelt option is ignored silently, which the second test would notice.
async def test_a_client_pinging_too_often_is_sent_away(tmp_path):
    async with serving(f"sqlite+aiosqlite:///{tmp_path / 'chatsvc.db'}") as server:  # the default policy
        code, after = await _watch_until_ended(server.target, 15)
    assert code == grpc.StatusCode.UNAVAILABLE and after < 10, (code, after)


async def test_pings_within_the_policy_are_welcome(tmp_path):
    async with serving(f"sqlite+aiosqlite:///{tmp_path / 'chatsvc.db'}",
                       min_client_ping_interval_seconds=0.05) as server:
        code, _ = await _watch_until_ended(server.target, 3.5)
    assert code is None
