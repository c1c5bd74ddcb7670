"""SetUpSpace, FindDirectMessage and FindGroupChats over gRPC."""
import asyncio
import uuid

import grpc
from google.chat.v1 import membership_pb2, space_pb2, user_pb2

from chatsvc.domain.events import EventType
from tests.api.spaces_support import (
    DM,
    GROUP_CHAT,
    SPACE,
    app,
    events_of,
    group,
    listed,
    member,
    members_of,
    post,
    set_up,
    user,
    user_id,
)
from tests.helpers import failure, field_of

Role = membership_pb2.Membership.MembershipRole


async def test_set_up_a_named_space_with_people_and_a_group(server):
    alice = user(server, "alice@example.com")
    await user_id_of(server, "dave@example.com")  # an existing user, named by id
    dave = await user_id(server, "dave@example.com")
    space = await set_up(server, alice, SPACE, member("users/bob@example.com"), member(f"users/{dave}"),
                         group("groups/engineering"), display_name="Launch",
                         predefined_permission_settings=space_pb2.Space.PredefinedPermissionSettings.ANNOUNCEMENT_SPACE)
    assert space.space_type == SPACE and space.display_name == "Launch"
    assert space.customer == "customers/my_customer"
    assert space.membership_count.joined_direct_human_user_count == 3
    assert space.membership_count.joined_group_count == 1
    assert not space.permission_settings.post_messages.members_allowed

    by_name = {(m.member.name or m.group_member.name): m for m in await members_of(server, alice, space.name)}
    assert set(by_name) == {f"users/{await user_id(server, e)}" for e in ("alice@example.com", "bob@example.com",
                                                                          "dave@example.com")} | {"groups/engineering"}
    assert by_name[f"users/{await user_id(server, 'alice@example.com')}"].role == Role.ROLE_MANAGER
    assert by_name[f"users/{dave}"].role == Role.ROLE_MEMBER
    # A membership event for each member added (besides the caller's own, as with CreateSpace).
    created = [r for t, r in await events_of(server, space.name) if t == EventType.MEMBERSHIP_CREATED.value]
    assert len(created) == 3
    # Bob sees it at once: named spaces are listed without a message.
    assert space.name in await listed(server, user(server, "bob@example.com"))


async def user_id_of(server, email):
    """Makes the user exist (as a first call with their token does)."""
    await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=user(server, email))


async def test_set_up_a_group_chat(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    chat = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    assert chat.space_type == GROUP_CHAT and chat.display_name == ""
    assert chat.customer == "customers/my_customer"
    assert chat.membership_count.joined_direct_human_user_count == 3
    assert {m.role for m in await members_of(server, alice, chat.name)} == {Role.ROLE_MEMBER}
    # Listed once it holds a message.
    assert chat.name not in await listed(server, bob)
    await post(server, bob, chat.name)
    assert chat.name in await listed(server, bob)
    assert chat.name in await listed(server, alice, filter='spaceType = "GROUP_CHAT"')


async def test_group_chat_rules(server):
    alice = user(server, "alice@example.com")
    details = await failure(set_up(server, alice, GROUP_CHAT, member("users/bob@example.com")),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["memberships"]
    details = await failure(set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"),
                                   member("users/carol@example.com"), display_name="Named"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.display_name"]
    details = await failure(set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"),
                                   group("groups/g1")), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["memberships[1].group_member.name"]


async def test_direct_message_is_set_up_once_and_found_both_ways(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    dm = await set_up(server, alice, DM, member("users/bob@example.com"))
    assert dm.space_type == DM and dm.type == space_pb2.Space.Type.DM
    assert not dm.HasField("customer") and not dm.HasField("create_time") and not dm.HasField("access_settings")
    assert dm.membership_count.joined_direct_human_user_count == 2
    assert dm.space_uri.endswith(f"/dm/{dm.name.split('/')[1]}")
    # Setting it up again, from either side, returns the same DM.
    assert (await set_up(server, alice, DM, member("users/bob@example.com"))).name == dm.name
    alice_id = await user_id(server, "alice@example.com")
    assert (await set_up(server, bob, DM, member(f"users/{alice_id}"))).name == dm.name

    found = await server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="users/bob@example.com"),
                                                metadata=alice)
    assert found.name == dm.name
    found = await server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name=f"users/{alice_id}"),
                                                metadata=bob)
    assert found.name == dm.name
    # Not listed until someone writes.
    assert dm.name not in await listed(server, alice)
    await post(server, bob, dm.name, "hi")
    assert dm.name in await listed(server, alice, filter='space_type = "DIRECT_MESSAGE"')


async def test_direct_message_rules(server):
    alice = user(server, "alice@example.com")
    for members, field in (((), "memberships"),
                           ((member("users/bob@example.com"), member("users/carol@example.com")), "memberships"),
                           ((group("groups/g"),), "memberships[0].group_member.name")):
        details = await failure(set_up(server, alice, DM, *members), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    details = await failure(set_up(server, alice, DM, member("users/bob@example.com"), display_name="x"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.display_name"]
    details = await failure(set_up(server, alice, DM, member("users/bob@example.com"),
                                   space_details={"description": "x"}), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_details"]
    details = await failure(set_up(server, alice, DM, member("users/bob@example.com"), single_user_bot_dm=True),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["memberships"]


async def test_direct_message_with_the_calling_app(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=["chat.spaces"])
    dm = await set_up(server, alice, DM, single_user_bot_dm=True)
    assert dm.single_user_bot_dm and dm.space_type == DM
    assert (await set_up(server, alice, DM, single_user_bot_dm=True)).name == dm.name
    found = await server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="users/app"), metadata=alice)
    assert found.name == dm.name
    # The app finds it by the user's id; emails are for user authentication only.
    bot = app(server, "helper-bot", "chat.bot")
    alice_id = await user_id(server, "alice@example.com")
    found = await server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name=f"users/{alice_id}"),
                                                metadata=bot)
    assert found.name == dm.name
    assert not found.HasField("access_settings")
    details = await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(
        name="users/alice@example.com"), metadata=bot), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["name"]
    # Another app has no DM with her.
    details = await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(
        name=f"users/{alice_id}"), metadata=app(server, "other-bot", "chat.bot")), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "DIRECT_MESSAGE_NOT_FOUND"
    # A DM with the app is not a DM between two people.
    other = server.md(user="alice@example.com", scopes=["chat.spaces"])
    await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="users/app"), metadata=other),
                  grpc.StatusCode.NOT_FOUND)


async def test_find_direct_message_not_found(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    await user_id_of(server, "bob@example.com")
    bob_id = await user_id(server, "bob@example.com")
    for name in ("users/bob@example.com", f"users/{bob_id}", "users/123456789", "users/nobody@example.com",
                 "users/me"):
        details = await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name=name),
                                                              metadata=alice), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "DIRECT_MESSAGE_NOT_FOUND"
    details = await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name="bob"),
                                                          metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["name"]
    # Someone else's DM stays hidden from a third person.
    await set_up(server, alice, DM, member("users/bob@example.com"))
    await failure(server.chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(name=f"users/{bob_id}"),
                                                metadata=user(server, "eve@example.com")), grpc.StatusCode.NOT_FOUND)
    assert bob  # bob's own view is covered by the lifecycle test


async def test_set_up_refuses_bad_members(server):
    alice = user(server, "alice@example.com")
    cases = [
        ((member("users/me"),), "memberships[0].member.name", grpc.StatusCode.INVALID_ARGUMENT),
        ((member("users/alice@example.com"),), "memberships[0].member.name", grpc.StatusCode.INVALID_ARGUMENT),
        ((member("users/app"),), "memberships[0].member.name", grpc.StatusCode.INVALID_ARGUMENT),
        ((membership_pb2.Membership(member=user_pb2.User(name="users/x@example.com", type=user_pb2.User.Type.BOT)),),
         "memberships[0].member.name", grpc.StatusCode.INVALID_ARGUMENT),
        ((member("users/b@example.com"), member("users/B@example.com")), "memberships[1].member.name",
         grpc.StatusCode.INVALID_ARGUMENT),
        ((member("rooms/1"),), "memberships[0].member.name", grpc.StatusCode.INVALID_ARGUMENT),
        ((membership_pb2.Membership(),), "memberships[0].member", grpc.StatusCode.INVALID_ARGUMENT),
        ((group("users/x@example.com"),), "memberships[0].group_member.name", grpc.StatusCode.INVALID_ARGUMENT),
        (tuple(member(f"users/u{i}@example.com") for i in range(50)), "memberships", grpc.StatusCode.INVALID_ARGUMENT),
    ]
    for members, field, code in cases:
        details = await failure(set_up(server, alice, SPACE, *members, display_name=f"S {uuid.uuid4().hex[:6]}"),
                                code)
        assert field_of(details) == [field], members
    details = await failure(set_up(server, alice, SPACE, member("users/424242424242"), display_name="Unknown id"),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "USER_NOT_FOUND"
    # 49 others is the most.
    ok = await set_up(server, alice, SPACE, *(member(f"users/u{i}@example.com") for i in range(49)),
                      display_name="Full house")
    assert ok.membership_count.joined_direct_human_user_count == 50


async def test_set_up_space_rules(server):
    alice = user(server, "alice@example.com")
    details = await failure(set_up(server, alice, space_pb2.Space.SpaceType.SPACE_TYPE_UNSPECIFIED),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_type"]
    details = await failure(set_up(server, alice, SPACE), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.display_name"]
    details = await failure(set_up(server, alice, SPACE, display_name="Imp", import_mode=True),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.import_mode"]
    await set_up(server, alice, SPACE, display_name="Taken")
    details = await failure(set_up(server, user(server, "bob@example.com"), SPACE, display_name="taken"),
                            grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "SPACE_DISPLAY_NAME_IN_USE"
    # Only people can set spaces up.
    details = await failure(set_up(server, app(server), SPACE, display_name="By app"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_NOT_SUPPORTED"


async def test_set_up_is_idempotent_with_a_request_id(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    rid = str(uuid.uuid4())
    request = dict(display_name="Once")
    from google.chat.v1 import space_setup_pb2
    first = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, **request), request_id=rid,
        memberships=[member("users/bob@example.com")]), metadata=alice)
    again = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, **request), request_id=rid,
        memberships=[member("users/bob@example.com")]), metadata=alice)
    assert again.name == first.name
    await failure(server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name="Other"), request_id=rid), metadata=bob),
        grpc.StatusCode.ALREADY_EXISTS)


async def test_concurrent_direct_message_set_up_makes_one(server):
    callers = [user(server, "alice@example.com"), user(server, "bob@example.com")] * 3
    others = ["users/bob@example.com", "users/alice@example.com"] * 3
    made = await asyncio.gather(*(set_up(server, md, DM, member(o)) for md, o in zip(callers, others)))
    assert len({s.name for s in made}) == 1


async def test_find_group_chats(server):
    alice, bob, carol = (user(server, f"{n}@example.com") for n in ("alice", "bob", "carol"))
    trio = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    quartet = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"),
                           member("users/carol@example.com"), member("users/dave@example.com"))
    second_trio = await set_up(server, bob, GROUP_CHAT, member("users/alice@example.com"),
                               member("users/carol@example.com"))
    # A named space with the same people is not a group chat.
    await set_up(server, alice, SPACE, member("users/bob@example.com"), member("users/carol@example.com"),
                 display_name="Same people")
    carol_id = await user_id(server, "carol@example.com")

    def find(md, *users, **request):
        return server.chat.FindGroupChats(space_pb2.FindGroupChatsRequest(users=list(users), **request), metadata=md)

    found = await find(alice, "users/bob@example.com", f"users/{carol_id}")
    assert sorted(s.name for s in found.spaces) == sorted([trio.name, second_trio.name])
    assert all(s.display_name == "" and not s.HasField("create_time") for s in found.spaces)  # names only
    found = await find(carol, "users/alice@example.com", "users/bob@example.com", "users/dave@example.com")
    assert [s.name for s in found.spaces] == [quartet.name]
    assert (await find(alice, "users/bob@example.com")).spaces == []
    assert (await find(alice, "users/bob@example.com", "users/app")).spaces == []
    assert (await find(alice, "users/bob@example.com", "users/nobody@example.com")).spaces == []

    # Paged, with the full view when asked for.
    first = await find(alice, "users/bob@example.com", "users/carol@example.com", page_size=1,
                       space_view=space_pb2.SpaceView.SPACE_VIEW_EXPANDED)
    assert len(first.spaces) == 1 and first.spaces[0].space_type == GROUP_CHAT and first.next_page_token
    rest = await find(alice, "users/bob@example.com", "users/carol@example.com", page_size=1,
                      page_token=first.next_page_token, space_view=space_pb2.SpaceView.SPACE_VIEW_EXPANDED)
    assert len(rest.spaces) == 1 and rest.spaces[0].name != first.spaces[0].name and rest.next_page_token == ""

    # Errors: a token for other users, a bad page size, a bad view, the expanded view without a spaces scope.
    details = await failure(find(alice, "users/bob@example.com", page_token=first.next_page_token),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    details = await failure(find(alice, page_size=-1), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]
    details = await failure(find(alice, space_view=1), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space_view"]
    details = await failure(find(alice, "bob"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["users[0]"]
    details = await failure(find(alice, *(f"users/u{i}@example.com" for i in range(50))),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["users"]
    memberships_only = server.md(user="alice@example.com", scopes=["chat.memberships.readonly"])
    assert len((await find(memberships_only, "users/bob@example.com", "users/carol@example.com")).spaces) == 2
    details = await failure(find(memberships_only, space_view=space_pb2.SpaceView.SPACE_VIEW_EXPANDED),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


async def test_find_group_chats_page_sizes(server):
    alice = user(server, "alice@example.com")
    for _ in range(12):
        await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    request = space_pb2.FindGroupChatsRequest(users=["users/bob@example.com", "users/carol@example.com"])
    default = await server.chat.FindGroupChats(request, metadata=alice)
    assert len(default.spaces) == 10 and default.next_page_token
    request.page_size = 500
    assert len((await server.chat.FindGroupChats(request, metadata=alice)).spaces) == 12
