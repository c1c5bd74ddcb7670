"""Membership lifecycle over gRPC, then the not-found / invalid / already-exists / permission cases."""
import re

import grpc
from google.chat.v1 import group_pb2, membership_pb2, space_pb2, user_pb2

from tests import helpers
from tests.helpers import failure, field_of, user

APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.bot")
Role = membership_pb2.Membership.MembershipRole
State = membership_pb2.Membership.MembershipState
HUMAN, BOT = user_pb2.User.Type.HUMAN, user_pb2.User.Type.BOT
MEMBER_NAME = re.compile(r"^spaces/AAAA[A-Za-z0-9]{7}/members/[1-9][0-9]{20}$")
USER_NAME = re.compile(r"^users/[1-9][0-9]{20}$")


async def new_space(server, md, display_name="Members", **fields):
    return await helpers.new_space(server, md, display_name, **fields)


def add(server, md, space, member_name, role=Role.MEMBERSHIP_ROLE_UNSPECIFIED):
    return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=member_name), role=role)),
        metadata=md)


async def list_all(server, md, space, page_size=0):
    found, token = [], ""
    while True:
        page = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=space.name, page_size=page_size, page_token=token), metadata=md)
        found += page.memberships
        token = page.next_page_token
        if not token:
            return found


async def test_membership_lifecycle(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)

    bob = await add(server, alice, space, "users/bob@example.com")
    assert MEMBER_NAME.match(bob.name), bob.name
    assert bob.name.startswith(space.name + "/members/")
    assert USER_NAME.match(bob.member.name), bob.member.name
    assert bob.name.rsplit("/", 1)[1] == bob.member.name.split("/")[1]
    assert bob.member.type == HUMAN
    assert bob.state == State.JOINED
    assert bob.role == Role.ROLE_MEMBER
    assert bob.create_time.seconds > 0
    assert "@" not in bob.SerializeToString().decode("latin-1")  # no email anywhere in the answer

    # Bob is now a member: he sees the space and its members.
    bob_md = user(server, "bob@example.com")
    await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=bob_md)
    listed = await list_all(server, bob_md, space)
    assert {m.name for m in listed} == {bob.name, next(m.name for m in listed if m.role == Role.ROLE_MANAGER)}
    assert all(MEMBER_NAME.match(m.name) and USER_NAME.match(m.member.name) for m in listed)
    assert next(m for m in listed if m.name == bob.name) == bob

    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=alice)
    assert got.membership_count.joined_direct_human_user_count == 2


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
    alice = user(server, "alice@example.com", app="helper-bot")
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
    details = await failure(add(server, alice, space, "users/app"), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "MEMBERSHIP_ALREADY_EXISTS"
    # The app's user id names the same app; another app's id may not be added.
    details = await failure(add(server, alice, space, bot.member.name), grpc.StatusCode.ALREADY_EXISTS)
    other = user(server, "alice@example.com", app="other-bot")
    details = await failure(add(server, other, space, bot.member.name), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["membership.member.name"]


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


async def test_group_members(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    group = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(group_member=group_pb2.Group(name="groups/eng"))),
        metadata=alice)
    assert group.name == f"{space.name}/members/eng"
    assert group.group_member.name == "groups/eng"
    assert not group.HasField("member")
    # Groups are listed only when asked for.
    assert {m.WhichOneof("memberType") for m in await list_all(server, alice, space)} == {"member"}
    page = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, show_groups=True), metadata=alice)
    assert [m.name for m in page.memberships if m.HasField("group_member")] == [group.name]


async def test_a_non_member_learns_nothing(server):
    alice, eve = user(server, "alice@example.com"), user(server, "eve@example.com")
    space = await new_space(server, alice)
    for call in (server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name), metadata=eve),
                 add(server, eve, space, "users/me"),
                 add(server, eve, space, "users/mallory@example.com")):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent="spaces/AAAAmissing"),
                                              metadata=alice), grpc.StatusCode.NOT_FOUND)


async def test_only_managers_add_managers(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    await add(server, alice, space, "users/bob@example.com")
    details = await failure(add(server, bob, space, "users/carol@example.com", Role.ROLE_MANAGER),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    # A plain member may still add plain members.
    carol = await add(server, bob, space, "users/carol@example.com")
    assert carol.role == Role.ROLE_MEMBER
    dave = await add(server, alice, space, "users/dave@example.com", Role.ROLE_MANAGER)
    assert dave.role == Role.ROLE_MANAGER


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
    # A token only continues the listing of the space it came from.
    first = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_size=2), metadata=alice)
    other = await new_space(server, alice, "Other")
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=other.name, page_token=first.next_page_token), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_token=first.next_page_token, show_invited=True), metadata=alice),
        grpc.StatusCode.INVALID_ARGUMENT)
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
