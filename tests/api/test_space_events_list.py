"""ListSpaceEvents over gRPC: the filter grammar Google documents and its refusals, the 28-day window, page
sizes and tokens, which event types each scope reads, and statement counts."""
import time
from datetime import UTC, timedelta, timezone

import grpc
from google.chat.v1 import reaction_pb2
from google.protobuf import timestamp_pb2

from chatsvc.domain.events import EventType, SpaceEvent
from tests.api import test_space_events
from tests.api.test_pagination import StatementCounter
from tests.api.test_space_events import T, add, all_events, get_event, list_events, post, types_filter
from tests.helpers import failure, field_of, new_space, user

room = test_space_events.room
DAY_US = 86_400 * 1_000_000
MESSAGE, MEMBERSHIP = types_filter(T.MESSAGE_CREATED), types_filter(T.MEMBERSHIP_CREATED)


def rfc3339(event) -> str:
    return event.event_time.ToJsonString()


def shifted(event, micros: int) -> str:
    ts = timestamp_pb2.Timestamp()
    ts.FromMicroseconds(event.event_time.ToMicroseconds() + micros)
    return ts.ToJsonString()


def now_plus(micros: int) -> str:
    ts = timestamp_pb2.Timestamp()
    ts.FromMicroseconds(time.time_ns() // 1000 + micros)
    return ts.ToJsonString()


async def insert_events(server, space, count: int, *, at_us: int, prefix="test",
                        event_type=EventType.SPACE_UPDATED) -> None:
    """Events written straight to storage (at any time, in any number), about the space itself."""
    space_id = space.name.split("/")[1]
    async with server.running.db.transaction(write=True) as repos:
        for i in range(count):
            await repos.events.add(SpaceEvent(space_id=space_id, id=f"{prefix}{i:06d}", event_time_us=at_us + i,
                                              event_type=event_type, resource_name=space.name))


async def test_filter_by_event_types_and_times(server, room):
    space, alice, bob, _ = room
    messages = [await post(server, bob, space, f"m{i}") for i in range(4)]
    everything = await all_events(server, alice, space)
    created = [e for e in everything if e.event_type == T.MESSAGE_CREATED.value]
    assert [e.message_created_event_data.message.name for e in created] == [m.name for m in messages]

    async def names(filter_text):
        return [e.name for e in await all_events(server, alice, space, filter_text)]

    assert await names(MESSAGE) == [e.name for e in created]
    assert await names(MEMBERSHIP) == [everything[0].name]
    # OR of types, in either order, with or without quotes and parentheses, camelCase or snake_case.
    both = [everything[0].name, *(e.name for e in created)]
    assert await names(f"{MEMBERSHIP} OR {MESSAGE}") == both
    assert await names(f"({MESSAGE} OR {MEMBERSHIP})") == both
    assert await names(f"eventTypes:{T.MESSAGE_CREATED.value} OR event_types:{T.MEMBERSHIP_CREATED.value}") == both
    assert await names(f"{MESSAGE} OR {MESSAGE}") == [e.name for e in created]
    # start_time is exclusive, end_time inclusive; both take any RFC-3339 offset.
    assert await names(f'start_time="{rfc3339(created[1])}" AND {MESSAGE}') == [e.name for e in created[2:]]
    assert await names(f'{MESSAGE} AND end_time="{rfc3339(created[1])}"') == [e.name for e in created[:2]]
    between = f'start_time="{rfc3339(created[0])}" AND end_time="{rfc3339(created[2])}"'
    assert await names(f"{between} AND {MESSAGE}") == [e.name for e in created[1:3]]
    assert await names(f"{between} AND ({MESSAGE} OR {MEMBERSHIP})") == [e.name for e in created[1:3]]
    assert await names(f"({between}) AND {MESSAGE}") == [e.name for e in created[1:3]]
    assert await names(f'startTime="{shifted(created[0], -1)}" AND endTime="{rfc3339(created[0])}" AND {MESSAGE}'
                       ) == [created[0].name]
    in_another_zone = created[3].event_time.ToDatetime(tzinfo=UTC).astimezone(
        timezone(timedelta(hours=2))).isoformat()
    assert await names(f'end_time="{in_another_zone}" AND {MESSAGE}') == [e.name for e in created]
    assert await names(f'end_time="{shifted(created[3], -1)}" AND {MESSAGE}') == [e.name for e in created[:3]]
    assert await names(f'start_time="{now_plus(60_000_000)}" AND {MESSAGE}') == []
    assert await names(f'start_time="{rfc3339(created[1])}" AND end_time="{rfc3339(created[1])}" AND {MESSAGE}') == []


async def test_invalid_filters_are_refused(server, room):
    space, alice, _, _ = room
    start, end = now_plus(-60_000_000), now_plus(0)
    message, space_updated = T.MESSAGE_CREATED.value, T.SPACE_UPDATED.value
    refused = [
        "",  # required
        "   ",
        # The docs' two invalid examples (with times within the window).
        f'start_time="{start}" OR end_time="{end}"',
        f'event_types:"{space_updated}" AND event_types:"{message}"',
        # No event type at all, even with both times.
        f'start_time="{start}" AND end_time="{end}"',
        f'start_time="{start}"',
        # Event types: `:` only, known base types only, never ANDed, never mixed with times in an OR.
        f'event_types = "{message}"',
        'event_types:"google.workspace.chat.message.v1.posted"',
        'event_types:"google.workspace.chat.message.v1.batchCreated"',
        f'event_types:"{message}" OR event_types:"google.workspace.chat.reaction.v1.batchDeleted"',
        f'event_type:"{message}"',
        f'event_types:"{message}" OR start_time="{start}"',
        f'(event_types:"{message}" OR event_types:"{space_updated}") AND event_types:"{message}"',
        f'(event_types:"{message}" AND start_time="{start}") OR event_types:"{space_updated}"',
        f'NOT event_types:"{message}"',
        f'event_types("{message}")',
        f'event_types:"{message}" AND text:"hi"',
        # Times: `=` only, once each, RFC-3339 with an offset, end not before start.
        f'event_types:"{message}" AND start_time > "{start}"',
        f'event_types:"{message}" AND end_time <= "{end}"',
        f'event_types:"{message}" AND start_time="{start}" AND start_time="{start}"',
        f'event_types:"{message}" AND start_time="yesterday"',
        f'event_types:"{message}" AND start_time="2024-01-01T00:00:00"',
        f'event_types:"{message}" AND start_time=2024-01-01T00:00:00Z',
        f'event_types:"{message}" AND start_time="{end}" AND end_time="{start}"',
        # Mixing AND and OR without parentheses; broken syntax.
        f'start_time="{start}" AND event_types:"{message}" OR event_types:"{space_updated}"',
        f'(event_types:"{message}"',
        f'event_types:"{message}" AND',
        "x" * 5000,
    ]
    for bad in refused:
        details = await failure(list_events(server, alice, space, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad


async def test_the_28_day_window(server, room):
    space, alice, _, _ = room
    now_us = time.time_ns() // 1000
    await insert_events(server, space, 2, at_us=now_us - 30 * DAY_US)  # too old to list
    await insert_events(server, space, 1, at_us=now_us - 27 * DAY_US, prefix="recent")
    only_space = types_filter(T.SPACE_UPDATED)
    listed = await all_events(server, alice, space, only_space)
    assert len(listed) == 1 and listed[0].event_time.ToMicroseconds() == now_us - 27 * DAY_US
    # An old event stays readable by name.
    old = f"{space.name}/spaceEvents/test000000"
    assert (await get_event(server, alice, old)).event_time.ToMicroseconds() == now_us - 30 * DAY_US
    # A start_time within the last 28 days narrows the window; an older one is refused.
    assert await all_events(server, alice, space, f'start_time="{now_plus(-26 * DAY_US)}" AND {only_space}') == []
    assert len(await all_events(server, alice, space, f'start_time="{now_plus(-28 * DAY_US + 60_000_000)}" AND '
                                                      f'{only_space}')) == 1
    details = await failure(list_events(server, alice, space, f'start_time="{now_plus(-29 * DAY_US)}" AND '
                                                              f'{only_space}'), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["filter"] and "28 days" in details["BadRequest"].field_violations[0].description
    # end_time alone may reach back: it only ends the (28-day) window earlier.
    assert await all_events(server, alice, space, f'end_time="{now_plus(-29 * DAY_US)}" AND {only_space}') == []


async def test_page_sizes_and_tokens(server, room):
    space, alice, bob, _ = room
    await insert_events(server, space, 1005, at_us=time.time_ns() // 1000 - DAY_US)
    only_space = types_filter(T.SPACE_UPDATED)
    assert len((await list_events(server, alice, space, only_space)).space_events) == 100  # the default
    page = await list_events(server, alice, space, only_space, page_size=5000)
    assert len(page.space_events) == 1000 and page.next_page_token  # the maximum
    rest = await list_events(server, alice, space, only_space, page_size=5000, page_token=page.next_page_token)
    assert len(rest.space_events) == 5 and not rest.next_page_token
    assert [e.name for e in [*page.space_events, *rest.space_events]] == [
        f"{space.name}/spaceEvents/test{i:06d}" for i in range(1005)]

    details = await failure(list_events(server, alice, space, only_space, page_size=-1),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]
    issued = page.next_page_token  # one signature character changed (not the last, whose low bits are padding)
    for token in ("garbage", issued[:-5] + ("A" if issued[-5] != "A" else "B") + issued[-4:]):
        details = await failure(list_events(server, alice, space, only_space, page_token=token),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"]
    # A token is bound to its filter and its caller.
    for call in (list_events(server, alice, space, MESSAGE, page_token=page.next_page_token),
                 list_events(server, bob, space, only_space, page_token=page.next_page_token)):
        assert field_of(await failure(call, grpc.StatusCode.INVALID_ARGUMENT)) == ["page_token"]


async def test_paging_keeps_the_window_of_its_first_page(server, room):
    space, alice, bob, _ = room
    first_posts = [await post(server, bob, space, f"m{i}") for i in range(3)]
    first = await list_events(server, alice, space, MESSAGE, page_size=2)
    later = await post(server, bob, space, "after the first page")
    rest = await list_events(server, alice, space, MESSAGE, page_size=2, page_token=first.next_page_token)
    paged = [e.message_created_event_data.message.name for e in [*first.space_events, *rest.space_events]]
    assert paged == [m.name for m in first_posts] and not rest.next_page_token
    fresh = await all_events(server, alice, space, MESSAGE)
    assert [e.message_created_event_data.message.name for e in fresh] == [*paged, later.name]


async def test_scopes_decide_which_event_types_a_caller_reads(server, room):
    space, alice, bob, bob_membership = room
    await post(server, alice, space, "hello")
    events = {e.event_type: e for e in await all_events(server, alice, space)}
    membership_event, message_event = events[T.MEMBERSHIP_CREATED.value], events[T.MESSAGE_CREATED.value]

    def alice_with(*scopes):
        return server.md(user="alice@example.com", scopes=scopes)

    async def scope_refused(call, *types):
        details = await failure(call, grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
        assert details["ErrorInfo"].metadata["eventTypes"] == ", ".join(sorted(t.value for t in types))

    readers = {
        "chat.messages.readonly": {T.MESSAGE_CREATED, T.MESSAGE_UPDATED, T.MESSAGE_DELETED, T.REACTION_CREATED,
                                   T.REACTION_DELETED},
        "chat.messages": {T.MESSAGE_CREATED, T.MESSAGE_UPDATED, T.MESSAGE_DELETED, T.REACTION_CREATED,
                          T.REACTION_DELETED},
        "chat.messages.reactions.readonly": {T.REACTION_CREATED, T.REACTION_DELETED},
        "chat.messages.reactions": {T.REACTION_CREATED, T.REACTION_DELETED},
        "chat.memberships.readonly": {T.MEMBERSHIP_CREATED, T.MEMBERSHIP_UPDATED, T.MEMBERSHIP_DELETED},
        "chat.memberships": {T.MEMBERSHIP_CREATED, T.MEMBERSHIP_UPDATED, T.MEMBERSHIP_DELETED},
        "chat.spaces.readonly": {T.SPACE_UPDATED},
        "chat.spaces": {T.SPACE_UPDATED},
    }
    for scope, readable in readers.items():
        md = alice_with(scope)
        await list_events(server, md, space, types_filter(*readable))
        unreadable = set(EventType) - readable
        await scope_refused(list_events(server, md, space), *unreadable)
        await scope_refused(list_events(server, md, space, types_filter(sorted(unreadable)[0])),
                            sorted(unreadable)[0])
    # Scopes add up; GetSpaceEvent follows the same rule.
    both = alice_with("chat.messages.readonly", "chat.memberships.readonly")
    assert len(await all_events(server, both, space, f"{MESSAGE} OR {MEMBERSHIP}")) == 2
    only_messages = alice_with("chat.messages.readonly")
    assert await get_event(server, only_messages, message_event.name) == message_event
    await scope_refused(get_event(server, only_messages, membership_event.name), T.MEMBERSHIP_CREATED)


async def test_apps_read_events_with_chat_app_scopes(server, room):
    space, alice, _, _ = room
    via_bot = server.md(user="alice@example.com", app="events-bot",
                        scopes=("chat.spaces", "chat.memberships", "chat.memberships.app"))
    await add(server, via_bot, space, "users/app")
    await post(server, alice, space, "hello")
    app = server.md(app="events-bot", scopes=("chat.app.memberships.readonly", "chat.app.messages.readonly"))
    listed = await all_events(server, app, space, f"{MESSAGE} OR {MEMBERSHIP}")
    assert [e.event_type for e in listed] == [T.MEMBERSHIP_CREATED.value] * 2 + [T.MESSAGE_CREATED.value]
    assert listed[1].membership_created_event_data.membership.member.type == 2  # the app itself, a BOT
    details = await failure(list_events(server, app, space, types_filter(T.SPACE_UPDATED)),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    # A user scope on an app token reads nothing more; an app outside the space sees nothing.
    mixed = server.md(app="events-bot", scopes=("chat.app.spaces", "chat.messages"))
    await failure(list_events(server, mixed, space, MESSAGE), grpc.StatusCode.PERMISSION_DENIED)
    stranger = server.md(app="other-bot", scopes=("chat.app.messages.readonly",))
    await failure(list_events(server, stranger, space, MESSAGE), grpc.StatusCode.NOT_FOUND)


async def test_a_page_costs_the_same_statements_whatever_its_size(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    for i in range(12):
        await add(server, alice, space, f"users/person{i}@example.com")
        message = await post(server, alice, space, f"m{i}")
        await server.chat.CreateReaction(reaction_pb2.CreateReactionRequest(
            parent=message.name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode="🙂"))),
            metadata=alice)
    mixed = types_filter(T.MESSAGE_CREATED, T.MEMBERSHIP_CREATED, T.REACTION_CREATED, T.SPACE_UPDATED)
    await list_events(server, alice, space, mixed, page_size=1)  # warm the caller lookup
    counts = []
    for size in (3, 36):
        with StatementCounter(server) as counter:
            page = await list_events(server, alice, space, mixed, page_size=size)
        assert len(page.space_events) == size
        counts.append(len(counter.statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts
