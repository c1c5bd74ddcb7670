"""Who reaches memberships at all: non-members learn nothing from any of the five RPCs, administrators reach
every space (apps' memberships excepted), chat.import serves import-mode spaces only, and the space's
view-membership setting is honoured."""
import grpc
from google.chat.v1 import membership_pb2, space_pb2
from google.protobuf import timestamp_pb2

from chatsvc.domain.events import EventType
from chatsvc.domain.permissions import Permission, PermissionSetting
from tests.api.test_memberships import (
    USER_SCOPES,
    Role,
    State,
    add,
    add_group,
    counts,
    get,
    list_all,
    new_space,
    recorded,
    remove,
    set_role,
)
from tests.api.test_memberships_changes import set_permissions
from tests.helpers import failure, field_of, user

ADMIN_SCOPES = ("chat.admin.memberships", "chat.admin.spaces")


def five_calls(server, md, space_name, member_name):
    space = space_pb2.Space(name=space_name)
    return {
        "CreateMembership": add(server, md, space, "users/mallory@example.com"),
        "GetMembership": get(server, md, member_name),
        "ListMemberships": server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space_name),
                                                       metadata=md),
        "UpdateMembership": set_role(server, md, member_name, Role.ROLE_MANAGER),
        "DeleteMembership": remove(server, md, member_name),
    }


async def test_a_non_member_learns_nothing(server):
    alice, eve = user(server, "alice@example.com"), user(server, "eve@example.com")
    space = await new_space(server, alice)
    bob = await add(server, alice, space, "users/bob@example.com")
    # A former member is a stranger too.
    await add(server, alice, space, "users/eve@example.com")
    await remove(server, alice, f"{space.name}/members/eve@example.com")
    missing = "spaces/AAAAmissing"
    for member in (bob.name, f"{space.name}/members/bob@example.com", f"{space.name}/members/nobody@example.com"):
        real = five_calls(server, eve, space.name, member)
        fake = five_calls(server, eve, missing, member.replace(space.name, missing))
        for rpc in real:
            seen = await failure(real[rpc], grpc.StatusCode.NOT_FOUND)
            absent = await failure(fake[rpc], grpc.StatusCode.NOT_FOUND)
            assert seen["ErrorInfo"].reason == absent["ErrorInfo"].reason == "SPACE_NOT_FOUND", rpc
    # Nothing moved.
    assert (await get(server, alice, bob.name)).role == Role.ROLE_MEMBER
    assert await counts(server, alice, space) == (2, 0)


async def test_administrators_manage_people_in_any_space(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    space = await new_space(server, alice)
    bot = await add(server, alice, space, "users/app")
    admin = server.md(user="root@example.com", scopes=ADMIN_SCOPES, admin=True)
    flag = {"use_admin_access": True}

    zoe = await add(server, admin, space, "users/zoe@example.com", **flag)
    assert zoe.state == State.JOINED and zoe.role == Role.ROLE_MEMBER
    group = await add_group(server, admin, space, "groups/ops", **flag)
    assert await get(server, admin, f"{space.name}/members/zoe@example.com", **flag) == zoe
    assert (await set_role(server, admin, zoe.name, Role.ROLE_MANAGER, **flag)).role == Role.ROLE_MANAGER
    owner = f"{space.name}/members/alice@example.com"
    assert (await remove(server, admin, owner, **flag)).state == State.NOT_A_MEMBER
    assert (await remove(server, admin, group.name, **flag)).group_member.name == "groups/ops"
    # Even an administrator leaves a space one owner.
    details = await failure(remove(server, admin, zoe.name, **flag), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "LAST_SPACE_OWNER"
    assert await counts(server, admin, space, **flag) == (1, 0)
    assert [t for t, _ in await recorded(server, space.name)][-4:] == [
        EventType.MEMBERSHIP_CREATED, EventType.MEMBERSHIP_UPDATED, EventType.MEMBERSHIP_DELETED,
        EventType.MEMBERSHIP_DELETED]

    # Google: apps' memberships are out of reach with admin access.
    for call, field in ((add(server, admin, space, "users/app", **flag), "membership.member.name"),
                        (add(server, admin, space, bot.member.name, **flag), "membership.member.name"),
                        (get(server, admin, f"{space.name}/members/app", **flag), "name"),
                        (get(server, admin, bot.name, **flag), "name"),
                        (set_role(server, admin, bot.name, Role.ROLE_MANAGER, **flag), "membership.name"),
                        (remove(server, admin, f"{space.name}/members/app", **flag), "name"),
                        (remove(server, admin, bot.name, **flag), "name")):
        details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    # The app is still there, for its members to see.
    zoe_md = user(server, "zoe@example.com")
    assert (await get(server, zoe_md, bot.name)).state == State.JOINED


async def test_chat_import_serves_import_mode_spaces_only(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    bob = await add(server, alice, space, "users/bob@example.com")
    importer = server.md(user="alice@example.com", scopes=("chat.import",))
    for call in (add(server, importer, space, "users/carol@example.com"),
                 server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name),
                                             metadata=importer),
                 set_role(server, importer, bob.name, Role.ROLE_MANAGER),
                 remove(server, importer, bob.name)):
        details = await failure(call, grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


async def test_import_mode_takes_historical_memberships(server):
    importer = server.md(user="alice@example.com", scopes=("chat.import",))
    imported = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Imported", import_mode=True,
        create_time=timestamp_pb2.Timestamp(seconds=1_500_000_000))), metadata=importer)

    def historical(email, joined, left=None):
        membership = membership_pb2.Membership(member={"name": f"users/{email}"},
                                               create_time=timestamp_pb2.Timestamp(seconds=joined))
        if left:
            membership.delete_time.CopyFrom(timestamp_pb2.Timestamp(seconds=left))
        return server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=imported.name, membership=membership), metadata=importer)

    bob = await historical("bob@example.com", 1_600_000_000)
    assert bob.create_time.seconds == 1_600_000_000 and bob.state == State.JOINED
    carol = await historical("carol@example.com", 1_600_000_000, 1_650_000_000)
    assert carol.state == State.NOT_A_MEMBER and carol.delete_time.seconds == 1_650_000_000
    assert await get(server, server.md(user="alice@example.com", scopes=("chat.memberships",)), carol.name) == carol
    assert [m.name for m in await list_all(server, importer, imported)] == [bob.name]
    for bad, field in ((historical("dan@example.com", 1_400_000_000), "membership.create_time"),
                       (historical("dan@example.com", 4_000_000_000), "membership.create_time"),
                       (historical("dan@example.com", 1_600_000_000, 1_550_000_000), "membership.delete_time")):
        details = await failure(bad, grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    # Carol's past membership makes way for a new one.
    assert (await historical("carol@example.com", 1_660_000_000)).state == State.JOINED


async def test_view_membership_setting(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    own = await add(server, alice, space, "users/bob@example.com")
    await set_permissions(server, space, {Permission.VIEW_SPACE_MEMBERSHIP: PermissionSetting(
        managers_allowed=True, members_allowed=False, assistant_managers_allowed=True)})
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name),
                                                        metadata=bob), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "SPACE_PERMISSION_DENIED"
    await failure(get(server, bob, f"{space.name}/members/alice@example.com"), grpc.StatusCode.PERMISSION_DENIED)
    assert await get(server, bob, own.name) == own  # one's own membership stays in view
    assert len(await list_all(server, alice, space)) == 2
