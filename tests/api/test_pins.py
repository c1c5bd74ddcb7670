"""Message pins over gRPC: the lifecycle, pin order, the 100-pin limit, pins of deleted and private
messages, who may pin, pages, the error cases, and what a non-member learns (nothing)."""
import asyncio

import grpc
from google.chat.v1 import message_pb2, message_pin_pb2
from sqlalchemy import insert

from chatsvc.storage.tables import message_pins
from tests.api import test_messages
from tests.api.test_events_recorded import recorded
from tests.api.test_messages import post
from tests.api.test_messages_content import make_announcement_space
from tests.api.test_pagination import seed
from tests.helpers import failure, field_of, user

room, bot_room = test_messages.room, test_messages.bot_room


def pin(server, md, parent, message_name):
    return server.chat.CreateMessagePin(message_pin_pb2.CreateMessagePinRequest(
        parent=parent, message_pin=message_pin_pb2.MessagePin(message=message_name)), metadata=md)


def list_pins(server, md, parent, **request):
    return server.chat.ListMessagePins(message_pin_pb2.ListMessagePinsRequest(parent=parent, **request),
                                       metadata=md)


def unpin(server, md, name):
    return server.chat.DeleteMessagePin(message_pin_pb2.DeleteMessagePinRequest(name=name), metadata=md)


def pin_name(message_name: str) -> str:
    space, _, message_id = message_name.rpartition("/messages/")
    return f"{space}/messagePins/{message_id}"


async def pinned(server, md, space) -> list[str]:
    return [p.message for p in (await list_pins(server, md, space.name)).message_pins]


async def test_pin_lifecycle(server, room):
    space, alice, bob, _ = room
    message = await post(server, alice, space, "remember this")
    events_before = await recorded(server, space.name)

    created = await pin(server, bob, space.name, message.name)
    assert created == message_pin_pb2.MessagePin(name=pin_name(message.name), message=message.name)
    listed = await list_pins(server, alice, space.name)
    assert list(listed.message_pins) == [created] and not listed.next_page_token

    details = await failure(pin(server, alice, space.name, message.name), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "MESSAGE_ALREADY_PINNED"

    await unpin(server, alice, created.name)  # any member who may pin may unpin
    assert await pinned(server, bob, space) == []
    details = await failure(unpin(server, alice, created.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MESSAGE_PIN_NOT_FOUND"
    assert await pin(server, alice, space.name, message.name) == created  # pinned again
    # Pins have no space event type: nothing is recorded.
    assert await recorded(server, space.name) == events_before


async def test_concurrent_pins_of_one_message_make_one_pin(server, room):
    space, alice, bob, _ = room
    message = await post(server, alice, space, "hot")
    outcomes = await asyncio.gather(*(pin(server, md, space.name, message.name) for md in (alice, bob) * 3),
                                    return_exceptions=True)
    made = [o for o in outcomes if isinstance(o, message_pin_pb2.MessagePin)]
    refused = [o for o in outcomes if isinstance(o, grpc.aio.AioRpcError)]
    assert len(made) == 1 and len(refused) == 5
    assert {e.code() for e in refused} == {grpc.StatusCode.ALREADY_EXISTS}
    assert await pinned(server, alice, space) == [message.name]


async def test_pins_list_in_the_order_they_were_made(server, room):
    space, alice, bob, _ = room
    first, second, third = [await post(server, alice, space, f"m{n}") for n in range(3)]
    for message in (third, first, second):
        await pin(server, bob, space.name, message.name)
    assert await pinned(server, alice, space) == [third.name, first.name, second.name]
    # Pages of pins: 100 by default and at most; smaller pages chain with tokens bound to the request.
    page = await list_pins(server, alice, space.name, page_size=2)
    assert [p.message for p in page.message_pins] == [third.name, first.name] and page.next_page_token
    rest = await list_pins(server, alice, space.name, page_size=2, page_token=page.next_page_token)
    assert [p.message for p in rest.message_pins] == [second.name] and not rest.next_page_token
    other = await test_messages.new_space(server, alice)
    details = await failure(list_pins(server, alice, other.name, page_token=page.next_page_token),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]


async def test_pinning_by_client_assigned_message_id(server, room):
    space, alice, _, _ = room
    message = await post(server, alice, space, "named", message_id="client-pinned")
    created = await pin(server, alice, space.name, f"{space.name}/messages/client-pinned")
    assert created.message == message.name and created.name == pin_name(message.name)  # canonical names
    await unpin(server, alice, f"{space.name}/messagePins/client-pinned")
    assert await pinned(server, alice, space) == []


async def test_at_most_100_pins(server, room):
    space, alice, _, _ = room
    await seed(server, space.name, senders=101)
    messages = (await test_messages.list_messages(server, alice, space, page_size=101)).messages
    space_id = space.name.split("/")[1]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(insert(message_pins), [
            dict(space_id=space_id, message_id=m.name.rsplit("/", 1)[1], pinner_id="1", create_time_us=n)
            for n, m in enumerate(messages[:100])])
    listed = await list_pins(server, alice, space.name, page_size=500)
    assert len(listed.message_pins) == 100 and not listed.next_page_token
    details = await failure(pin(server, alice, space.name, messages[100].name), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "MESSAGE_PIN_LIMIT_REACHED"
    # Unpinning one makes room.
    await unpin(server, alice, pin_name(messages[0].name))
    await pin(server, alice, space.name, messages[100].name)


async def test_pins_of_deleted_messages_are_gone(server, room):
    space, alice, bob, _ = room
    kept, dropped = await post(server, alice, space, "kept"), await post(server, bob, space, "dropped")
    await pin(server, alice, space.name, kept.name)
    dropped_pin = await pin(server, alice, space.name, dropped.name)
    await server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=dropped.name), metadata=bob)
    assert await pinned(server, alice, space) == [kept.name]
    await failure(unpin(server, alice, dropped_pin.name), grpc.StatusCode.NOT_FOUND)
    details = await failure(pin(server, alice, space.name, dropped.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    await failure(pin(server, alice, space.name, f"{space.name}/messages/nothere"), grpc.StatusCode.NOT_FOUND)


async def test_private_messages_cannot_be_pinned(server, bot_room):
    space, alice, bob, bob_name, bot = bot_room
    private = await post(server, bot, space, message=message_pb2.Message(
        text="only for bob", private_message_viewer={"name": bob_name}))
    details = await failure(pin(server, bob, space.name, private.name), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message_pin.message"]
    await failure(pin(server, alice, space.name, private.name), grpc.StatusCode.NOT_FOUND)  # alice can't see it


async def test_announcement_spaces_leave_pins_to_managers(server, room):
    space, alice, bob, _ = room
    await make_announcement_space(server, space)
    news = await post(server, alice, space, "news")
    details = await failure(pin(server, bob, space.name, news.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "PIN_MESSAGES_NOT_PERMITTED"
    created = await pin(server, alice, space.name, news.name)
    assert await pinned(server, bob, space) == [news.name]  # everyone sees pins
    await failure(unpin(server, bob, created.name), grpc.StatusCode.PERMISSION_DENIED)
    await unpin(server, alice, created.name)


async def test_invalid_arguments_name_the_field(server, room):
    space, alice, _, _ = room
    message = await post(server, alice, space, "x")
    other = await test_messages.new_space(server, alice)
    cases = [
        (pin(server, alice, message.name, message.name), "parent"),
        (pin(server, alice, space.name, ""), "message_pin.message"),
        (pin(server, alice, space.name, space.name), "message_pin.message"),
        (pin(server, alice, other.name, message.name), "message_pin.message"),
        (list_pins(server, alice, "spaces/"), "parent"),
        (list_pins(server, alice, space.name, page_size=-1), "page_size"),
        (list_pins(server, alice, space.name, page_token="forged"), "page_token"),
        (unpin(server, alice, message.name), "name"),
        (unpin(server, alice, f"{space.name}/messagePins/"), "name"),
    ]
    for call, field in cases:
        details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], field


async def test_a_non_member_learns_nothing(server, room):
    space, alice, _, _ = room
    message = await post(server, alice, space, "members only")
    created = await pin(server, alice, space.name, message.name)
    outsider = user(server, "mallory@example.com")
    missing = "spaces/AAAAmissing"
    for real, absent in (
            (pin(server, outsider, space.name, message.name), pin(server, outsider, missing, f"{missing}/messages/x")),
            (list_pins(server, outsider, space.name), list_pins(server, outsider, missing)),
            (unpin(server, outsider, created.name), unpin(server, outsider, f"{missing}/messagePins/x"))):
        seen = await failure(real, grpc.StatusCode.NOT_FOUND)
        expected = await failure(absent, grpc.StatusCode.NOT_FOUND)
        assert seen["ErrorInfo"].reason == expected["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    assert await pinned(server, alice, space) == [message.name]
