"""LiveService.StreamEvents over raw HTTP (server-sent events) and gRPC, on a real server, both backends."""
from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import pytest

from chatsvc.api.live_events import ResumeTokens
from chatsvc.app import signing_key
from chatsvc.domain import live_events
from chatsvc.domain.live_events import ResumePoint
from chatsvc.http import live_stream as live_stream_module
from chatsvc.live.v1 import live_service_pb2, live_service_pb2_grpc
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.http.rest_support import CHAT_SCOPES, call, new_message, new_space
from tests.live.sse import live_stream

CREATED = "google.workspace.chat.message.v1.created"


@pytest.fixture(scope="module", params=BACKENDS)
async def live_server(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("live")) as url,
                serving(url) as harness):
        yield harness


def people(server, *names: str) -> list[tuple[str, str]]:
    """(email, token) of new users, unique to the test."""
    tag = uuid.uuid4().hex[:6]
    emails = [f"{name}-{tag}@example.com" for name in names]
    return [(email, server.token(user=email, scopes=CHAT_SCOPES)) for email in emails]


async def shared_space(server, owner_token: str, *emails: str) -> str:
    space = (await new_space(server, owner_token))["name"]
    for email in emails:
        reply = await call(server, "POST", f"/v1/{space}/members", token=owner_token,
                           body={"member": {"name": f"users/{email}", "type": "HUMAN"}})
        assert reply.status == 200, reply
    return space


async def test_a_message_from_someone_else_arrives_within_a_second(live_server):
    (_, alice), (bob_email, bob) = people(live_server, "alice", "bob")
    space = await shared_space(live_server, alice, bob_email)
    async with live_stream(live_server.media_url, alice) as (response, stream):
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        opened = await stream.next()
        assert opened.event == "open" and opened.data["opened"] is True and opened.id
        posted = time.perf_counter()
        message = await new_message(live_server, bob, space, "hi alice")
        frame = await stream.next(timeout=5)
        elapsed = time.perf_counter() - posted
        assert frame.event == "message"
        assert frame.data["eventType"] == CREATED
        assert frame.data["space"] == space and frame.data["resourceName"] == message["name"]
        assert frame.id == frame.data["resumeToken"]
        payload = frame.data["spaceEvent"]["messageCreatedEventData"]["message"]
        assert payload["text"] == "hi alice" and payload["sender"]["name"] == message["sender"]["name"]
        assert elapsed < 1.0, f"the event took {elapsed:.3f} s"

        # Several events in a row come once each, in the order recorded, though the hub re-reads recent ones.
        sent = [(await new_message(live_server, bob, space, f"n{i}"))["name"] for i in range(3)]
        got = [(await stream.next()).data["resourceName"] for _ in sent]
        assert got == sent
        await asyncio.sleep(0.8)  # a few polls of the hub, which re-read those events
        marker = (await new_message(live_server, alice, space, "marker"))["name"]
        assert (await stream.next()).data["resourceName"] == marker


async def test_a_user_sees_only_the_events_of_their_own_spaces(live_server):
    (_, alice), (bob_email, bob), (carol_email, carol) = people(live_server, "alice", "bob", "carol")
    theirs = await shared_space(live_server, alice, bob_email)
    carols = await shared_space(live_server, carol)
    async with live_stream(live_server.media_url, carol) as (response, stream):
        assert (await stream.next()).event == "open"
        for i in range(3):
            await new_message(live_server, bob, theirs, f"not for carol {i}")
        await new_message(live_server, alice, theirs, "nor this")
        mine = await new_message(live_server, carol, carols, "carol's own")
        frames = await stream.events_until(lambda f: f.data.get("resourceName") == mine["name"])
        assert [f.data["space"] for f in frames] == [carols]
        # Added to their space, carol hears of it (her membership's event), then of what is said there.
        reply = await call(live_server, "POST", f"/v1/{theirs}/members", token=alice,
                           body={"member": {"name": f"users/{carol_email}", "type": "HUMAN"}})
        assert reply.status == 200, reply
        joined = await stream.next()
        assert joined.data["eventType"] == "google.workspace.chat.membership.v1.created"
        assert joined.data["resourceName"] == reply.json["name"] and joined.data["space"] == theirs
        now_hers = await new_message(live_server, bob, theirs, "welcome carol")
        assert (await stream.next()).data["resourceName"] == now_hers["name"]


async def test_refusals_are_googles_json_errors(live_server):
    (alice_email, alice), (_, bob) = people(live_server, "alice", "bob")
    async with live_stream(live_server.media_url, None) as (response, _):
        assert response.status == 401
        error = (await response.json())["error"]
        assert error["status"] == "UNAUTHENTICATED" and error["code"] == 401
    wrong_scope = live_server.token(user=alice_email, scopes=("chat.spaces",))
    async with live_stream(live_server.media_url, wrong_scope) as (response, _):
        assert response.status == 403
        assert (await response.json())["error"]["status"] == "PERMISSION_DENIED"
    app_token = live_server.token(app="live-test", scopes=("chat.bot",))
    async with live_stream(live_server.media_url, app_token) as (response, _):
        assert response.status == 403

    async def refused(token: str, resume: str, *, header: bool = True) -> dict:
        kwargs = {"last_event_id": resume} if header else {"query": f"resume_token={resume}"}
        async with live_stream(live_server.media_url, token, **kwargs) as (response, _):
            assert response.status == 400
            assert response.headers["Content-Type"].startswith("application/json")
            return (await response.json())["error"]

    assert (await refused(alice, "garbage"))["status"] == "INVALID_ARGUMENT"
    assert (await refused(alice, "garbage", header=False))["status"] == "INVALID_ARGUMENT"
    async with live_stream(live_server.media_url, alice) as (response, stream):
        real = (await stream.next()).id
    assert (await refused(bob, real))["status"] == "INVALID_ARGUMENT"  # another user's
    tampered = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    assert (await refused(alice, tampered))["status"] == "INVALID_ARGUMENT"

    tokens = ResumeTokens(await signing_key(live_server.running.db, None))
    user_id = tokens.read(real).user_id
    now_us = time.time_ns() // 1000
    future = tokens.issue(ResumePoint(user_id, now_us + 3600 * 10**6, "", ()))
    assert (await refused(alice, future))["status"] == "INVALID_ARGUMENT"
    expired = tokens.issue(ResumePoint(user_id, now_us - 29 * 86_400 * 10**6, "", ()))
    error = await refused(alice, expired)
    assert error["status"] == "FAILED_PRECONDITION"
    assert error["details"][0]["reason"] == "RESUME_TOKEN_EXPIRED" and "reload" in error["message"]


async def test_over_grpc_once_and_the_cost_of_listening(live_server):
    (alice_email, alice), (bob_email, bob) = people(live_server, "alice", "bob")
    space = await shared_space(live_server, alice, bob_email)
    stub = live_service_pb2_grpc.LiveServiceStub(live_server.channel)
    md = (("authorization", f"Bearer {alice}"),)
    hub = live_server.running.live
    call_ = stub.StreamEvents(live_service_pb2.StreamEventsRequest(), metadata=md)
    try:
        opened = await asyncio.wait_for(call_.read(), 5)
        assert opened.opened and opened.resume_token
        # Listening idle costs one query per poll (0.25 s) for all of the process's streams.
        before, started = hub.queries, time.perf_counter()
        await asyncio.sleep(1.0)
        rate = (hub.queries - before) / (time.perf_counter() - started)
        assert 1 <= rate <= 6, rate
        message = await new_message(live_server, bob, space, "over gRPC")
        event = await asyncio.wait_for(call_.read(), 5)
        assert event.event_type == CREATED and event.resource_name == message["name"]
        assert event.space_event.message_created_event_data.message.text == "over gRPC"
    finally:
        call_.cancel()
    # The stream's subscription ends with the call; with no one listening the hub stops polling.
    for _ in range(100):
        if not hub._subscribers and hub._task is None:
            break
        await asyncio.sleep(0.05)
    assert not hub._subscribers and hub._task is None
    wrong = stub.StreamEvents(live_service_pb2.StreamEventsRequest(),
                              metadata=(("authorization", f"Bearer {live_server.token(user=alice_email)}"),))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await wrong.read()
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_stream_resumes_after_a_restart_with_nothing_missed_or_twice(backend, tmp_path):
    async with fresh_database_url(backend, tmp_path) as url:
        async with serving(url) as first:
            (_, alice), (bob_email, bob) = people(first, "alice", "bob")
            space = await shared_space(first, alice, bob_email)
            async with live_stream(first.media_url, alice) as (_, stream):
                await stream.next()
                before = await new_message(first, bob, space, "before the restart")
                frame = await stream.next()
                assert frame.data["resourceName"] == before["name"]
                last_id = frame.id
                stopping = asyncio.ensure_future(first.running.stop(5))
                # The stream ends at once (an error event saying why, then the end), not after the grace period.
                ending = await stream.next(timeout=3)
                assert ending.event == "error" and ending.data["error"]["status"] == "UNAVAILABLE"
                with pytest.raises(EOFError):
                    await stream.next(timeout=3)
                await stopping
        async with serving(url) as second:
            away = [(await new_message(second, bob, space, f"while away {i}"))["name"] for i in range(3)]
            async with live_stream(second.media_url, alice, last_event_id=last_id) as (response, stream):
                assert response.status == 200
                assert (await stream.next()).event == "open"
                got = [(await stream.next()).data["resourceName"] for _ in away]
                assert got == away
                live = await new_message(second, bob, space, "live again")
                assert (await stream.next()).data["resourceName"] == live["name"]
            # Resuming from the same point again gives the same events, once each.
            async with live_stream(second.media_url, alice, query=f"resume_token={last_id}") as (_, stream):
                await stream.next()
                frames = await stream.events_until(lambda f: f.data["resourceName"] == live["name"])
                assert [f.data["resourceName"] for f in frames] == [*away, live["name"]]


async def test_a_stream_ends_when_its_token_expires(live_server, monkeypatch):
    monkeypatch.setattr(live_events, "RECHECK_SECONDS", 0.3)
    email = f"dana-{uuid.uuid4().hex[:6]}@example.com"
    # Valid for about 2 s more: expired 3 s ago, within the server's 5 s leeway.
    short = live_server.token(user=email, scopes=CHAT_SCOPES, ttl=-3)
    async with live_stream(live_server.media_url, short) as (response, stream):
        assert response.status == 200
        assert (await stream.next()).event == "open"
        ending = await stream.next(timeout=8)
        assert ending.event == "error" and ending.data["error"]["status"] == "UNAUTHENTICATED"
        with pytest.raises(EOFError):
            await stream.next(timeout=3)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_event_recorded_by_another_server_arrives_within_a_second(backend, tmp_path):
    # Two servers on one database, as `--workers` or replicas run: no nudge crosses between them, polling does.
    async with fresh_database_url(backend, tmp_path) as url, serving(url) as one, serving(url) as other:
        (_, alice), (bob_email, bob) = people(one, "alice", "bob")
        space = await shared_space(one, alice, bob_email)
        async with live_stream(one.media_url, alice) as (_, stream):
            await stream.next()
            for text in ("first", "second"):
                posted = time.perf_counter()
                message = await new_message(other, bob, space, text)
                frame = await stream.next()
                assert frame.data["resourceName"] == message["name"]
                assert time.perf_counter() - posted < 1.0


async def test_a_read_only_token_streams_the_event_types_its_scope_reads(live_server):
    (alice_email, alice), (bob_email, _), (carol_email, _) = people(live_server, "alice", "bob", "carol")
    space = await shared_space(live_server, alice, bob_email)
    reader = live_server.token(user=alice_email, scopes=("chat.messages.readonly",))
    async with live_stream(live_server.media_url, reader) as (response, stream):
        assert response.status == 200
        await stream.next()
        await shared_space(live_server, alice, carol_email)  # a membership event: chat.memberships reads those
        message = await new_message(live_server, alice, space, "readable")
        frame = await stream.next()
        assert (frame.data["eventType"], frame.data["resourceName"]) == (CREATED, message["name"])


async def test_an_idle_stream_sends_heartbeat_comments(live_server, monkeypatch):
    monkeypatch.setattr(live_stream_module, "HEARTBEAT_SECONDS", 0.3)
    (_, alice), = people(live_server, "alice")
    async with live_stream(live_server.media_url, alice) as (response, stream):
        assert (await stream.next()).event == "open"
        # Nothing happens: what comes next is a comment line, which an SSE reader ignores.
        line = await asyncio.wait_for(response.content.readline(), 5)
        assert line.startswith(b":"), line
