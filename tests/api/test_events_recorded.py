"""Every mutation leaves a space event in the same transaction (read back here through storage; the
events RPCs come with the rest of ChatService)."""
import grpc
import pytest
from google.chat.v1 import membership_pb2, message_pb2, space_pb2

from chatsvc.domain.events import EventType


async def recorded(server, space_name: str) -> list[tuple[str, str]]:
    space_id = space_name.split("/")[1]
    async with server.running.db.transaction() as repos:
        page = await repos.events.list(space_id, types=set(EventType), after_us=0, until_us=2**62,
                                       position=None, limit=100)
    return [(e.event_type.value, e.resource_name) for e in page.items]


async def test_membership_and_message_creation_record_events(server):
    md = server.md(user="alice@example.com", scopes=["chat.spaces", "chat.memberships", "chat.messages"])
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(display_name="Events", space_type=1)), metadata=md)
    member = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": "users/bob@example.com"})),
        metadata=md)
    message = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text="hello")), metadata=md)
    assert await recorded(server, space.name) == [
        (EventType.MEMBERSHIP_CREATED.value, member.name),
        (EventType.MESSAGE_CREATED.value, message.name),
    ]


async def test_a_refused_mutation_records_nothing(server):
    md = server.md(user="alice@example.com", scopes=["chat.spaces", "chat.messages"])
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(
        space=space_pb2.Space(display_name="Quiet", space_type=1)), metadata=md)
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message_id="client-one", message=message_pb2.Message(text="a")), metadata=md)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message_id="client-one", message=message_pb2.Message(text="b")), metadata=md)
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert len(await recorded(server, space.name)) == 1
