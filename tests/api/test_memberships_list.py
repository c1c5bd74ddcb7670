"""ListMemberships: the documented filter grammar, show_groups / show_invited, page sizes, administrator access,
and a bounded number of statements per page whatever the filter."""
import uuid

import grpc
import pytest
from google.chat.v1 import membership_pb2

from chatsvc.domain.models import Membership, MembershipRole, MembershipState, User, UserType
from tests.api.test_memberships import (
    APP_SCOPES,
    USER_SCOPES,
    Role,
    State,
    add,
    add_group,
    counts,
    get,
    list_all,
    new_space,
    remove,
    set_role,
)
from tests.api.test_pagination import StatementCounter
from tests.helpers import failure, field_of, user

ADMIN_SCOPES = ("chat.admin.memberships", "chat.admin.spaces")


def listing(server, md, space, **request):
    return server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name, **request),
                                       metadata=md)


async def stored_members(server, space, count: int, *, state=MembershipState.JOINED) -> list[str]:
    """`count` people written straight to storage as members of `space` (fast set-up for big lists)."""
    space_id = space.name.split("/")[1]
    ids = [str(10**20 + uuid.uuid4().int % 10**20) for _ in range(count)]
    async with server.running.db.transaction(write=True) as repos:
        for member_id in ids:
            await repos.users.add(User(id=member_id, type=UserType.HUMAN, email=f"{member_id}@example.com"), 1)
            await repos.memberships.add(Membership(space_id=space_id, member_id=member_id, state=state,
                                                   role=MembershipRole.MEMBER, create_time_us=1))
    return ids


@pytest.fixture
async def crowd(server):
    """alice (owner), bob (manager), carol (member), the app and a group in one space."""
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=USER_SCOPES + ("chat.memberships.app",))
    space = await new_space(server, alice)
    names = {"alice": (await get(server, alice, f"{space.name}/members/alice@example.com")).name}
    for who in ("bob", "carol"):
        names[who] = (await add(server, alice, space, f"users/{who}@example.com")).name
    await set_role(server, alice, names["bob"], Role.ROLE_ASSISTANT_MANAGER)
    names["app"] = (await add(server, alice, space, "users/app")).name
    names["eng"] = (await add_group(server, alice, space, "groups/eng")).name
    return space, alice, names


async def test_filters_select_by_role_and_member_type(server, crowd):
    space, alice, names = crowd

    async def who(filter_text, **request):
        found = await list_all(server, alice, space, filter=filter_text, **request)
        by_name = {v: k for k, v in names.items()}
        return sorted(by_name[m.name] for m in found)

    assert await who("") == ["alice", "app", "bob", "carol"]
    assert await who('role = "ROLE_MANAGER"') == ["alice"]
    assert await who("role = ROLE_MANAGER") == ["alice"]
    assert await who('role = "ROLE_ASSISTANT_MANAGER"') == ["bob"]
    assert await who('role = "ROLE_MANAGER" OR role = "ROLE_MEMBER"') == ["alice", "app", "carol"]
    assert await who('member.type = "HUMAN" AND role = "ROLE_MANAGER"') == ["alice"]
    assert await who('member.type != "BOT"') == ["alice", "bob", "carol"]
    assert await who('member.type = "BOT"') == ["app"]
    assert await who('member.type != "HUMAN"') == ["app"]
    assert await who('role = "ROLE_MANAGER" OR member.type = "BOT"') == ["alice", "app"]
    assert await who('(role = "ROLE_MANAGER" OR role = "ROLE_ASSISTANT_MANAGER") AND member.type = "HUMAN"') == \
        ["alice", "bob"]
    # Groups, when shown, pass `!=` type tests (they have no member type) and fail role tests (no role).
    assert await who("", show_groups=True) == ["alice", "app", "bob", "carol", "eng"]
    assert await who('member.type != "BOT"', show_groups=True) == ["alice", "bob", "carol", "eng"]
    assert await who('member.type = "HUMAN"', show_groups=True) == ["alice", "bob", "carol"]
    assert await who('role = "ROLE_MEMBER"', show_groups=True) == ["app", "carol"]


async def test_invalid_filters_are_refused(server, crowd):
    space, alice, _ = crowd
    for bad in (
        'member.type = "HUMAN" AND member.type = "BOT"',  # Google's own examples of invalid queries
        'role = "ROLE_MANAGER" AND role = "ROLE_MEMBER"',
        '(role = "ROLE_MANAGER" OR member.type = "BOT") AND role = "ROLE_MEMBER"',
        'role != "ROLE_MANAGER"', 'role > "ROLE_MANAGER"', 'role = "OWNER"', 'role = "MEMBERSHIP_ROLE_UNSPECIFIED"',
        'member.type = "GROUP"', 'member.type : "HUMAN"', 'member.type < "HUMAN"', 'state = "JOINED"',
        'member.name = "users/1"', 'NOT role = "ROLE_MANAGER"', '-member.type = "BOT"', 'role("ROLE_MANAGER")',
        'role = "ROLE_MANAGER" AND member.type = "HUMAN" OR role = "ROLE_MEMBER"', "(", 'role = ', "role",
        '"ROLE_MANAGER"', "x" * 5000,
    ):
        details = await failure(listing(server, alice, space, filter=bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad
        assert details["ErrorInfo"].reason == "INVALID_FILTER", bad


async def test_invited_members_are_listed_on_request(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await add(server, alice, space, "users/bob@example.com")
    # Nothing in this server invites rather than adds (there is no auto-accept policy to turn off), so the
    # invitation is written to storage directly.
    (invited_id,) = await stored_members(server, space, 1, state=MembershipState.INVITED)
    invited_name = f"{space.name}/members/{invited_id}"
    assert len(await list_all(server, alice, space)) == 2
    shown = await list_all(server, alice, space, show_invited=True)
    assert {m.name: m.state for m in shown}[invited_name] == State.INVITED and len(shown) == 3
    # A filter applies to invitations as to everyone else.
    members = await list_all(server, alice, space, show_invited=True, filter='role = "ROLE_MEMBER"')
    assert invited_name in {m.name for m in members} and len(members) == 2
    owners = await list_all(server, alice, space, show_invited=True, filter='role = "ROLE_MANAGER"')
    assert invited_name not in {m.name for m in owners} and len(owners) == 1
    got = await get(server, alice, invited_name)
    assert got.state == State.INVITED and got.role == Role.ROLE_MEMBER
    # An invitation is no membership: it counts for nothing, grants no access, and can be withdrawn.
    assert await counts(server, alice, space) == (2, 0)
    invited_md = user(server, f"{invited_id}@example.com")
    await failure(listing(server, invited_md, space), grpc.StatusCode.NOT_FOUND)
    withdrawn = await remove(server, alice, invited_name)
    assert withdrawn.state == State.NOT_A_MEMBER
    assert await counts(server, alice, space) == (2, 0)
    # Google: show_invited currently needs user authentication; group memberships too.
    app_md = server.md(app="helper-bot", scopes=APP_SCOPES)
    made = await new_space(server, app_md, customer="customers/my_customer")
    for flag in ("show_invited", "show_groups"):
        details = await failure(listing(server, app_md, made, **{flag: True}), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [flag]


async def test_page_sizes(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await stored_members(server, space, 1000)
    default = await listing(server, alice, space)
    assert len(default.memberships) == 100 and default.next_page_token
    capped = await listing(server, alice, space, page_size=5000)
    assert len(capped.memberships) == 1000 and capped.next_page_token
    rest = await listing(server, alice, space, page_size=5000, page_token=capped.next_page_token)
    assert len(rest.memberships) == 1 and rest.next_page_token == ""
    names = [m.name for m in [*capped.memberships, *rest.memberships]]
    assert len(set(names)) == 1001


async def test_filtered_pages_cost_a_bounded_number_of_statements(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await stored_members(server, space, 120)
    await listing(server, alice, space, page_size=1)  # warm the caller lookup
    seen = {}
    for size in (10, 100):
        with StatementCounter(server) as counter:
            page = await listing(server, alice, space, page_size=size, show_groups=True, show_invited=True,
                                 filter='member.type != "BOT" AND (role = "ROLE_MEMBER" OR role = "ROLE_MANAGER")')
        assert len(page.memberships) == size
        seen[size] = len(counter.statements)
    assert seen[10] == seen[100] <= 6, seen


async def test_administrators_list_people_of_any_space(server, crowd):
    space, alice, names = crowd
    admin = server.md(user="root@example.com", scopes=ADMIN_SCOPES, admin=True)
    # Google: with admin access a member.type filter keeping apps out is required.
    for bad in ("", 'role = "ROLE_MANAGER"', 'member.type = "BOT"', 'member.type != "HUMAN"',
                'member.type = "HUMAN" OR role = "ROLE_MANAGER"',
                '(member.type = "HUMAN" OR member.type != "BOT") AND role = "ROLE_MANAGER"'):
        details = await failure(listing(server, admin, space, filter=bad, use_admin_access=True),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad
    humans = await list_all(server, admin, space, filter='member.type = "HUMAN"', use_admin_access=True)
    assert sorted(m.name for m in humans) == sorted(names[n] for n in ("alice", "bob", "carol"))
    with_groups = await list_all(server, admin, space, filter='member.type != "BOT"', show_groups=True,
                                 use_admin_access=True)
    assert sorted(m.name for m in with_groups) == sorted(names[n] for n in ("alice", "bob", "carol", "eng"))
    owners = await list_all(server, admin, space, filter='role = "ROLE_MANAGER" AND member.type = "HUMAN"',
                            use_admin_access=True)
    assert [m.name for m in owners] == [names["alice"]]
    # Without the flag the administrator is a stranger; without privileges the flag is refused.
    stranger = server.md(user="root@example.com", scopes=ADMIN_SCOPES + ("chat.memberships",), admin=True)
    await failure(listing(server, stranger, space, filter='member.type = "HUMAN"'), grpc.StatusCode.NOT_FOUND)
    plain = server.md(user="root@example.com", scopes=ADMIN_SCOPES)
    await failure(listing(server, plain, space, filter='member.type = "HUMAN"', use_admin_access=True),
                  grpc.StatusCode.PERMISSION_DENIED)
