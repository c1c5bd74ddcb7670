"""A caller who is not a member learns nothing about a space or anything in it, through any RPC of the
spaces / memberships / messages group: the same NOT_FOUND as for a space that does not exist, and absence
from every list and search."""
from __future__ import annotations

import grpc
import pytest
from google.chat.v1 import membership_pb2, message_pb2, space_pb2, space_setup_pb2
from google.protobuf import field_mask_pb2

from tests.helpers import failure, new_space

SCOPES = ("chat.spaces", "chat.memberships", "chat.messages", "chat.delete", "chat.import")


@pytest.fixture
async def world(server):
    """alice's space with bob in it, a message, and a group chat of alice, bob and carol; mallory is outside."""
    alice = server.md(user="alice@example.com", scopes=SCOPES)
    space = await new_space(server, alice, display_name="Private plans")
    membership = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": "users/bob@example.com"})),
        metadata=alice)
    message = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text="secret")), metadata=alice)
    group = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.GROUP_CHAT), memberships=[
            membership_pb2.Membership(member={"name": f"users/{who}@example.com", "type": 1})
            for who in ("bob", "carol")]), metadata=alice)
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=group.name, message=message_pb2.Message(text="hi all")), metadata=alice)
    mallory = server.md(user="mallory@example.com", scopes=SCOPES)
    return dict(space=space, membership=membership, message=message, group=group, mallory=mallory)


async def test_every_call_about_someone_elses_space_is_not_found_like_a_missing_one(server, world):
    space, message, membership = world["space"], world["message"], world["membership"]
    chat, md = server.chat, world["mallory"]
    missing = "spaces/AAAAmissing"

    def calls(space_name: str, message_name: str, membership_name: str):
        return {
            "GetSpace": chat.GetSpace(space_pb2.GetSpaceRequest(name=space_name), metadata=md),
            "UpdateSpace": chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
                space=space_pb2.Space(name=space_name, display_name="mine now"),
                update_mask=field_mask_pb2.FieldMask(paths=["display_name"])), metadata=md),
            "DeleteSpace": chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space_name), metadata=md),
            "CompleteImportSpace": chat.CompleteImportSpace(
                space_pb2.CompleteImportSpaceRequest(name=space_name), metadata=md),
            "CreateMembership": chat.CreateMembership(membership_pb2.CreateMembershipRequest(
                parent=space_name, membership=membership_pb2.Membership(member={"name": "users/me"})),
                metadata=md),
            "GetMembership": chat.GetMembership(membership_pb2.GetMembershipRequest(name=membership_name),
                                                metadata=md),
            "ListMemberships": chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space_name),
                                                    metadata=md),
            "UpdateMembership": chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
                membership=membership_pb2.Membership(name=membership_name, role=2),
                update_mask=field_mask_pb2.FieldMask(paths=["role"])), metadata=md),
            "DeleteMembership": chat.DeleteMembership(
                membership_pb2.DeleteMembershipRequest(name=membership_name), metadata=md),
            "CreateMessage": chat.CreateMessage(message_pb2.CreateMessageRequest(
                parent=space_name, message=message_pb2.Message(text="hello?")), metadata=md),
            "GetMessage": chat.GetMessage(message_pb2.GetMessageRequest(name=message_name), metadata=md),
            "ListMessages": chat.ListMessages(message_pb2.ListMessagesRequest(parent=space_name), metadata=md),
            "UpdateMessage": chat.UpdateMessage(message_pb2.UpdateMessageRequest(
                message=message_pb2.Message(name=message_name, text="edited"),
                update_mask=field_mask_pb2.FieldMask(paths=["text"])), metadata=md),
            "DeleteMessage": chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=message_name), metadata=md),
        }

    member_id = membership.name.rsplit("/", 1)[1]
    message_id = message.name.rsplit("/", 1)[1]
    hidden = calls(space.name, message.name, membership.name)
    absent = calls(missing, f"{missing}/messages/{message_id}", f"{missing}/members/{member_id}")
    for rpc in hidden:
        seen = await failure(hidden[rpc], grpc.StatusCode.NOT_FOUND)
        unseen = await failure(absent[rpc], grpc.StatusCode.NOT_FOUND)
        # Same reason and the same words, but for the name itself: nothing tells hidden from missing.
        assert seen["ErrorInfo"].reason == unseen["ErrorInfo"].reason, rpc

    # The space is untouched by all of it.
    alice = server.md(user="alice@example.com", scopes=SCOPES)
    after = await chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=alice)
    assert after.display_name == "Private plans"
    listed = await chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=alice)
    assert [m.text for m in listed.messages] == ["secret"]


async def test_lists_searches_and_lookups_leave_other_peoples_spaces_out(server, world):
    chat, md = server.chat, world["mallory"]
    assert not (await chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md)).spaces
    search = await chat.SearchSpaces(space_pb2.SearchSpacesRequest(
        query='space_type = "SPACE" AND display_name:"Private"'), metadata=md)
    assert not search.spaces
    found = await chat.FindGroupChats(space_pb2.FindGroupChatsRequest(
        users=["users/bob@example.com", "users/carol@example.com"]), metadata=md)
    assert world["group"].name not in [s.name for s in found.spaces]
    await failure(chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="users/alice@example.com"),
                                         metadata=md), grpc.StatusCode.NOT_FOUND)
