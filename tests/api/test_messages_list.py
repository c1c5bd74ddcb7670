"""ListMessages filters over gRPC: create_time bounds and intervals, one thread, the documented grammar and
its refusals; page tokens bound to the filter; statement counts with mentions and private messages."""
import grpc
from google.chat.v1 import message_pb2

from tests.api import test_messages
from tests.api.test_messages import Reply, list_messages, post
from tests.api.test_pagination import StatementCounter
from tests.helpers import failure, field_of, user

room, bot_room = test_messages.room, test_messages.bot_room


def _time(message) -> str:
    return message.create_time.ToJsonString()


async def test_filter_by_create_time_and_thread(server, room):
    space, alice, bob, _ = room
    posted = [await post(server, alice if i % 2 else bob, space, f"m{i}", thread_key="even" if i % 2 == 0 else "",
                         message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD if i % 2 == 0 else 0)
              for i in range(6)]
    names = [m.name for m in posted]
    thread = posted[0].thread.name

    async def names_for(filter_text, **request):
        return [m.name for m in (await list_messages(server, alice, space, filter=filter_text, **request)).messages]

    assert await names_for(f'create_time > "{_time(posted[1])}"') == names[2:]
    assert await names_for(f'createTime < "{_time(posted[2])}"') == names[:2]
    interval = f'create_time > "{_time(posted[0])}" AND create_time < "{_time(posted[4])}"'
    assert await names_for(interval) == names[1:4]
    assert await names_for(interval, order_by="create_time desc") == names[1:4][::-1]
    assert await names_for(f"thread.name = {thread}") == [names[0], names[2], names[4]]
    assert await names_for(f'thread.name = "{thread}" AND create_time > "{_time(posted[0])}"') == [names[2], names[4]]
    assert await names_for(f'(create_time > "{_time(posted[0])}") AND thread.name = {posted[1].thread.name}') == [
        names[1]]
    # Any RFC-3339 offset works; a thread without messages (or none at all) lists nothing.
    assert await names_for('create_time > "2000-01-01T01:00:00+01:00"') == names
    assert await names_for(f"thread.name = {space.name}/threads/nothing") == []

    # A token carries its filter: paging on with another filter is refused.
    first = await list_messages(server, alice, space, filter=f"thread.name = {thread}", page_size=1)
    rest = await list_messages(server, alice, space, filter=f"thread.name = {thread}", page_token=first.next_page_token)
    assert [m.name for m in [*first.messages, *rest.messages]] == [names[0], names[2], names[4]]
    details = await failure(list_messages(server, alice, space, page_token=first.next_page_token),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]


async def test_bad_filters_are_refused(server, room):
    space, alice, _, _ = room
    thread = f"{space.name}/threads/t"
    for bad in ('create_time >= "2023-04-21T11:30:00Z"', "create_time > 2023", 'create_time > "not a time"',
                f'create_time > "2023-04-21T11:30:00Z" OR thread.name = {thread}',
                f"thread.name = {thread} AND thread.name = {thread}", "thread.name = spaces/AAAAother00/threads/t",
                'sender.name = "users/me"', "text:hello", "create_time", f"NOT thread.name = {thread}",
                "(thread.name = x", "x" * 5000):
        details = await failure(list_messages(server, alice, space, filter=bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad
        assert details["ErrorInfo"].reason == "INVALID_FILTER", bad


async def test_a_non_member_app_learns_nothing(server, room):
    space, alice, _, _ = room
    posted = await post(server, alice, space)
    outsider = server.md(app="outside-bot", scopes=["chat.bot", "chat.app.messages.readonly"])
    for call in (test_messages.get(server, outsider, posted.name), list_messages(server, outsider, space),
                 post(server, outsider, space, "hi"),
                 server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=posted.name), metadata=outsider)):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    # With filters too, a non-member gets the same answer.
    eve = user(server, "eve@example.com")
    details = await failure(list_messages(server, eve, space, filter=f"thread.name = {posted.thread.name}"),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"


async def test_listing_stays_bounded_with_mentions_and_filters(server, bot_room):
    space, alice, bob, bob_name, bot = bot_room
    for i in range(30):
        await post(server, alice if i % 2 else bob, space, f"hi <users/{bob_name.split('/')[1]}> <users/all> {i}")
        await post(server, bot, space, message=message_pb2.Message(
            text="private", private_message_viewer={"name": bob_name}))
    await list_messages(server, bob, space, page_size=1)  # warm the caller lookup
    counts = {}
    for size in (5, 50):
        with StatementCounter(server) as counter:
            page = await list_messages(server, bob, space, page_size=size,
                                       filter='create_time > "2000-01-01T00:00:00Z"')
        assert len(page.messages) == size
        counts[size] = len(counter.statements)
    assert counts[5] == counts[50] <= 6, counts
    alice_view = await list_messages(server, alice, space, page_size=100)
    assert len(alice_view.messages) == 30 and all(m.annotations for m in alice_view.messages)
