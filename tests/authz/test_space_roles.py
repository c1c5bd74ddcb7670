"""Role matrix of the space RPCs: who may see, find, search, create, change, delete and import spaces.

Google's documentation, in short: a space is seen by its members (humans and Chat apps); an administrator
sees and manages any space of the organization with `use_admin_access`, and without it is an ordinary user;
only space managers delete a space or change its permission settings, while members of a collaboration space
may rename it; a Chat app deletes only the spaces it created; a space in import mode is seen by its creator
alone. A non-member is told the space does not exist.
"""
from __future__ import annotations

import uuid

import pytest
from google.chat.v1 import membership_pb2 as mp
from google.chat.v1 import space_pb2, space_setup_pb2
from google.protobuf import field_mask_pb2

from tests.authz.rest_leg import GRPC, REST
from tests.authz.support import (
    ADMIN_ACCESS,
    ADMIN_PLAIN,
    ADMIN_REQUIRED,
    APP_MEMBER,
    APP_NOT_SUPPORTED,
    APP_OUTSIDER,
    HIDDEN,
    MANAGER,
    MEMBER,
    OK,
    OUTSIDER,
    USER_FLAG,
    Case,
    applicable,
    denied,
    make_world,
    report,
    run,
    table_cases,
)

SPACE = space_pb2.Space.SpaceType.SPACE
SEES = (MEMBER, MANAGER, APP_MEMBER)  # who finds the world's space in a listing


# RPC -> caller -> outcome. HIDDEN: NOT_FOUND, identical to the answer for a space that does not exist.
TABLE = {
    "GetSpace": {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN,
                 ADMIN_ACCESS: OK, ADMIN_PLAIN: HIDDEN, USER_FLAG: ADMIN_REQUIRED},
    # Listings: OK for all; the effect check says whether the world's space is listed (SEES only).
    "ListSpaces": {OUTSIDER: OK, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: OK, ADMIN_PLAIN: OK},
    # Google: without use_admin_access, the results are limited to spaces the caller has joined.
    "SearchSpaces": {OUTSIDER: OK, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_ACCESS: OK,
                     ADMIN_PLAIN: OK, USER_FLAG: ADMIN_REQUIRED},
    # Anyone may create a space and becomes its manager; a Chat app becomes a member of its own space.
    "CreateSpace": {OUTSIDER: OK, MEMBER: OK, APP_OUTSIDER: OK, ADMIN_PLAIN: OK},
    "SetUpSpace": {OUTSIDER: OK, MEMBER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: OK},
    # Renaming: modify_space_details, which a collaboration space grants to members too.
    "UpdateSpace": {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN,
                    ADMIN_ACCESS: OK, ADMIN_PLAIN: HIDDEN, USER_FLAG: ADMIN_REQUIRED},
    "DeleteSpace": {OUTSIDER: HIDDEN, MEMBER: denied("NOT_SPACE_MANAGER"), MANAGER: OK,
                    APP_MEMBER: denied("NOT_SPACE_CREATOR"), APP_OUTSIDER: HIDDEN, ADMIN_ACCESS: OK,
                    ADMIN_PLAIN: HIDDEN, USER_FLAG: ADMIN_REQUIRED},
    # An import-mode space: its creator (the manager here) alone sees it and completes the import.
    "CompleteImportSpace": {OUTSIDER: HIDDEN, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: HIDDEN},
    # The DM of the manager and the member; the app's DM with the manager. Others find none.
    "FindDirectMessage": {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN,
                          ADMIN_PLAIN: HIDDEN},
    # The group chat of manager, member and carol: found by its members only.
    "FindGroupChats": {OUTSIDER: OK, MEMBER: OK, MANAGER: OK, APP_MEMBER: APP_NOT_SUPPORTED, ADMIN_PLAIN: OK},
}

def _the_user(world, request) -> list[str]:
    """FindDirectMessage's hidden DM is compared with the DM of a user who does not exist."""
    return [request.name.split("/")[1]]


VARY = {"FindDirectMessage": _the_user}

# Nuances beyond the plain table.
NUANCES = {
    "UpdateSpace": [
        Case(MEMBER, denied("NOT_SPACE_MANAGER"), "permission settings are the managers'",
             build=lambda w, c: _permission_update(w)),
        Case(MANAGER, OK, "permission settings", build=lambda w, c: _permission_update(w),
             effect=lambda *a: _restricted(*a)),
    ],
    "GetSpace": [
        Case(MEMBER, HIDDEN, "a space in import mode, seen by its creator only", build=lambda w, c: _import_get(w)),
        Case(OUTSIDER, HIDDEN, "a DM of two others", build=lambda w, c: _dm_get(w)),
        Case(MEMBER, OK, "its DM with the manager", build=lambda w, c: _dm_get(w), effect=lambda *a: _got(*a)),
    ],
    "DeleteSpace": [
        Case(APP_MEMBER, OK, "a space it created", build=lambda w, c: _app_space_delete(w),
             effect=lambda *a: _gone(*a)),
    ],
}


async def _space_request(world, caller):
    return space_pb2.GetSpaceRequest(name=world.space.name)


async def _list_spaces(world, caller):
    return space_pb2.ListSpacesRequest(page_size=1000)


async def _search(world, caller):
    query = f'customer = "customers/my_customer" AND space_type = "SPACE" AND display_name:"{world.tag}"'
    user_query = f'space_type = "SPACE" AND display_name:"{world.tag}"'
    return space_pb2.SearchSpacesRequest(query=query if caller == ADMIN_ACCESS else user_query, page_size=100)


async def _create(world, caller):
    customer = "customers/my_customer" if caller == APP_OUTSIDER else ""  # Google: required of Chat apps
    return space_pb2.CreateSpaceRequest(space=space_pb2.Space(space_type=SPACE, customer=customer,
                                                              display_name=f"New {uuid.uuid4().hex[:8]}"))


async def _set_up(world, caller):
    carol = mp.Membership(member={"name": f"users/{world.email('carol')}"})
    return space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=SPACE, display_name=f"Set up {uuid.uuid4().hex[:8]}"), memberships=[carol])


async def _rename(world, caller):
    return space_pb2.UpdateSpaceRequest(space=space_pb2.Space(name=world.space.name,
                                                              display_name=f"Renamed {world.tag} {caller}"),
                                        update_mask=field_mask_pb2.FieldMask(paths=["display_name"]))


async def _permission_update(world):
    settings = space_pb2.Space.PermissionSettings(
        manage_members_and_groups=space_pb2.Space.PermissionSetting(managers_allowed=True, members_allowed=False))
    return space_pb2.UpdateSpaceRequest(space=space_pb2.Space(name=world.space.name, permission_settings=settings),
                                        update_mask=field_mask_pb2.FieldMask(paths=["permission_settings.manage_members_and_groups"]))


async def _import_space(world):
    space = await world.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=SPACE, display_name=f"Import {uuid.uuid4().hex[:8]}", import_mode=True)),
        metadata=world.md("manager", "chat.import"))
    world.remember(space.name)
    return space


async def _import_get(world):
    return space_pb2.GetSpaceRequest(name=(await _import_space(world)).name)


async def _dm_get(world):
    dm = await world.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE),
        memberships=[mp.Membership(member={"name": f"users/{world.email('member')}"})]), metadata=world.md("manager"))
    world.remember(dm.name)
    return space_pb2.GetSpaceRequest(name=dm.name)


async def _app_space_delete(world):
    space = await world.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=SPACE, display_name=f"App's {uuid.uuid4().hex[:8]}", customer="customers/my_customer")),
        metadata=world.app_md("chat.app.spaces.create"))
    world.remember(space.name)
    return space_pb2.DeleteSpaceRequest(name=space.name)


async def _delete(world, caller):
    return space_pb2.DeleteSpaceRequest(name=(await world.new_space()).name)


async def _complete(world, caller):
    return space_pb2.CompleteImportSpaceRequest(name=(await _import_space(world)).name)


async def _dm_world(server):
    """The world, plus a DM of the manager with the member and one of the manager with the app."""
    world = await make_world(server, messages=False)
    dm = space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE)
    with_member = await world.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=dm, memberships=[mp.Membership(member={"name": f"users/{world.email('member')}"})]),
        metadata=world.md("manager"))
    with_app = await world.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)),
        metadata=world.md("manager", "chat.spaces", app=world.app_name))
    world.extra.update(dm=with_member.name, app_dm=with_app.name)
    world.remember(with_member.name, with_app.name)
    world.extra["manager_id"] = (await world.chat.GetMembership(mp.GetMembershipRequest(
        name=f"{world.space.name}/members/{world.email('manager')}"), metadata=world.md("manager"))).member.name
    return world


async def _find_dm(world, caller):
    # Each caller asks for its DM with the manager (the manager: with the member).
    other = world.email("member") if caller == MANAGER else world.extra["manager_id"].split("/")[1]
    return space_pb2.FindDirectMessageRequest(name=f"users/{other}")


async def _group_world(server):
    world = await make_world(server, messages=False)
    chat = await world.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.GROUP_CHAT),
        memberships=[mp.Membership(member={"name": f"users/{world.email(who)}"}) for who in ("member", "carol")]),
        metadata=world.md("manager"))
    world.extra["group"] = chat.name
    return world


async def _find_groups(world, caller):
    others = {"manager": ("member", "carol"), "member": ("manager", "carol")}.get(
        {MANAGER: "manager", MEMBER: "member"}.get(caller, ""), ("manager", "member", "carol"))
    return space_pb2.FindGroupChatsRequest(users=[f"users/{world.email(w)}" for w in others], page_size=100)


# --- effects of the OK cases ---------------------------------------------------------------------------------------
async def _listed(world, caller, request, response):
    names = [s.name for s in response.spaces]
    if (world.space.name in names) != (caller in SEES):
        return f"the world's space {'missing from' if caller in SEES else 'leaked into'} the listing"
    return None


async def _searched(world, caller, request, response):
    found = [r.space.name for r in response.results]
    if (world.space.name in found) != (caller in (MEMBER, MANAGER, ADMIN_ACCESS)):
        return f"search results {found} (only joined members and the admin with use_admin_access find it)"
    return None


async def _got(world, caller, request, response):
    return None if response.name == request.name else f"got {response.name}"


async def _created(world, caller, request, response):
    role = mp.Membership.MembershipRole
    if caller == APP_OUTSIDER:
        md, member = world.app_md(outsider=True), "app"
    else:
        who = {OUTSIDER: "outsider", MEMBER: "member"}.get(caller, "admin")
        md, member = world.md(who), world.email(who)
    membership = await world.chat.GetMembership(mp.GetMembershipRequest(name=f"{response.name}/members/{member}"),
                                                metadata=md)
    expected = role.ROLE_MEMBER if caller == APP_OUTSIDER else role.ROLE_MANAGER
    return None if membership.role == expected else f"creator's role {membership.role}, expected {expected}"


async def _renamed(world, caller, request, response):
    seen = await world.chat.GetSpace(space_pb2.GetSpaceRequest(name=world.space.name), metadata=world.md("manager"))
    return None if seen.display_name == request.space.display_name else f"display name is {seen.display_name!r}"


async def _restricted(world, caller, request, response):
    seen = await world.chat.GetSpace(space_pb2.GetSpaceRequest(name=world.space.name), metadata=world.md("manager"))
    rule = seen.permission_settings.manage_members_and_groups
    return None if rule.managers_allowed and not rule.members_allowed else f"settings now {rule}"


async def _gone(world, caller, request, response):
    try:
        await world.chat.GetSpace(space_pb2.GetSpaceRequest(name=request.name, use_admin_access=True),
                                  metadata=world.server.md(user=world.email("admin"), scopes=["chat.admin.spaces"],
                                                           admin=True))
    except Exception:  # noqa: BLE001  NOT_FOUND is the point
        return None
    return "the space still exists"


async def _completed(world, caller, request, response):
    return None if not response.space.import_mode else "still in import mode"


async def _found_dm(world, caller, request, response):
    expected = world.extra["app_dm"] if caller == APP_MEMBER else world.extra["dm"]
    return None if response.name == expected else f"found {response.name}, expected {expected}"


async def _found_groups(world, caller, request, response):
    found = [s.name for s in response.spaces]
    if (world.extra["group"] in found) != (caller in (MEMBER, MANAGER)):
        return f"found {found}"
    return None


SCENARIOS = {
    "GetSpace": (_space_request, _got, make_world),
    "ListSpaces": (_list_spaces, _listed, make_world),
    "SearchSpaces": (_search, _searched, make_world),
    "CreateSpace": (_create, _created, make_world),
    "SetUpSpace": (_set_up, None, make_world),
    "UpdateSpace": (_rename, _renamed, make_world),
    "DeleteSpace": (_delete, _gone, make_world),
    "CompleteImportSpace": (_complete, _completed, make_world),
    "FindDirectMessage": (_find_dm, _found_dm, _dm_world),
    "FindGroupChats": (_find_groups, _found_groups, _group_world),
}


async def _check(roles_server, rpc: str, transport: str = GRPC) -> None:
    build, effect, world = SCENARIOS[rpc]
    cases = table_cases(applicable(rpc, TABLE[rpc]), vary=VARY.get(rpc)) + NUANCES.get(rpc, [])
    problems = await run(roles_server, rpc, build, cases, effect, world, transport)
    assert not problems, report(rpc, cases, problems)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_space_roles(roles_server, rpc):
    await _check(roles_server, rpc)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_space_roles_over_rest(roles_server, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await _check(roles_server, rpc, REST)
