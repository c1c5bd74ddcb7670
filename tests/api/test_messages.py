"""Message lifecycle over gRPC, then threads, ids, limits, ordering and the error cases."""
import asyncio
import re
import uuid

import grpc
import pytest
from google.apps.card.v1 import card_pb2
from google.chat.v1 import membership_pb2, message_pb2, space_pb2, user_pb2

from tests import helpers
from tests.api.test_pagination import StatementCounter
from tests.helpers import USER_SCOPES, failure, field_of, user

APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.bot", "chat.app.messages.readonly")
Reply = message_pb2.CreateMessageRequest.MessageReplyOption
MESSAGE_NAME = re.compile(r"^spaces/AAAA[A-Za-z0-9]{7}/messages/[A-Za-z0-9]+$")
THREAD_NAME = re.compile(r"^spaces/AAAA[A-Za-z0-9]{7}/threads/[A-Za-z0-9]+$")


async def new_space(server, md, **fields):
    fields.setdefault("display_name", f"Messages {uuid.uuid4().hex[:8]}")
    return await helpers.new_space(server, md, **fields)


async def add_member(server, md, space, name):
    return await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=name))), metadata=md)


def post(server, md, space, text="hello", **request):
    message = request.pop("message", None) or message_pb2.Message(text=text)
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(parent=space.name, message=message, **request),
                                     metadata=md)


def get(server, md, name):
    return server.chat.GetMessage(message_pb2.GetMessageRequest(name=name), metadata=md)


def list_messages(server, md, space, **request):
    return server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name, **request), metadata=md)


@pytest.fixture
async def room(server):
    """A space of alice's with bob as a member: (space, alice's metadata, bob's metadata, bob's user name)."""
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    membership = await add_member(server, alice, space, "users/bob@example.com")
    return space, alice, bob, membership.member.name


@pytest.fixture
async def bot_room(server, room):
    """`room` with the Chat app helper-bot added by alice: (space, alice, bob, bob's name, the bot's metadata)."""
    space, alice, bob, bob_name = room
    via_bot = server.md(user="alice@example.com", app="helper-bot", scopes=(*USER_SCOPES, "chat.memberships.app"))
    await add_member(server, via_bot, space, "users/app")
    return space, alice, bob, bob_name, server.md(app="helper-bot", scopes=APP_SCOPES)


async def test_message_lifecycle(server, room):
    space, alice, bob, bob_name = room
    created = await post(server, bob, space, "Hello, *world*")
    assert MESSAGE_NAME.match(created.name) and created.name.startswith(space.name + "/messages/")
    assert created.text == "Hello, *world*"
    assert created.sender.name == bob_name
    assert created.sender.type == user_pb2.User.Type.HUMAN
    assert created.space.name == space.name
    assert THREAD_NAME.match(created.thread.name)
    assert created.create_time.seconds > 0
    assert not created.thread_reply
    assert not created.HasField("delete_time")

    got = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=created.name), metadata=alice)
    assert got == created

    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=alice)
    assert list(listed.messages) == [created]
    assert listed.next_page_token == ""

    # Posting moves the space's last activity forward.
    got_space = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=alice)
    assert (got_space.last_active_time.seconds, got_space.last_active_time.nanos) >= (
        created.create_time.seconds, created.create_time.nanos)


async def test_sender_is_the_caller_not_the_request(server, room):
    space, alice, _, bob_name = room
    message = message_pb2.Message(text="spoof", sender=user_pb2.User(name=bob_name),
                                  name=f"{space.name}/messages/chosen")
    created = await post(server, alice, space, message=message)
    assert created.sender.name != bob_name
    assert not created.name.endswith("/chosen")


async def test_client_assigned_message_id(server, room):
    space, alice, bob, _ = room
    created = await post(server, alice, space, "named", message_id="client-custom-name-1")
    assert created.client_assigned_message_id == "client-custom-name-1"
    assert not created.name.endswith("client-custom-name-1")  # the name keeps the system id
    by_client_id = await server.chat.GetMessage(message_pb2.GetMessageRequest(
        name=f"{space.name}/messages/client-custom-name-1"), metadata=bob)
    assert by_client_id == created

    details = await failure(post(server, bob, space, "again", message_id="client-custom-name-1"),
                            grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "MESSAGE_ID_IN_USE"
    # Unique within a space only.
    other = await new_space(server, alice)
    await post(server, alice, other, "elsewhere", message_id="client-custom-name-1")

    longest = "client-" + "a" * 56
    assert len(longest) == 63
    await post(server, alice, space, message_id=longest)
    for bad in ("custom-name", "client-", "client-UPPER", "client-under_score", "client-" + "a" * 57,
                "client-dot.", "Client-x", "client-trailing-newline\n"):
        details = await failure(post(server, alice, space, message_id=bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["message_id"], bad


async def test_get_unknown_client_id_is_not_found(server, room):
    space, alice, _, _ = room
    for missing in ("client-nothing-here", "AbCdEf123"):
        details = await failure(server.chat.GetMessage(message_pb2.GetMessageRequest(
            name=f"{space.name}/messages/{missing}"), metadata=alice), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    for bad in ("spaces/x/messages/", f"{space.name}/members/1", space.name, "messages/1"):
        details = await failure(server.chat.GetMessage(message_pb2.GetMessageRequest(name=bad), metadata=alice),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_request_id_returns_the_same_message(server, room):
    space, alice, bob, _ = room
    request_id = str(uuid.uuid4())
    first = await post(server, alice, space, "once", request_id=request_id)
    again = await post(server, alice, space, "twice", request_id=request_id)
    assert again.name == first.name
    assert again.text == "once"
    assert again.sender == first.sender
    # Google: "Reusing an existing request ID with a different authenticated user results in an error."
    details = await failure(post(server, bob, space, "bob's", request_id=request_id), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "REQUEST_ID_IN_USE"
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=alice)
    assert [m.text for m in listed.messages] == ["once"]
    # The same id in another space is another request.
    other = await new_space(server, alice)
    assert (await post(server, alice, other, "elsewhere", request_id=request_id)).name != first.name
    # A repeated reply reports itself as a reply again.
    thread = message_pb2.Message(text="reply", thread=message_pb2.Thread(name=first.thread.name))
    reply_id = str(uuid.uuid4())
    reply = await post(server, alice, space, message=thread, request_id=reply_id,
                       message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    repeat = await post(server, alice, space, message=thread, request_id=reply_id,
                        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert reply.thread_reply and repeat.thread_reply and repeat.name == reply.name
    details = await failure(post(server, alice, space, request_id="r" * 129), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["request_id"]


async def test_thread_key_replies(server, room):
    space, alice, bob, _ = room
    key = message_pb2.Thread(thread_key="deploy-42")
    first = await post(server, alice, space, "starting", message=message_pb2.Message(text="starting", thread=key),
                       message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    assert not first.thread_reply
    second = await post(server, alice, space, message=message_pb2.Message(text="done", thread=key),
                        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    assert second.thread_reply
    assert second.thread.name == first.thread.name
    # The deprecated request-level thread_key works the same.
    third = await post(server, alice, space, "via request", thread_key="deploy-42",
                       message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert third.thread_reply and third.thread.name == first.thread.name
    # Replying by thread name, from another member.
    fourth = await post(server, bob, space, message=message_pb2.Message(
        text="by name", thread=message_pb2.Thread(name=first.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert fourth.thread_reply and fourth.thread.name == first.thread.name
    # Without a reply option a key is ignored: a new thread.
    fresh = await post(server, alice, space, message=message_pb2.Message(text="new", thread=key))
    assert not fresh.thread_reply and fresh.thread.name != first.thread.name
    got = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=second.name), metadata=bob)
    assert got.thread.name == first.thread.name


async def test_long_thread_keys_are_kept(server, room):
    # Google allows thread keys of up to 4000 characters.
    space, alice, _, _ = room
    key = message_pb2.Thread(thread_key="k" * 4000)
    first = await post(server, alice, space, message=message_pb2.Message(text="a", thread=key),
                       message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    second = await post(server, alice, space, message=message_pb2.Message(text="b", thread=key),
                        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert second.thread_reply and second.thread.name == first.thread.name
    details = await failure(post(server, alice, space, message=message_pb2.Message(
        text="c", thread=message_pb2.Thread(thread_key="k" * 4001)),
        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.thread.thread_key"]


async def test_reply_or_fail_to_unknown_thread(server, room):
    space, alice, _, _ = room
    details = await failure(post(server, alice, space, message=message_pb2.Message(
        text="x", thread=message_pb2.Thread(name=f"{space.name}/threads/nosuchthread")),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "THREAD_NOT_FOUND"
    # Fallback to a new thread instead.
    fallback = await post(server, alice, space, message=message_pb2.Message(
        text="x", thread=message_pb2.Thread(name=f"{space.name}/threads/nosuchthread")),
        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    assert not fallback.thread_reply
    details = await failure(post(server, alice, space, message=message_pb2.Message(
        text="x", thread=message_pb2.Thread(name="spaces/AAAAother00/threads/t1")),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.thread.name"]


async def test_reply_or_fail_with_a_new_key_starts_the_thread(server, room):
    # Google, REPLY_MESSAGE_OR_FAIL: "If a new thread_key is used, a new thread is created." Only an unknown
    # thread name (above) or no thread at all is NOT_FOUND.
    space, alice, _, _ = room
    first = await post(server, alice, space, "x", thread_key="never-used",
                       message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert not first.thread_reply
    second = await post(server, alice, space, "y", thread_key="never-used",
                        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert second.thread_reply and second.thread.name == first.thread.name
    details = await failure(post(server, alice, space, "z", message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "THREAD_NOT_FOUND"


async def test_thread_keys_belong_to_the_app(server, room):
    # The same key used through another Chat app names another thread.
    space, alice, _, _ = room
    via_other = server.md(user="alice@example.com", app="other-bot", scopes=USER_SCOPES)
    ours = await post(server, alice, space, "a", thread_key="shared",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    theirs = await post(server, via_other, space, "b", thread_key="shared",
                        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    assert not theirs.thread_reply and theirs.thread.name != ours.thread.name


async def test_empty_and_oversized_messages(server, room):
    space, alice, _, _ = room
    details = await failure(post(server, alice, space, ""), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message"]
    # The limit is 32,000 bytes, not characters: a three-byte character counts three times.
    await post(server, alice, space, "€" * 10_666 + "ab")
    details = await failure(post(server, alice, space, "€" * 10_667), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.text"]
    details = await failure(post(server, alice, space, "x" * 32_001), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.text"]


def _card(title="Status"):
    return message_pb2.CardWithId(card_id="status", card=card_pb2.Card(header=card_pb2.Card.CardHeader(title=title)))


async def test_cards_need_app_authentication(server, room):
    space, alice, _, _ = room
    details = await failure(post(server, alice, space, message=message_pb2.Message(text="c", cards_v2=[_card()])),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_REQUIRED"


async def test_app_posts_cards(server):
    bot = server.md(app="helper-bot", scopes=APP_SCOPES)
    space = await new_space(server, bot, customer="customers/my_customer")
    created = await post(server, bot, space, message=message_pb2.Message(cards_v2=[_card("Build green")]))
    assert created.sender.type == user_pb2.User.Type.BOT
    assert created.cards_v2[0].card.header.title == "Build green"
    got = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=created.name), metadata=bot)
    assert got == created


async def test_list_order(server, room):
    space, alice, bob, _ = room
    posted = [await post(server, alice if i % 2 else bob, space, f"m{i}") for i in range(5)]
    names = [m.name for m in posted]
    for order_by, expected in (("", names), ("create_time asc", names), ("create_time ASC", names),
                               ("create_time desc", names[::-1]), ("create_time DESC", names[::-1])):
        listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(
            parent=space.name, order_by=order_by), metadata=alice)
        assert [m.name for m in listed.messages] == expected, order_by
    # Paging backwards keeps the order across pages.
    first = await server.chat.ListMessages(message_pb2.ListMessagesRequest(
        parent=space.name, order_by="create_time desc", page_size=2), metadata=alice)
    second = await server.chat.ListMessages(message_pb2.ListMessagesRequest(
        parent=space.name, order_by="create_time desc", page_size=10, page_token=first.next_page_token),
        metadata=alice)
    assert [m.name for m in [*first.messages, *second.messages]] == names[::-1]
    for bad in ("update_time desc", "create_time sideways", "create_time desc extra", "desc"):
        details = await failure(server.chat.ListMessages(message_pb2.ListMessagesRequest(
            parent=space.name, order_by=bad), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["order_by"], bad


async def test_a_non_member_learns_nothing(server, room):
    space, alice, _, _ = room
    posted = await post(server, alice, space)
    eve = user(server, "eve@example.com")
    for call in (server.chat.GetMessage(message_pb2.GetMessageRequest(name=posted.name), metadata=eve),
                 server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=eve),
                 post(server, eve, space, "let me in")):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    await failure(post(server, alice, space_pb2.Space(name="spaces/AAAAmissing1")),
                  grpc.StatusCode.NOT_FOUND)
    details = await failure(server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent="spaces", message=message_pb2.Message(text="x")), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["parent"]


async def test_concurrent_repeats_and_duplicates(server, room):
    space, alice, _, _ = room
    request_id = str(uuid.uuid4())
    repeats = await asyncio.gather(*(post(server, alice, space, "same", request_id=request_id) for _ in range(5)))
    assert len({m.name for m in repeats}) == 1
    outcomes = await asyncio.gather(*(post(server, alice, space, f"race {i}", message_id="client-race")
                                      for i in range(5)), return_exceptions=True)
    assert sum(isinstance(o, message_pb2.Message) for o in outcomes) == 1
    assert [o.code() for o in outcomes if not isinstance(o, message_pb2.Message)] == [
        grpc.StatusCode.ALREADY_EXISTS] * 4
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=alice)
    assert len(listed.messages) == 2


async def test_posting_costs_a_fixed_number_of_statements(server, room):
    # CreateMessage is the hot path: the space and membership checks, the thread, the message, its event and
    # the space's last activity, plus transaction control. Nothing grows with the space's size.
    space, alice, _, _ = room
    await post(server, alice, space, "warm up")
    with StatementCounter(server) as counter:
        await post(server, alice, space, "plain")
    assert len(counter.statements) <= 7, counter.statements
    with StatementCounter(server) as counter:
        await post(server, alice, space, "keyed", thread_key="k", request_id=str(uuid.uuid4()),
                   message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    assert len(counter.statements) <= 9, counter.statements
