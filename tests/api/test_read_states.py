"""Space and thread read states over gRPC: the lifecycle, coercion to the latest message, the caller's own
messages, aliases, and the error cases (bad names, other users, masks, times, non-members)."""
from __future__ import annotations

import re
import time

import grpc
import pytest
from google.chat.v1 import membership_pb2, message_pb2, space_read_state_pb2, thread_read_state_pb2
from google.protobuf import field_mask_pb2, timestamp_pb2

from chatsvc.api.convert import micros, timestamp
from tests.helpers import failure, field_of, space_with_bob

SCOPES = ("chat.spaces", "chat.memberships", "chat.messages", "chat.users.readstate")
Reply = message_pb2.CreateMessageRequest.MessageReplyOption
FAR_FUTURE = timestamp_pb2.Timestamp(seconds=4_000_000_000)
STATE_NAME = re.compile(r"^users/[1-9][0-9]{20}/spaces/AAAA[A-Za-z0-9]{7}/spaceReadState$")


@pytest.fixture
async def room(server):
    return await space_with_bob(server, SCOPES)


def post(server, md, space, text="hello", thread=None):
    message = message_pb2.Message(text=text, thread=message_pb2.Thread(name=thread) if thread else None)
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message,
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL if thread else Reply.MESSAGE_REPLY_OPTION_UNSPECIFIED),
        metadata=md)


def state_name(space, user="me"):
    return f"users/{user}/{space.name}/spaceReadState"


def get_state(server, md, name):
    return server.chat.GetSpaceReadState(space_read_state_pb2.GetSpaceReadStateRequest(name=name), metadata=md)


def mark(server, md, name, when=FAR_FUTURE, paths=("last_read_time",)):
    state = space_read_state_pb2.SpaceReadState(name=name)
    if when is not None:
        state.last_read_time.CopyFrom(when)
    return server.chat.UpdateSpaceReadState(space_read_state_pb2.UpdateSpaceReadStateRequest(
        space_read_state=state, update_mask=field_mask_pb2.FieldMask(paths=list(paths))), metadata=md)


def get_thread_state(server, md, name):
    return server.chat.GetThreadReadState(thread_read_state_pb2.GetThreadReadStateRequest(name=name), metadata=md)


def thread_state_name(thread_name, user="me"):
    space, thread = thread_name.split("/")[1], thread_name.split("/")[3]
    return f"users/{user}/spaces/{space}/threads/{thread}/threadReadState"


async def test_space_read_state_lifecycle(server, room):
    alice, bob, space, bob_id = room["alice"], room["bob"], room["space"], room["bob_id"]
    first = await post(server, alice, space, "first")
    second = await post(server, alice, space, "second")
    canonical = f"users/{bob_id}/{space.name}/spaceReadState"

    # Never read: the state exists, without a last read time; every alias names the same canonical state.
    for name in (state_name(space), state_name(space, "bob@example.com"), state_name(space, "BOB@Example.com"),
                 canonical):
        fresh = await get_state(server, bob, name)
        assert fresh.name == canonical and STATE_NAME.match(fresh.name)
        assert not fresh.HasField("last_read_time")

    # Marking read with any later time is coerced to the latest message's create time.
    marked = await mark(server, bob, state_name(space, "bob@example.com"))
    assert marked.name == canonical
    assert marked.last_read_time == second.create_time
    assert (await get_state(server, bob, state_name(space))).last_read_time == second.create_time

    # An earlier time marks the later messages unread again, and is kept as given.
    between = timestamp(micros(first.create_time) + 1)
    assert (await mark(server, bob, canonical, between)).last_read_time == between
    assert (await get_state(server, bob, canonical)).last_read_time == between
    # `*` means the one updatable field.
    assert (await mark(server, bob, canonical, paths=("*",))).last_read_time == second.create_time

    # Read states are per user: alice never marked the space, but read it up to her own latest message.
    assert (await get_state(server, alice, state_name(space))).last_read_time == second.create_time


async def test_coercion_follows_the_top_level_conversation_only(server, room):
    alice, bob, space = room["alice"], room["bob"], room["space"]
    root = await post(server, alice, space, "root")
    reply = await post(server, alice, space, "reply", thread=root.thread.name)
    assert reply.thread_reply
    # Replies are governed by thread read states: the space is read up to the top-level message.
    assert (await mark(server, bob, state_name(space))).last_read_time == root.create_time


async def test_marking_an_empty_space_read_is_coerced_to_now(server, room):
    bob, space = room["bob"], room["space"]
    before = time.time_ns() // 1000
    marked = await mark(server, bob, state_name(space))
    after = time.time_ns() // 1000
    assert before <= micros(marked.last_read_time) <= after
    # A message sent afterwards is unread.
    later = await post(server, room["alice"], space, "later")
    assert micros(later.create_time) > micros(marked.last_read_time)


async def test_own_messages_count_as_read_until_the_state_is_set_again(server, room):
    alice, bob, space = room["alice"], room["bob"], room["space"]
    first = await post(server, alice, space, "first")
    await mark(server, bob, state_name(space), first.create_time)
    own = await post(server, bob, space, "bob writes")
    assert (await get_state(server, bob, state_name(space))).last_read_time == own.create_time
    # A reply in a thread does not move the space read state.
    await post(server, bob, space, "bob replies", thread=first.thread.name)
    assert (await get_state(server, bob, state_name(space))).last_read_time == own.create_time
    # Marking unread on purpose wins over the earlier own message.
    assert (await mark(server, bob, state_name(space), first.create_time)).last_read_time == first.create_time
    assert (await get_state(server, bob, state_name(space))).last_read_time == first.create_time


async def test_thread_read_state_follows_the_callers_messages_in_the_thread(server, room):
    alice, bob, space, bob_id = room["alice"], room["bob"], room["space"], room["bob_id"]
    root = await post(server, alice, space, "root")
    other = await post(server, alice, space, "another thread")
    name = thread_state_name(root.thread.name)
    canonical = thread_state_name(root.thread.name, bob_id)

    fresh = await get_thread_state(server, bob, name)
    assert fresh.name == canonical and not fresh.HasField("last_read_time")
    alice_reply = await post(server, alice, space, "alice replies", thread=root.thread.name)
    assert not (await get_thread_state(server, bob, name)).HasField("last_read_time")

    reply = await post(server, bob, space, "bob replies", thread=root.thread.name)
    for alias in (name, thread_state_name(root.thread.name, "bob@example.com"), canonical):
        assert (await get_thread_state(server, bob, alias)).last_read_time == reply.create_time
    # Marking the space read leaves threads alone, and other threads know nothing of bob's reply.
    await mark(server, bob, state_name(space))
    assert (await get_thread_state(server, bob, name)).last_read_time == reply.create_time
    assert not (await get_thread_state(server, bob, thread_state_name(other.thread.name))).HasField("last_read_time")
    # alice has read the thread up to her own reply, and the other thread up to its first message (hers).
    assert (await get_thread_state(server, alice, name)).last_read_time == alice_reply.create_time
    assert (await get_thread_state(server, alice, thread_state_name(other.thread.name))).last_read_time \
        == other.create_time


async def test_read_state_errors(server, room):
    alice, bob, space, bob_id = room["alice"], room["bob"], room["space"], room["bob_id"]
    root = await post(server, alice, space, "root")

    for bad in ("", "users/me/spaceReadState", f"users/me/{space.name}", f"{space.name}/spaceReadState",
                f"users/me/{space.name}/threads/x/threadReadState", "users//spaces/x/spaceReadState"):
        assert field_of(await failure(get_state(server, bob, bad), grpc.StatusCode.INVALID_ARGUMENT)) == ["name"]
        details = await failure(mark(server, bob, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_read_state.name"]
    for bad in ("", f"users/me/{space.name}/spaceReadState", f"users/me/{space.name}/threads/threadReadState"):
        details = await failure(get_thread_state(server, bob, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]

    # Only the caller's own state, whoever the other user is (existing or not, by email or id).
    alice_id = (await get_state(server, alice, state_name(space))).name.split("/")[1]
    for other in ("alice@example.com", alice_id, "123456789", "nobody@example.com", "app"):
        details = await failure(get_state(server, bob, state_name(space, other)), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "CALLER_ONLY"
        await failure(mark(server, bob, state_name(space, other)), grpc.StatusCode.PERMISSION_DENIED)
        await failure(get_thread_state(server, bob, thread_state_name(root.thread.name, other)),
                      grpc.StatusCode.PERMISSION_DENIED)

    # Update masks and times.
    own = state_name(space, bob_id)
    for paths in ((), ("name",), ("last_read_time", "lastReadTime"), ("last_read_time.seconds",)):
        details = await failure(mark(server, bob, own, paths=paths), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"]
    details = await failure(mark(server, bob, own, None), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space_read_state.last_read_time"]
    for invalid in (timestamp_pb2.Timestamp(seconds=1, nanos=2_000_000_000),
                    timestamp_pb2.Timestamp(seconds=300_000_000_000)):
        details = await failure(mark(server, bob, own, invalid), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_read_state.last_read_time"]

    # A thread that does not exist in the space.
    details = await failure(get_thread_state(server, bob, f"users/me/{space.name}/threads/nothread/threadReadState"),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "THREAD_NOT_FOUND"
    # Nothing was written by the refused calls.
    assert not (await get_state(server, bob, own)).HasField("last_read_time")


async def test_a_non_member_learns_nothing(server, room):
    alice, space = room["alice"], room["space"]
    root = await post(server, alice, space, "secret")
    mallory = server.md(user="mallory@example.com", scopes=SCOPES)
    thread_id = root.thread.name.split("/")[3]
    missing = "spaces/AAAAmissing"

    def calls(space_name):
        return {
            "GetSpaceReadState": get_state(server, mallory, f"users/me/{space_name}/spaceReadState"),
            "UpdateSpaceReadState": mark(server, mallory, f"users/me/{space_name}/spaceReadState"),
            "GetThreadReadState": get_thread_state(
                server, mallory, f"users/me/{space_name}/threads/{thread_id}/threadReadState"),
        }

    hidden, absent = calls(space.name), calls(missing)
    for rpc in hidden:
        seen = await failure(hidden[rpc], grpc.StatusCode.NOT_FOUND)
        unseen = await failure(absent[rpc], grpc.StatusCode.NOT_FOUND)
        assert seen["ErrorInfo"].reason == unseen["ErrorInfo"].reason == "SPACE_NOT_FOUND", rpc
    # A member who left is a non-member too.
    bob = room["bob"]
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(
        name=f"{space.name}/members/{room['bob_id']}"), metadata=alice)
    await failure(get_state(server, bob, state_name(space)), grpc.StatusCode.NOT_FOUND)


async def test_read_only_scope_reads_but_does_not_write(server, room):
    space = room["space"]
    reader = server.md(user="bob@example.com", scopes=("chat.users.readstate.readonly",))
    assert (await get_state(server, reader, state_name(space))).name.endswith("/spaceReadState")
    await failure(mark(server, reader, state_name(space)), grpc.StatusCode.PERMISSION_DENIED)
