"""Visibility: for every space RPC, someone outside a space learns nothing about it."""
import grpc
from google.chat.v1 import space_pb2

from tests.api.spaces_support import DM, GROUP_CHAT, Space, get, listed, member, post, set_up, update, user
from tests.helpers import failure, new_space


async def test_a_non_member_learns_nothing(server):
    alice, eve = user(server, "alice@example.com"), user(server, "eve@example.com")
    eve_importer = server.md(user="eve@example.com", scopes=["chat.import"])
    named = await new_space(server, alice, "Secret plans")
    chat = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    dm = await set_up(server, alice, DM, member("users/bob@example.com"))
    for space in (named, chat, dm):
        await post(server, alice, space.name)
    missing = "spaces/AAAAnothere"

    for name in (named.name, chat.name, dm.name):
        # The same answer as for a space that does not exist.
        calls = {
            "GetSpace": lambda n: get(server, eve, n),
            "UpdateSpace": lambda n: update(server, eve, Space(name=n, space_details={"description": "x"}),
                                            "space_details"),
            "DeleteSpace": lambda n: server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=n), metadata=eve),
            "CompleteImportSpace": lambda n: server.chat.CompleteImportSpace(
                space_pb2.CompleteImportSpaceRequest(name=n), metadata=eve_importer),
        }
        for rpc, call in calls.items():
            hidden = await failure(call(name), grpc.StatusCode.NOT_FOUND)
            absent = await failure(call(missing), grpc.StatusCode.NOT_FOUND)
            assert hidden["ErrorInfo"].reason == absent["ErrorInfo"].reason == "SPACE_NOT_FOUND", rpc

    # Lists and searches leave them out.
    assert await listed(server, eve) == []
    found = await server.chat.SearchSpaces(space_pb2.SearchSpacesRequest(
        query='space_type = "SPACE" AND display_name:"secret"'), metadata=eve)
    assert list(found.results) == []
    groups = await server.chat.FindGroupChats(space_pb2.FindGroupChatsRequest(
        users=["users/bob@example.com", "users/carol@example.com"]), metadata=eve)
    assert list(groups.spaces) == []
    # Eve cannot find the DM between Alice and Bob, and setting up her own DM with Bob is a new one.
    await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="users/bob@example.com"),
                                                metadata=eve), grpc.StatusCode.NOT_FOUND)
    own = await set_up(server, eve, DM, member("users/bob@example.com"))
    assert own.name != dm.name
    # And the space is still there, untouched, for its members.
    assert (await get(server, alice, named.name)).space_details.description == ""
