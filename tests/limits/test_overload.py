"""Overload and stopped calls over a real server: a flood beyond `max_concurrent_rpcs` is refused at once, a call
the client cancels or lets time out stops its work (nothing is written afterwards), and the server's own deadline
ends a call that outlasts it. Calls are held inside the server by a write lock on `messages` taken from outside.
"""
from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from google.chat.v1 import message_pb2, space_pb2

from tests.conftest import PG_URL, fresh_database_url, serving
from tests.helpers import new_space, rpc_error_details
from tests.limits.support import messages_locked

SCOPES = ("chat.spaces", "chat.messages")


def _create(space, text: str) -> message_pb2.CreateMessageRequest:
    return message_pb2.CreateMessageRequest(parent=space.name, message=message_pb2.Message(text=text))


async def _texts(server, space, md) -> list[str]:
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=md)
    return sorted(m.text for m in listed.messages)


async def _settled(server, space, md) -> list[str]:
    """The space's messages once anything still running in the server has had time to write."""
    await asyncio.sleep(0.5)
    return await _texts(server, space, md)


async def test_a_flood_beyond_capacity_is_refused_at_once(database_url):
    async with serving(database_url, max_concurrent_rpcs=4) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        async with messages_locked(database_url):
            started = time.monotonic()
            calls = [asyncio.ensure_future(server.chat.CreateMessage(_create(space, f"m{i}"), metadata=md,
                                                                     timeout=30)) for i in range(24)]
            await asyncio.sleep(1.0)
            refused = [c for c in calls if c.done()]
            codes = {c.exception().code() if c.exception() else grpc.StatusCode.OK for c in refused}
            # Four calls are admitted and wait for the lock; the other twenty were answered within that second.
            assert len(refused) == 20 and codes == {grpc.StatusCode.RESOURCE_EXHAUSTED}, (len(refused), codes)
        admitted = await asyncio.gather(*(c for c in calls if c not in refused))
        assert len(admitted) == 4 and time.monotonic() - started < 10
        assert await _texts(server, space, md) == sorted(m.text for m in admitted)


async def test_a_cancelled_call_stops_its_work(database_url):
    async with serving(database_url) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        async with messages_locked(database_url):
            call = server.chat.CreateMessage(_create(space, "never"), metadata=md)
            await asyncio.sleep(0.5)  # inside the server, waiting for the lock
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            await asyncio.sleep(0.3)  # the server hears of the cancellation while the lock is still held
        assert await _settled(server, space, md) == []
        # The connection the cancelled call was using is fit for the next one.
        await server.chat.CreateMessage(_create(space, "after"), metadata=md)
        assert await _texts(server, space, md) == ["after"]


async def test_a_call_past_its_client_deadline_stops_its_work(database_url):
    async with serving(database_url) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        async with messages_locked(database_url):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await server.chat.CreateMessage(_create(space, "too late"), metadata=md, timeout=0.5)
            assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
            await asyncio.sleep(0.3)
        assert await _settled(server, space, md) == []


async def test_the_servers_deadline_ends_a_call_that_outlasts_it(database_url):
    async with serving(database_url, call_timeout_seconds=0.5) as server:
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        async with messages_locked(database_url):
            started = time.monotonic()
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await server.chat.CreateMessage(_create(space, "too slow"), metadata=md, timeout=30)
            waited = time.monotonic() - started
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED and 0.4 < waited < 5, waited
        info = rpc_error_details(caught.value)["ErrorInfo"]
        assert info.reason == "SERVER_DEADLINE_EXCEEDED" and info.metadata["timeout_seconds"] == "0.5"
        assert await _settled(server, space, md) == []
        await server.chat.CreateMessage(_create(space, "in time"), metadata=md)
        assert await _texts(server, space, md) == ["in time"]


@pytest.mark.skipif(not PG_URL, reason="a PostgreSQL pool (SQLite has none); needs CHATSVC_TEST_DATABASE_URL")
async def test_no_free_database_connection_is_unavailable_soon(tmp_path):
    async with (fresh_database_url("postgres", tmp_path) as database_url,
                serving(database_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=0.5) as server):
        md = server.md(user="ann@example.com", scopes=SCOPES)
        space = await new_space(server, md)
        async with messages_locked(database_url):
            holder = asyncio.ensure_future(server.chat.CreateMessage(_create(space, "first"), metadata=md))
            await asyncio.sleep(0.3)  # it holds the only connection, waiting for the lock
            started = time.monotonic()
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=md, timeout=10)
            waited = time.monotonic() - started
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE and waited < 3, waited
        assert rpc_error_details(caught.value)["ErrorInfo"].reason == "DATABASE_BUSY"
        assert (await holder).text == "first"
