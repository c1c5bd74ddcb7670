"""CreateMembership and the membership lifecycle over gRPC, then the not-found / invalid / already-exists /
permission cases of adding members. Helpers here are shared by the other test_memberships_* modules."""
import re
import uuid

import grpc
from google.chat.v1 import group_pb2, membership_pb2, space_pb2, user_pb2

from chatsvc.domain.events import EventType
from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Space, SpaceType, User, UserType
from tests import helpers
from tests.helpers import failure, field_of, user

APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.bot")
USER_SCOPES = helpers.USER_SCOPES
Role = membership_pb2.Membership.MembershipRole
State = membership_pb2.Membership.MembershipState
HUMAN, BOT = user_pb2.User.Type.HUMAN, user_pb2.User.Type.BOT
MEMBER_NAME = re.compile(r"^spaces/AAAA[A-Za-z0-9]{7}/members/[1-9][0-9]{20}$")
USER_NAME = re.compile(r"^users/[1-9][0-9]{20}$")


async def new_space(server, md, display_name=None, **fields):
    return await helpers.new_space(server, md, display_name, **fields)


def add(server, md, space, member_name, role=Role.MEMBERSHIP_ROLE_UNSPECIFIED, **request):
    return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=member_name), role=role),
        **request), metadata=md)


def add_group(server, md, space, group_name, **request):
    return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(group_member=group_pb2.Group(name=group_name)),
        **request), metadata=md)


def get(server, md, name, **request):
    return server.chat.GetMembership(membership_pb2.GetMembershipRequest(name=name, **request), metadata=md)


def set_role(server, md, name, role, paths=("role",), **request):
    return server.chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
        membership=membership_pb2.Membership(name=name, role=role), update_mask={"paths": list(paths)},
        **request), metadata=md)


def remove(server, md, name, **request):
    return server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(name=name, **request), metadata=md)


async def list_all(server, md, space, page_size=0, **request):
    found, token = [], ""
    while True:
        page = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=space.name, page_size=page_size, page_token=token, **request), metadata=md)
        found += page.memberships
        token = page.next_page_token
        if not token:
            return found


async def counts(server, md, space, **request) -> tuple[int, int]:
    """(joined people, joined groups) as GetSpace reports them."""
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name, **request), metadata=md)
    return got.membership_count.joined_direct_human_user_count, got.membership_count.joined_group_count


async def recorded(server, space_name: str) -> list[tuple[str, str]]:
    """The space events stored for a space, read through storage (the events RPCs are another issue's)."""
    async with server.running.db.transaction() as repos:
        page = await repos.events.list(space_name.split("/")[1], types=set(EventType), after_us=0, until_us=2**62,
                                       position=None, limit=1000)
    return [(e.event_type, e.resource_name) for e in page.items]


async def stored_space(server, space_type: SpaceType, members: dict[str, MembershipRole]) -> space_pb2.Space:
    """A group chat or DM (or any space) written straight to storage with these human members, for rules that
    depend on the space type; returns a Space proto with just the name."""
    space_id = "AAAA" + uuid.uuid4().hex[:7]
    async with server.running.db.transaction(write=True) as repos:
        ids = {}
        for email in members:
            found = await repos.users.by_email(email)
            if found is None:
                found = User(id=str(10**20 + uuid.uuid4().int % 10**20), type=UserType.HUMAN, email=email)
                await repos.users.add(found, 1)
            ids[email] = found.id
        first = next(iter(ids.values()))
        await repos.spaces.add(Space(id=space_id, space_type=space_type, create_time_us=1, last_active_time_us=1,
                                     creator_id=first, joined_humans=len(members)))
        for email, role in members.items():
            await repos.memberships.add(Membership(space_id=space_id, member_id=ids[email], role=role,
                                                   state=MembershipState.JOINED, create_time_us=1))
    return space_pb2.Space(name=f"spaces/{space_id}")


async def test_membership_lifecycle(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    assert await counts(server, alice, space) == (1, 0)

    bob = await add(server, alice, space, "users/bob@example.com")
    assert MEMBER_NAME.match(bob.name), bob.name
    assert bob.name.startswith(space.name + "/members/")
    assert USER_NAME.match(bob.member.name), bob.member.name
    assert bob.name.rsplit("/", 1)[1] == bob.member.name.split("/")[1]
    assert bob.member.type == HUMAN
    assert bob.state == State.JOINED
    assert bob.role == Role.ROLE_MEMBER
    assert bob.create_time.seconds > 0
    assert not bob.HasField("delete_time")
    assert "@" not in bob.SerializeToString().decode("latin-1")  # no email anywhere in the answer
    assert await counts(server, alice, space) == (2, 0)

    # Bob is now a member: he sees the space and its members.
    bob_md = user(server, "bob@example.com")
    await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=bob_md)
    listed = await list_all(server, bob_md, space)
    assert {m.name for m in listed} == {bob.name, next(m.name for m in listed if m.role == Role.ROLE_MANAGER)}
    assert all(MEMBER_NAME.match(m.name) and USER_NAME.match(m.member.name) for m in listed)
    assert next(m for m in listed if m.name == bob.name) == bob

    # Get, by canonical name and by the email alias; the answer always carries the canonical name.
    assert await get(server, bob_md, bob.name) == bob
    assert await get(server, alice, f"{space.name}/members/bob@example.com") == bob

    # Update: alice (the owner) makes bob a manager.
    updated = await set_role(server, alice, bob.name, Role.ROLE_ASSISTANT_MANAGER)
    assert updated.role == Role.ROLE_ASSISTANT_MANAGER
    assert (updated.name, updated.member, updated.state, updated.create_time) == (
        bob.name, bob.member, bob.state, bob.create_time)
    assert (await get(server, bob_md, bob.name)).role == Role.ROLE_ASSISTANT_MANAGER

    # Delete: the membership comes back as it was, now NOT_A_MEMBER with its delete time.
    deleted = await remove(server, alice, f"{space.name}/members/bob@example.com")
    assert deleted.name == bob.name and deleted.member == bob.member
    assert deleted.state == State.NOT_A_MEMBER
    assert deleted.role == Role.ROLE_ASSISTANT_MANAGER
    assert deleted.delete_time.ToMicroseconds() >= deleted.create_time.ToMicroseconds() > 0
    assert await counts(server, alice, space) == (1, 0)
    details = await failure(get(server, alice, bob.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MEMBERSHIP_NOT_FOUND"
    await failure(remove(server, alice, bob.name), grpc.StatusCode.NOT_FOUND)
    # Bob no longer sees the space.
    await failure(server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=bob_md),
                  grpc.StatusCode.NOT_FOUND)

    # Each change left its space event, in order.
    assert [e for e in await recorded(server, space.name) if e[1] == bob.name] == [
        (EventType.MEMBERSHIP_CREATED, bob.name), (EventType.MEMBERSHIP_UPDATED, bob.name),
        (EventType.MEMBERSHIP_DELETED, bob.name)]

    # Bob can be added again.
    again = await add(server, alice, space, "users/bob@example.com")
    assert again.name == bob.name and again.role == Role.ROLE_MEMBER and again.state == State.JOINED


async def test_add_by_user_id_and_email_is_the_same_user(server):
    alice = user(server, "alice@example.com")
    first, second = await new_space(server, alice, "First"), await new_space(server, alice, "Second")
    carol = await add(server, alice, first, "users/Carol@Example.com")
    by_id = await add(server, alice, second, carol.member.name)
    assert by_id.member.name == carol.member.name
    assert by_id.name == f"{second.name}/members/{carol.member.name.split('/')[1]}"
    # Carol signing in later is that same user.
    carol_md = user(server, "carol@example.com")
    own = [m for m in await list_all(server, carol_md, second) if m.member.name == carol.member.name]
    assert len(own) == 1


async def test_users_app_adds_the_calling_app(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    space = await new_space(server, alice)
    bot = await add(server, alice, space, "users/app")
    assert USER_NAME.match(bot.member.name)
    assert bot.member.type == BOT
    assert bot.role == Role.ROLE_MEMBER
    assert bot.state == State.JOINED
    # The app is in the space: with app authentication it can read it.
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=app_md)
    assert got.name == space.name
    # Apps are not people: the count of joined humans did not move.
    assert await counts(server, alice, space) == (1, 0)
    details = await failure(add(server, alice, space, "users/app"), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "MEMBERSHIP_ALREADY_EXISTS"
    # The app's user id names the same app; another app's id may not be added.
    await failure(add(server, alice, space, bot.member.name), grpc.StatusCode.ALREADY_EXISTS)
    other = server.md(user="alice@example.com", app="other-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    details = await failure(add(server, other, space, bot.member.name), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["membership.member.name"]


async def test_adding_the_app_and_adding_people_need_their_own_scopes(server):
    # Google: the calling app is added with chat.memberships.app; people with chat.memberships.
    people_only = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES)
    app_only = server.md(user="alice@example.com", app="helper-bot", scopes=("chat.memberships.app",))
    space = await new_space(server, people_only)
    details = await failure(add(server, people_only, space, "users/app"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    details = await failure(add(server, app_only, space, "users/bob@example.com"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    details = await failure(add_group(server, app_only, space, "groups/eng"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert (await add(server, app_only, space, "users/app")).member.type == BOT
    assert len(await list_all(server, people_only, space)) == 2


async def test_app_authentication_adds_people_but_not_apps_or_groups(server):
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    space = await new_space(server, app_md, customer="customers/my_customer")
    details = await failure(add(server, app_md, space, "users/app"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_CANNOT_ADD_APP"
    details = await failure(add_group(server, app_md, space, "groups/eng"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_CANNOT_ADD_GROUP"
    details = await failure(add(server, app_md, space, "users/me"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["membership.member.name"]
    dan = await add(server, app_md, space, "users/dan@example.com")
    assert dan.member.type == HUMAN and dan.state == State.JOINED
    # Another app's bot user may not be added by id either.
    other = server.md(user="zed@example.com", app="other-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    other_space = await new_space(server, other)
    other_bot = await add(server, other, other_space, "users/app")
    details = await failure(add(server, app_md, space, other_bot.member.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_CANNOT_ADD_APP"


async def test_already_a_member(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    bob = await add(server, alice, space, "users/bob@example.com")
    for again in ("users/bob@example.com", "users/BOB@example.com", bob.member.name):
        details = await failure(add(server, alice, space, again), grpc.StatusCode.ALREADY_EXISTS)
        assert details["ErrorInfo"].reason == "MEMBERSHIP_ALREADY_EXISTS"
    for herself in ("users/me", "users/alice@example.com"):
        await failure(add(server, alice, space, herself), grpc.StatusCode.ALREADY_EXISTS)
    assert len(await list_all(server, alice, space)) == 2
    assert await counts(server, alice, space) == (2, 0)


async def test_unknown_user_id_is_not_found(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    details = await failure(add(server, alice, space, "users/123456789012345678901"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "USER_NOT_FOUND"


async def test_invalid_member_names(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    for bad in ("", "bob@example.com", "people/123", "users/", "users/a/b", "users/has space"):
        details = await failure(add(server, alice, space, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.member.name"], bad
    for bad in ("", "groups/", "eng", "users/bob@example.com", "groups/a/b"):
        details = await failure(add_group(server, alice, space, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.group_member.name"], bad
    details = await failure(server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership()), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["membership.member"]
    details = await failure(server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent="rooms/x", membership=membership_pb2.Membership(member=user_pb2.User(name="users/bob@example.com"))),
        metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["parent"]
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent="spaces/"),
                                                        metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["parent"]


async def test_member_type_must_match_the_member(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    space = await new_space(server, alice)

    def typed(name, kind):
        return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=name, type=kind))),
            metadata=alice)

    for name, kind in (("users/bob@example.com", BOT), ("users/app", HUMAN), ("users/bob@example.com", 7)):
        details = await failure(typed(name, kind), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.member.type"], (name, kind)
    assert (await typed("users/bob@example.com", HUMAN)).member.type == HUMAN
    assert (await typed("users/app", BOT)).member.type == BOT
    # Nothing refused above was half-written.
    assert await counts(server, alice, space) == (2, 0)


async def test_role_is_not_an_input_of_create(server):
    # Google: `role` "can only be used as input in UpdateMembership"; people join as members.
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    await add(server, alice, space, "users/bob@example.com")
    for by in (alice, bob):
        for role in (Role.ROLE_MANAGER, Role.ROLE_ASSISTANT_MANAGER):
            created = await add(server, by, space, f"users/{uuid.uuid4().hex[:8]}@example.com", role)
            assert created.role == Role.ROLE_MEMBER


async def test_group_members(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    group = await add_group(server, alice, space, "groups/eng")
    assert group.name == f"{space.name}/members/eng"
    assert group.group_member.name == "groups/eng"
    assert not group.HasField("member")
    # Google: groups always have the unspecified role.
    assert group.role == Role.MEMBERSHIP_ROLE_UNSPECIFIED
    assert group.state == State.JOINED
    assert await counts(server, alice, space) == (1, 1)
    details = await failure(add_group(server, alice, space, "groups/eng"), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "MEMBERSHIP_ALREADY_EXISTS"
    # Groups are listed only when asked for.
    assert {m.WhichOneof("memberType") for m in await list_all(server, alice, space)} == {"member"}
    listed = await list_all(server, alice, space, show_groups=True)
    assert [m.name for m in listed if m.HasField("group_member")] == [group.name]
    assert await get(server, alice, group.name) == group
    # Removing the group gives its count back.
    removed = await remove(server, alice, group.name)
    assert removed.group_member.name == "groups/eng" and removed.state == State.NOT_A_MEMBER
    assert await counts(server, alice, space) == (1, 0)


async def test_groups_only_join_named_spaces(server):
    for space_type in (SpaceType.GROUP_CHAT, SpaceType.DIRECT_MESSAGE):
        chat = await stored_space(server, space_type, {"alice@example.com": MembershipRole.MEMBER,
                                                       "bob@example.com": MembershipRole.MEMBER})
        details = await failure(add_group(server, user(server, "alice@example.com"), chat, "groups/eng"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.group_member.name"]


async def test_direct_messages_take_the_app_but_no_more_people(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    dm = await stored_space(server, SpaceType.DIRECT_MESSAGE, {"alice@example.com": MembershipRole.MEMBER,
                                                               "bob@example.com": MembershipRole.MEMBER})
    details = await failure(add(server, alice, dm, "users/carol@example.com"), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "SPACE_IS_DM"
    # Google: "To add the calling app to a space or a direct message between two human users, use users/app."
    bot = await add(server, alice, dm, "users/app")
    assert bot.member.type == BOT
    # Group chats take more people.
    chat = await stored_space(server, SpaceType.GROUP_CHAT, {"alice@example.com": MembershipRole.MEMBER,
                                                             "bob@example.com": MembershipRole.MEMBER})
    carol = await add(server, alice, chat, "users/carol@example.com")
    assert carol.role == Role.ROLE_MEMBER
    assert await counts(server, alice, chat) == (3, 0)


async def test_list_memberships_paginated(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    added = {(await add(server, alice, space, f"users/member{i}@example.com")).name for i in range(6)}

    pages, token, seen = 0, "", []
    while True:
        page = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=space.name, page_size=3, page_token=token), metadata=alice)
        pages += 1
        assert 0 < len(page.memberships) <= 3
        seen += [m.name for m in page.memberships]
        token = page.next_page_token
        if not token:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert added < set(seen)

    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_size=-5), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]
    # A token only continues the listing of the space it came from, with the same parameters.
    first = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_size=2), metadata=alice)
    other = await new_space(server, alice, "Other")
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=other.name, page_token=first.next_page_token), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    for changed in ({"show_invited": True}, {"show_groups": True}, {"filter": 'role = "ROLE_MEMBER"'}):
        details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=space.name, page_token=first.next_page_token, **changed), metadata=alice),
            grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"], changed
    # A signature character changed (not the last: some of its bits are padding, which decoding ignores).
    token = first.next_page_token
    swapped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    for forged in ("garbage", swapped):
        details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=space.name, page_token=forged), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"]


async def test_app_authentication_lists_no_app_memberships(server):
    # Google: listing with app authentication "excludes Chat app memberships, including its own".
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    space = await new_space(server, app_md, customer="customers/my_customer")
    await add(server, app_md, space, "users/bob@example.com")
    listed = await list_all(server, app_md, space)
    assert [m.member.type for m in listed] == [HUMAN]
    # With user authentication the app is listed.
    listed = await list_all(server, user(server, "bob@example.com"), space)
    assert sorted(m.member.type for m in listed) == [HUMAN, BOT]
