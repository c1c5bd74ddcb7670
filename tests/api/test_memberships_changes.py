"""GetMembership, UpdateMembership and DeleteMembership: names and aliases, the role ladder, leaving, removing
others, the last owner, apps and groups, under user and app authentication."""
import asyncio
import json

import grpc
from sqlalchemy import update

from chatsvc.domain.events import EventType
from chatsvc.domain.models import MembershipRole, SpaceType
from chatsvc.domain.permissions import Permission, PermissionSetting, Preset, preset
from chatsvc.storage.tables import spaces
from tests.api.test_memberships import (
    APP_SCOPES,
    BOT,
    HUMAN,
    USER_SCOPES,
    Role,
    State,
    add,
    add_group,
    counts,
    get,
    new_space,
    recorded,
    remove,
    set_role,
    stored_space,
)
from tests.helpers import failure, field_of, user

WITH_APP_SCOPE = USER_SCOPES + ("chat.memberships.app",)


async def set_permissions(server, space, permissions: dict) -> None:
    """Writes a space's permission settings straight to storage (their RPC is UpdateSpace's business)."""
    stored = json.dumps({p.value: [s.managers_allowed, s.members_allowed, s.assistant_managers_allowed]
                         for p, s in permissions.items()})
    async with server.running.db.engine.begin() as conn:
        await conn.execute(update(spaces).where(spaces.c.id == space.name.split("/")[1]).values(permissions=stored))


async def team(server):
    """alice (owner) with bob and carol (members) in a space; returns (space, mds, memberships by name)."""
    mds = {n: user(server, f"{n}@example.com") for n in ("alice", "bob", "carol", "dan")}
    space = await new_space(server, mds["alice"])
    members = {n: await add(server, mds["alice"], space, f"users/{n}@example.com") for n in ("bob", "carol")}
    members["alice"] = await get(server, mds["alice"], f"{space.name}/members/alice@example.com")
    return space, mds, members


async def test_get_membership_by_every_kind_of_name(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=WITH_APP_SCOPE)
    space = await new_space(server, alice)
    bob = await add(server, alice, space, "users/bob@example.com")
    bot = await add(server, alice, space, "users/app")
    group = await add_group(server, alice, space, "groups/eng")
    for name, expected in ((bob.name, bob), (f"{space.name}/members/bob@example.com", bob),
                           (f"{space.name}/members/Bob@Example.com", bob), (f"{space.name}/members/app", bot),
                           (bot.name, bot), (f"{space.name}/members/eng", group)):
        assert await get(server, alice, name) == expected, name
    assert (await get(server, alice, f"{space.name}/members/alice@example.com")).role == Role.ROLE_MANAGER

    for missing in ("nobody@example.com", "123456789012345678901", "other-group"):
        details = await failure(get(server, alice, f"{space.name}/members/{missing}"), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "MEMBERSHIP_NOT_FOUND"
    for bad in ("", space.name, f"{space.name}/messages/x", f"{space.name}/members/", "members/x",
                f"{space.name}/members/a b"):
        details = await failure(get(server, alice, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"], bad

    # With app authentication the app reads memberships (its own by `app` too), but not groups'.
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    assert await get(server, app_md, f"{space.name}/members/app") == bot
    assert await get(server, app_md, bob.name) == bob
    details = await failure(get(server, app_md, group.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_CANNOT_ACCESS_GROUP"


async def test_update_membership_request_errors(server):
    space, mds, members = await team(server)
    alice, bob = mds["alice"], members["bob"]
    for paths in ((), ("state",), ("role", "member"), ("Role",)):
        details = await failure(set_role(server, alice, bob.name, Role.ROLE_MANAGER, paths=paths),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"], paths
    for role in (Role.MEMBERSHIP_ROLE_UNSPECIFIED, 3, 99):
        details = await failure(set_role(server, alice, bob.name, role), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.role"], role
    for bad in ("", space.name, "spaces/x/members/"):
        details = await failure(set_role(server, alice, bad, Role.ROLE_MANAGER), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.name"], bad
    details = await failure(set_role(server, alice, f"{space.name}/members/nobody@example.com", Role.ROLE_MEMBER),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MEMBERSHIP_NOT_FOUND"
    # `*` means every updatable field, which is the role alone.
    assert (await set_role(server, alice, bob.name, Role.ROLE_ASSISTANT_MANAGER, paths=("*",))).role == \
        Role.ROLE_ASSISTANT_MANAGER


async def test_role_changes_follow_the_role_ladder(server):
    space, mds, members = await team(server)
    alice, bob, carol = members["alice"], members["bob"], members["carol"]
    details = await failure(set_role(server, mds["bob"], carol.name, Role.ROLE_ASSISTANT_MANAGER),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    details = await failure(set_role(server, mds["bob"], bob.name, Role.ROLE_MANAGER),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"

    # The owner makes bob a manager; a manager moves people between member and manager...
    await set_role(server, mds["alice"], bob.name, Role.ROLE_ASSISTANT_MANAGER)
    assert (await set_role(server, mds["bob"], carol.name, Role.ROLE_ASSISTANT_MANAGER)).role == \
        Role.ROLE_ASSISTANT_MANAGER
    assert (await set_role(server, mds["bob"], carol.name, Role.ROLE_MEMBER)).role == Role.ROLE_MEMBER
    # ...but makes no owners and leaves owners alone.
    for target, role in ((carol.name, Role.ROLE_MANAGER), (bob.name, Role.ROLE_MANAGER),
                         (alice.name, Role.ROLE_MEMBER)):
        details = await failure(set_role(server, mds["bob"], target, role), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "NOT_SPACE_OWNER"
    # An owner makes owners.
    assert (await set_role(server, mds["alice"], carol.name, Role.ROLE_MANAGER)).role == Role.ROLE_MANAGER
    assert (await get(server, mds["bob"], carol.name)).role == Role.ROLE_MANAGER

    # Setting the role a member already has changes nothing and records nothing.
    before = await recorded(server, space.name)
    assert (await set_role(server, mds["alice"], carol.name, Role.ROLE_MANAGER)).role == Role.ROLE_MANAGER
    assert await recorded(server, space.name) == before
    assert before[-1] == (EventType.MEMBERSHIP_UPDATED, carol.name)


async def test_groups_and_apps_have_no_role_to_change(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=WITH_APP_SCOPE)
    space = await new_space(server, alice)
    bot = await add(server, alice, space, "users/app")
    group = await add_group(server, alice, space, "groups/eng")
    for name in (bot.name, group.name, f"{space.name}/members/app"):
        details = await failure(set_role(server, alice, name, Role.ROLE_MANAGER), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["membership.role"], name


async def test_no_roles_outside_named_spaces(server):
    chat = await stored_space(server, SpaceType.GROUP_CHAT, {"alice@example.com": MembershipRole.MEMBER,
                                                             "bob@example.com": MembershipRole.MEMBER})
    details = await failure(set_role(server, user(server, "alice@example.com"),
                                     f"{chat.name}/members/bob@example.com", Role.ROLE_MANAGER),
                            grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "ROLES_NOT_SUPPORTED"


async def test_the_only_owner_can_neither_leave_nor_step_down(server):
    space, mds, members = await team(server)
    alice, bob = members["alice"], members["bob"]
    before = await recorded(server, space.name)
    for call in (remove(server, mds["alice"], alice.name),
                 set_role(server, mds["alice"], alice.name, Role.ROLE_ASSISTANT_MANAGER),
                 set_role(server, mds["alice"], alice.name, Role.ROLE_MEMBER)):
        details = await failure(call, grpc.StatusCode.FAILED_PRECONDITION)
        assert details["ErrorInfo"].reason == "LAST_SPACE_OWNER"
    assert await recorded(server, space.name) == before  # refused changes leave nothing behind
    assert await counts(server, mds["alice"], space) == (3, 0)

    # With a second owner, either may go.
    await set_role(server, mds["alice"], bob.name, Role.ROLE_MANAGER)
    assert (await set_role(server, mds["alice"], alice.name, Role.ROLE_MEMBER)).role == Role.ROLE_MEMBER
    details = await failure(remove(server, mds["bob"], bob.name), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "LAST_SPACE_OWNER"
    left = await remove(server, mds["alice"], f"{space.name}/members/alice@example.com")
    assert left.state == State.NOT_A_MEMBER and left.name == alice.name
    assert await counts(server, mds["bob"], space) == (2, 0)


async def test_leaving_and_removing_others(server):
    space, mds, members = await team(server)
    # In a collaboration space members manage members.
    dan = await add(server, mds["bob"], space, "users/dan@example.com")
    assert (await remove(server, mds["bob"], dan.name)).state == State.NOT_A_MEMBER
    # Managers are removed by managers, owners by owners.
    await set_role(server, mds["alice"], members["carol"].name, Role.ROLE_ASSISTANT_MANAGER)
    details = await failure(remove(server, mds["bob"], members["carol"].name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    details = await failure(remove(server, mds["carol"], members["alice"].name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_OWNER"
    # An announcement space keeps membership management to managers; anyone may still leave.
    await set_permissions(server, space, preset(Preset.ANNOUNCEMENT_SPACE))
    details = await failure(add(server, mds["bob"], space, "users/dan@example.com"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "SPACE_PERMISSION_DENIED"
    dan = await add(server, mds["carol"], space, "users/dan@example.com")
    details = await failure(remove(server, mds["bob"], dan.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "SPACE_PERMISSION_DENIED"
    await remove(server, mds["carol"], dan.name)
    assert (await remove(server, mds["bob"], members["bob"].name)).state == State.NOT_A_MEMBER
    assert await counts(server, mds["alice"], space) == (2, 0)
    # Settings may keep membership management to owners alone.
    await set_permissions(server, space, {Permission.MANAGE_MEMBERS_AND_GROUPS: PermissionSetting(
        managers_allowed=True, members_allowed=False, assistant_managers_allowed=False)})
    details = await failure(add(server, mds["carol"], space, "users/dan@example.com"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "SPACE_PERMISSION_DENIED"
    await add(server, mds["alice"], space, "users/dan@example.com")


async def test_removing_the_calling_app(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=WITH_APP_SCOPE)
    people_only = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES)
    space = await new_space(server, alice)
    bot = await add(server, alice, space, "users/app")
    other = server.md(user="alice@example.com", app="other-bot", scopes=WITH_APP_SCOPE)
    other_bot = await add(server, other, space, "users/app")
    # Google: removing an app takes chat.memberships.app and the `app` alias; other apps are off limits.
    details = await failure(remove(server, people_only, f"{space.name}/members/app"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    details = await failure(remove(server, alice, other_bot.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "OTHER_APP_MEMBERSHIP"
    removed = await remove(server, alice, f"{space.name}/members/app")
    assert removed.name == bot.name and removed.member.type == BOT and removed.state == State.NOT_A_MEMBER
    await failure(get(server, alice, bot.name), grpc.StatusCode.NOT_FOUND)
    # chat.memberships.app alone does not remove people.
    app_only = server.md(user="alice@example.com", app="other-bot", scopes=("chat.memberships.app",))
    bob = await add(server, alice, space, "users/bob@example.com")
    details = await failure(remove(server, app_only, bob.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert (await remove(server, app_only, f"{space.name}/members/app")).name == other_bot.name
    assert await counts(server, alice, space) == (2, 0)


async def test_app_authentication_updates_and_removals(server):
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    # A space a person created, with the app in it: the app removes plain members, not owners, not groups,
    # not apps, and changes no roles (only in spaces it created).
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=WITH_APP_SCOPE)
    space = await new_space(server, alice)
    bot = await add(server, alice, space, "users/app")
    group = await add_group(server, alice, space, "groups/eng")
    bob = await add(server, alice, space, "users/bob@example.com")
    owner = await get(server, alice, f"{space.name}/members/alice@example.com")
    details = await failure(set_role(server, app_md, bob.name, Role.ROLE_MANAGER), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_CREATOR"
    details = await failure(remove(server, app_md, owner.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_OWNER"
    details = await failure(remove(server, app_md, group.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_CANNOT_ACCESS_GROUP"
    for own in (bot.name, f"{space.name}/members/app"):
        details = await failure(remove(server, app_md, own), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "APP_CANNOT_REMOVE_APP"
    assert (await remove(server, app_md, bob.name)).member.type == HUMAN

    # A space the app created: it acts as its owner.
    made = await new_space(server, app_md, customer="customers/my_customer")
    carol = await add(server, app_md, made, "users/carol@example.com")
    dan = await add(server, app_md, made, "users/dan@example.com")
    assert (await set_role(server, app_md, carol.name, Role.ROLE_MANAGER)).role == Role.ROLE_MANAGER
    details = await failure(remove(server, app_md, carol.name), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "LAST_SPACE_OWNER"
    await set_role(server, app_md, dan.name, Role.ROLE_MANAGER)
    assert (await remove(server, app_md, carol.name)).role == Role.ROLE_MANAGER
    assert await counts(server, user(server, "dan@example.com"), made) == (1, 0)


async def test_people_stay_in_direct_messages(server):
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=WITH_APP_SCOPE)
    dm = await stored_space(server, SpaceType.DIRECT_MESSAGE, {"alice@example.com": MembershipRole.MEMBER,
                                                               "bob@example.com": MembershipRole.MEMBER})
    for who in ("bob@example.com", "alice@example.com"):
        details = await failure(remove(server, alice, f"{dm.name}/members/{who}"), grpc.StatusCode.FAILED_PRECONDITION)
        assert details["ErrorInfo"].reason == "SPACE_IS_DM"
    await add(server, alice, dm, "users/app")
    assert (await remove(server, alice, f"{dm.name}/members/app")).member.type == BOT
    # In a group chat, anyone may remove anyone, and leave.
    chat = await stored_space(server, SpaceType.GROUP_CHAT, {"alice@example.com": MembershipRole.MEMBER,
                                                             "bob@example.com": MembershipRole.MEMBER,
                                                             "carol@example.com": MembershipRole.MEMBER})
    await remove(server, alice, f"{chat.name}/members/carol@example.com")
    await remove(server, alice, f"{chat.name}/members/alice@example.com")
    assert await counts(server, user(server, "bob@example.com"), chat) == (1, 0)


async def test_concurrent_changes_keep_an_owner_and_exact_counts(server):
    space, mds, members = await team(server)
    await set_role(server, mds["alice"], members["bob"].name, Role.ROLE_MANAGER)
    # Two owners leaving at once: one goes, the other is told it is the last.
    results = await asyncio.gather(remove(server, mds["alice"], members["alice"].name),
                                   remove(server, mds["bob"], members["bob"].name), return_exceptions=True)
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert [r.code() for r in refused] == [grpc.StatusCode.FAILED_PRECONDITION], results
    # The same person added five times at once joins once; five others join alongside.
    carol = mds["carol"]
    results = await asyncio.gather(*(add(server, carol, space, "users/erin@example.com") for _ in range(5)),
                                   *(add(server, carol, space, f"users/p{i}@example.com") for i in range(5)),
                                   return_exceptions=True)
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert sorted(r.code().name for r in refused) == ["ALREADY_EXISTS"] * 4, results
    assert await counts(server, carol, space) == (2 + 6, 0)
