"""GetSpaceEvent and ListSpaceEvents over gRPC: the events a space's history leaves, each payload the latest
version of its resource, then not-found, invalid names and who may read what. Helpers here are shared by
the other test_space_events_* modules."""
import re

import grpc
import pytest
from google.chat.v1 import membership_pb2, message_pb2, reaction_pb2, space_event_pb2, space_pb2, user_pb2
from google.protobuf import field_mask_pb2

from chatsvc.domain.events import EventType
from tests.helpers import failure, field_of, new_space, rpc_error_details, user

T = EventType
ALL_TYPES = tuple(EventType)
EVENT_NAME = re.compile(r"^spaces/AAAA[A-Za-z0-9]{7}/spaceEvents/[A-Za-z0-9]+$")
Role = membership_pb2.Membership.MembershipRole
State = membership_pb2.Membership.MembershipState


def types_filter(*types: EventType) -> str:
    return " OR ".join(f'event_types:"{t.value}"' for t in types or ALL_TYPES)


def list_events(server, md, space, filter=None, **request):
    return server.chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
        parent=space if isinstance(space, str) else space.name,
        filter=types_filter() if filter is None else filter, **request), metadata=md)


def get_event(server, md, name):
    return server.chat.GetSpaceEvent(space_event_pb2.GetSpaceEventRequest(name=name), metadata=md)


async def all_events(server, md, space, filter=None, page_size=0) -> list:
    found, token = [], ""
    while True:
        page = await list_events(server, md, space, filter, page_size=page_size, page_token=token)
        found += page.space_events
        token = page.next_page_token
        if not token:
            return found


def kinds(events) -> list[tuple[str, str]]:
    """(event type, payload field) of each event."""
    return [(e.event_type, e.WhichOneof("payload")) for e in events]


def add(server, md, space, member):
    return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=member))), metadata=md)


def post(server, md, space, text):
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text=text)), metadata=md)


@pytest.fixture
async def room(server):
    """alice's space with bob in it: (space, alice's metadata, bob's metadata, bob's membership)."""
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    bob_membership = await add(server, alice, space, "users/bob@example.com")
    return space, alice, bob, bob_membership


async def test_space_event_lifecycle(server, room):
    space, alice, bob, bob_membership = room
    kept = await post(server, bob, space, "first draft")
    gone = await post(server, bob, space, "to be deleted")
    await server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message_pb2.Message(name=kept.name, text="final text"),
        update_mask=field_mask_pb2.FieldMask(paths=["text"])), metadata=bob)
    await server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=gone.name), metadata=bob)
    await server.chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
        space=space_pb2.Space(name=space.name, display_name="Renamed"),
        update_mask=field_mask_pb2.FieldMask(paths=["display_name"])), metadata=alice)
    await server.chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
        membership=membership_pb2.Membership(name=bob_membership.name, role=Role.ROLE_MANAGER),
        update_mask=field_mask_pb2.FieldMask(paths=["role"])), metadata=alice)
    carol = await add(server, alice, space, "users/carol@example.com")
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(name=carol.name), metadata=alice)

    events = await all_events(server, alice, space)
    # Oldest first; every payload in the field of its type.
    assert kinds(events) == [
        (T.MEMBERSHIP_CREATED.value, "membership_created_event_data"),  # bob
        (T.MESSAGE_CREATED.value, "message_created_event_data"),
        (T.MESSAGE_CREATED.value, "message_created_event_data"),
        (T.MESSAGE_UPDATED.value, "message_updated_event_data"),
        (T.MESSAGE_DELETED.value, "message_deleted_event_data"),
        (T.SPACE_UPDATED.value, "space_updated_event_data"),
        (T.MEMBERSHIP_UPDATED.value, "membership_updated_event_data"),
        (T.MEMBERSHIP_CREATED.value, "membership_created_event_data"),  # carol
        (T.MEMBERSHIP_DELETED.value, "membership_deleted_event_data"),
    ]
    assert all(EVENT_NAME.match(e.name) and e.name.startswith(space.name + "/spaceEvents/") for e in events)
    assert len({e.name for e in events}) == len(events)
    times = [(e.event_time.seconds, e.event_time.nanos) for e in events]
    assert times == sorted(times) and times[0][0] > 0

    # Payloads hold the latest version of their resource.
    bob_joined = events[0].membership_created_event_data
    assert bob_joined.membership.name == bob_membership.name
    assert bob_joined.membership.role == Role.ROLE_MANAGER  # promoted after the event
    assert bob_joined.membership.member.name == bob_membership.member.name
    assert events[6].membership_updated_event_data.membership == bob_joined.membership
    latest = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=kept.name), metadata=alice)
    assert events[1].message_created_event_data.message == latest
    assert latest.text == "final text"
    assert events[3].message_updated_event_data.message == latest
    # A message deleted since it was posted shows as what is left of it.
    posted_then_deleted = events[2].message_created_event_data.message
    assert posted_then_deleted.name == gone.name and posted_then_deleted.HasField("delete_time")
    assert not posted_then_deleted.text
    # The deletion: name, create_time and deletion_metadata only.
    deleted = events[4].message_deleted_event_data.message
    assert deleted.deletion_metadata.deletion_type  # who deleted it, as ListMessages shows it
    assert deleted == message_pb2.Message(name=gone.name, create_time=gone.create_time,
                                          deletion_metadata=deleted.deletion_metadata)
    space_now = events[5].space_updated_event_data.space
    assert space_now.name == space.name and space_now.display_name == "Renamed"
    assert not space_now.HasField("permission_settings")
    # A member removed since joining leaves an empty Membership; the removal shows only name and state.
    assert events[7].membership_created_event_data.membership == membership_pb2.Membership()
    assert events[8].membership_deleted_event_data.membership == membership_pb2.Membership(
        name=carol.name, state=State.NOT_A_MEMBER)

    # GetSpaceEvent returns each event as the list does; any member may read them.
    for event in events:
        assert await get_event(server, bob, event.name) == event


async def test_a_member_who_comes_back_shows_in_their_old_events(server, room):
    space, alice, _, bob_membership = room
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(name=bob_membership.name),
                                       metadata=alice)
    await add(server, alice, space, "users/bob@example.com")
    events = await all_events(server, alice, space, types_filter(T.MEMBERSHIP_CREATED, T.MEMBERSHIP_DELETED))
    assert [e.event_type for e in events] == [T.MEMBERSHIP_CREATED.value, T.MEMBERSHIP_DELETED.value,
                                              T.MEMBERSHIP_CREATED.value]
    assert events[0].membership_created_event_data.membership.state == State.JOINED
    assert events[1].membership_deleted_event_data.membership == membership_pb2.Membership(
        name=bob_membership.name, state=State.JOINED)


async def test_get_space_event_errors(server, room):
    space, alice, _, _ = room
    events = await all_events(server, alice, space)
    for bad in ("", "spaces", space.name, f"{space.name}/spaceEvents", f"{space.name}/events/x",
                f"{space.name}/spaceEvents/a/b", events[0].name.replace("spaceEvents", "spaceevents")):
        details = await failure(get_event(server, alice, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"], bad
    details = await failure(get_event(server, alice, f"{space.name}/spaceEvents/nope"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_EVENT_NOT_FOUND"
    await failure(get_event(server, alice, "spaces/AAAAnothing0/spaceEvents/x"), grpc.StatusCode.NOT_FOUND)
    # An event of one space is not reachable through another space's name.
    other = await new_space(server, alice)
    event_id = events[0].name.rsplit("/", 1)[1]
    await failure(get_event(server, alice, f"{other.name}/spaceEvents/{event_id}"), grpc.StatusCode.NOT_FOUND)


async def test_a_non_member_learns_nothing(server, room):
    """Their answer is the one a missing space gets: NOT_FOUND, SPACE_NOT_FOUND."""
    space, alice, _, bob_membership = room
    events = await all_events(server, alice, space)
    mallory = user(server, "mallory@example.com")

    async def refused(md):
        for call in (get_event(server, md, events[0].name), list_events(server, md, space)):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await call
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND
            assert caught.value.details() == f"Space `{space.name}` not found."
            assert rpc_error_details(caught.value)["ErrorInfo"].reason == "SPACE_NOT_FOUND"

    await refused(mallory)
    missing = await failure(list_events(server, mallory, "spaces/AAAAnothing0"), grpc.StatusCode.NOT_FOUND)
    assert missing["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    # A former member too.
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(name=bob_membership.name),
                                       metadata=alice)
    await refused(user(server, "bob@example.com"))


async def test_private_messages_show_only_to_their_viewer(server, room):
    space, alice, bob, bob_membership = room
    bot_via_alice = server.md(user="alice@example.com", app="helper-bot",
                              scopes=("chat.spaces", "chat.memberships", "chat.memberships.app"))
    await add(server, bot_via_alice, space, "users/app")
    bot = server.md(app="helper-bot", scopes=("chat.bot",))
    private = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(
            text="for bob", private_message_viewer=user_pb2.User(name=bob_membership.member.name))), metadata=bot)
    public = await post(server, alice, space, "for everyone")
    only_messages = types_filter(T.MESSAGE_CREATED)
    seen_by_bob = await all_events(server, bob, space, only_messages)
    assert [e.message_created_event_data.message.name for e in seen_by_bob] == [private.name, public.name]
    seen_by_alice = await all_events(server, alice, space, only_messages)
    assert [e.message_created_event_data.message.name for e in seen_by_alice] == [public.name]
    await failure(get_event(server, alice, seen_by_bob[0].name), grpc.StatusCode.NOT_FOUND)


async def test_reaction_events_show_the_latest_reaction(server, room):
    space, alice, bob, _ = room
    message = await post(server, alice, space, "react to me")

    def react(md, unicode):
        return server.chat.CreateReaction(reaction_pb2.CreateReactionRequest(
            parent=message.name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode=unicode))),
            metadata=md)

    kept, removed = await react(bob, "🙂"), await react(alice, "🎉")
    await server.chat.DeleteReaction(reaction_pb2.DeleteReactionRequest(name=removed.name), metadata=alice)
    events = await all_events(server, alice, space, types_filter(T.REACTION_CREATED, T.REACTION_DELETED))
    assert kinds(events) == [(T.REACTION_CREATED.value, "reaction_created_event_data"),
                             (T.REACTION_CREATED.value, "reaction_created_event_data"),
                             (T.REACTION_DELETED.value, "reaction_deleted_event_data")]
    assert events[0].reaction_created_event_data.reaction == kept
    assert events[1].reaction_created_event_data.reaction == reaction_pb2.Reaction()  # deleted since
    assert events[2].reaction_deleted_event_data.reaction == reaction_pb2.Reaction(name=removed.name)
    for event in events:
        assert await get_event(server, bob, event.name) == event
    # A message's payload carries its reaction counts, as GetMessage does.
    [posted] = await all_events(server, alice, space, types_filter(T.MESSAGE_CREATED))
    got = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=message.name), metadata=alice)
    assert posted.message_created_event_data.message == got
    assert [(s.emoji.unicode, s.reaction_count) for s in got.emoji_reaction_summaries] == [("🙂", 1)]
