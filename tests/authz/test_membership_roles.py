"""Role matrix of the membership RPCs: who may list, read, add, re-role and remove the members of a space.

Google's documentation, in short: members (humans and Chat apps) see the member list; a collaboration space
lets its members add and remove members (manage_members_and_groups), an announcement space keeps that to
managers; only managers change roles; removing a space manager takes a manager (an app: the space's creator);
anyone may leave; an administrator with `use_admin_access` manages any space's human members (and must filter
listings to humans). A non-member is told the space does not exist.
"""
from __future__ import annotations

import uuid

import grpc
import pytest
from google.chat.v1 import membership_pb2 as mp
from google.protobuf import field_mask_pb2

from tests.authz.rest_leg import GRPC, REST
from tests.authz.support import (
    ADMIN_ACCESS,
    ADMIN_PLAIN,
    ADMIN_REQUIRED,
    APP_MEMBER,
    APP_OUTSIDER,
    HIDDEN,
    MANAGER,
    MEMBER,
    OK,
    OUTSIDER,
    USER_FLAG,
    Case,
    Refused,
    applicable,
    denied,
    make_world,
    report,
    run,
    table_cases,
)

Role = mp.Membership.MembershipRole
HUMAN, BOT = 1, 2  # google.chat.v1.User.Type
ANNOUNCEMENT = 2  # google.chat.v1.Space.PredefinedPermissionSettings.ANNOUNCEMENT_SPACE
MEMBERS = {OUTSIDER: HIDDEN, MEMBER: OK, MANAGER: OK, APP_MEMBER: OK, APP_OUTSIDER: HIDDEN, ADMIN_ACCESS: OK,
           ADMIN_PLAIN: HIDDEN, USER_FLAG: ADMIN_REQUIRED}

# RPC -> caller -> outcome. HIDDEN: NOT_FOUND, identical to the answer for a space that does not exist.
TABLE = {
    "ListMemberships": MEMBERS,
    "GetMembership": MEMBERS,
    # Adding a new person: manage_members_and_groups, granted to members in a collaboration space.
    "CreateMembership": MEMBERS,
    # Making a member a manager: managers only (an app that did not create the space is no manager).
    "UpdateMembership": MEMBERS | {MEMBER: denied("NOT_SPACE_MANAGER"), APP_MEMBER: denied("NOT_SPACE_CREATOR")},
    # Removing a plain member: manage_members_and_groups again.
    "DeleteMembership": MEMBERS,
}


async def _target(world) -> mp.Membership:
    """A fresh plain member, so that every case changes its own membership."""
    return await world.add(world.space.name, world.email(f"target-{uuid.uuid4().hex[:6]}"))


async def _list(world, caller):
    kind = 'member.type = "HUMAN"' if caller in (ADMIN_ACCESS, USER_FLAG) else ""  # required with admin access
    return mp.ListMembershipsRequest(parent=world.space.name, filter=kind, page_size=100)


async def _get(world, caller):
    return mp.GetMembershipRequest(name=f"{world.space.name}/members/{world.email('member')}")


async def _create(world, caller):
    return mp.CreateMembershipRequest(parent=world.space.name, membership=mp.Membership(
        member={"name": f"users/{world.email('new-' + uuid.uuid4().hex[:6])}", "type": "HUMAN"}))


async def _promote(world, caller):
    target = await _target(world)
    return mp.UpdateMembershipRequest(membership=mp.Membership(name=target.name, role=Role.ROLE_MANAGER),
                                      update_mask=field_mask_pb2.FieldMask(paths=["role"]))


async def _remove(world, caller):
    return mp.DeleteMembershipRequest(name=(await _target(world)).name)


async def _remove_manager(world, caller):
    target = await world.add(world.space.name, world.email(f"boss-{uuid.uuid4().hex[:6]}"), role=Role.ROLE_MANAGER)
    return mp.DeleteMembershipRequest(name=target.name)


async def _leave(world, caller):
    return mp.DeleteMembershipRequest(name=f"{world.space.name}/members/{world.email('member')}")


async def _announcement_add(world, caller):
    space = await world.new_space(predefined_permission_settings=ANNOUNCEMENT)
    return mp.CreateMembershipRequest(parent=space.name, membership=mp.Membership(
        member={"name": f"users/{world.email('new-' + uuid.uuid4().hex[:6])}"}))


# --- effects --------------------------------------------------------------------------------------------------
async def _listed(world, caller, request, response):
    # Manager and member, and the app itself, except that Google excludes app memberships from an app's
    # listing ("excludes Chat app memberships, including its own") and the admin filters humans.
    types = sorted(m.member.type for m in response.memberships)
    humans_only = caller == APP_MEMBER or request.filter
    expected = [HUMAN, HUMAN] if humans_only else [HUMAN, HUMAN, BOT]
    return None if types == expected else f"listed member types {types}, expected {expected}"


async def _got(world, caller, request, response):
    return None if response.role == Role.ROLE_MEMBER and response.name.startswith(world.space.name) else \
        f"got {response}"


async def _roster(world, space_name=None) -> dict:
    page = await world.chat.ListMemberships(mp.ListMembershipsRequest(parent=space_name or world.space.name,
                                                                      page_size=1000), metadata=world.md("manager"))
    return {m.name: m.role for m in page.memberships}


async def _added(world, caller, request, response):
    return None if response.name in await _roster(world, request.parent) else "the new member is not listed"


async def _promoted(world, caller, request, response):
    role = (await _roster(world)).get(request.membership.name)
    return None if role == Role.ROLE_MANAGER else f"role is now {role}"


async def _removed(world, caller, request, response):
    return None if request.name not in await _roster(world) else "still a member"


SCENARIOS = {
    "ListMemberships": (_list, _listed),
    "GetMembership": (_get, _got),
    "CreateMembership": (_create, _added),
    "UpdateMembership": (_promote, _promoted),
    "DeleteMembership": (_remove, _removed),
}

async def _app_membership_get(world, caller):
    return mp.GetMembershipRequest(name=world.extra["app_membership"])


async def _app_membership_delete(world, caller):
    return mp.DeleteMembershipRequest(name=world.extra["app_membership"])


async def _add_app(world, caller):
    return mp.CreateMembershipRequest(parent=world.space.name, membership=mp.Membership(member={"name": "users/app"}))


async def _list_unfiltered(world, caller):
    return mp.ListMembershipsRequest(parent=world.space.name, page_size=100)


# Google: with admin access, app memberships can't be listed, read, added or deleted, and a listing must filter
# to humans.
BAD_REQUEST = Refused(grpc.StatusCode.INVALID_ARGUMENT)

NUANCES = {
    "GetMembership": [Case(ADMIN_ACCESS, BAD_REQUEST, "an app's membership", build=_app_membership_get)],
    "ListMemberships": [Case(ADMIN_ACCESS, BAD_REQUEST, "without the humans-only filter", build=_list_unfiltered)],
    "DeleteMembership": [
        Case(ADMIN_ACCESS, BAD_REQUEST, "an app's membership", build=_app_membership_delete),
        # ROLE_MANAGER is the space owner (our reason NOT_SPACE_OWNER).
        Case(MEMBER, denied("NOT_SPACE_OWNER"), "removing a space manager", build=_remove_manager),
        Case(MANAGER, OK, "removing another space manager", build=_remove_manager),
        Case(APP_MEMBER, denied("NOT_SPACE_OWNER"), "removing a space manager (not its space)",
             build=_remove_manager),
        Case(MEMBER, OK, "leaving", build=_leave),
    ],
    "CreateMembership": [
        Case(ADMIN_ACCESS, BAD_REQUEST, "adding a Chat app", build=_add_app),
        Case(MEMBER, denied("SPACE_PERMISSION_DENIED"), "announcement space", build=_announcement_add),
        Case(MANAGER, OK, "announcement space", build=_announcement_add),
    ],
}


async def _check(roles_server, rpc: str, transport: str = GRPC) -> None:
    build, effect = SCENARIOS[rpc]
    cases = table_cases(applicable(rpc, TABLE[rpc])) + NUANCES.get(rpc, [])
    problems = await run(roles_server, rpc, build, cases, effect, make_world, transport)
    assert not problems, report(rpc, cases, problems)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_membership_roles(roles_server, rpc):
    await _check(roles_server, rpc)


@pytest.mark.parametrize("rpc", sorted(TABLE))
async def test_membership_roles_over_rest(roles_server, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await _check(roles_server, rpc, REST)
