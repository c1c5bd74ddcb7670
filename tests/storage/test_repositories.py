"""Repositories and the unit of work on each backend: round trips, keyset pages, rollback, conflicts."""
import dataclasses

import pytest

from chatsvc.domain.models import (
    HistoryState,
    Membership,
    MembershipRole,
    MembershipState,
    Message,
    Space,
    SpaceType,
    ThreadingState,
    User,
    UserType,
)
from chatsvc.domain.ports import Conflict
from chatsvc.storage.database import Database

T0 = 1_700_000_000_000_000


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    await database.migrate()
    await database.migrate()  # migrating twice is harmless
    try:
        yield database
    finally:
        await database.dispose()


def a_space(space_id="AAAAspace01", **fields) -> Space:
    values = dict(id=space_id, space_type=SpaceType.SPACE, display_name=f"Space {space_id}", description="d",
                  guidelines="g", customer="customers/my_customer", create_time_us=T0, last_active_time_us=T0,
                  creator_id="100000000000000000001", joined_humans=1)
    values.update(fields)
    return Space(**values)


def a_message(space_id, message_id, time_us, sender="100000000000000000001", **fields) -> Message:
    return Message(space_id=space_id, id=message_id, sender_id=sender, thread_id=fields.pop("thread_id", "t1"),
                   create_time_us=time_us, **fields)


async def test_users_round_trip(db):
    human = User(id="100000000000000000001", type=UserType.HUMAN, email="alice@example.com", display_name="alice")
    bot = User(id="100000000000000000002", type=UserType.BOT, app_name="helper-bot", display_name="helper-bot")
    async with db.transaction(write=True) as repos:
        await repos.users.add(human, T0)
        await repos.users.add(bot, T0)
    async with db.transaction() as repos:
        assert await repos.users.get(human.id) == human
        assert await repos.users.by_email("alice@example.com") == human
        assert await repos.users.by_app_name("helper-bot") == bot
        assert await repos.users.get("100000000000000000009") is None
        assert await repos.users.by_email("nobody@example.com") is None
        assert await repos.users.get_many({human.id, bot.id, "missing"}) == {human.id: human, bot.id: bot}
        assert await repos.users.get_many(set()) == {}
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.users.add(dataclasses.replace(human, id="100000000000000000003"), T0)


async def test_spaces_round_trip(db):
    space = a_space(threading_state=ThreadingState.THREADED_MESSAGES, history_state=HistoryState.HISTORY_OFF,
                    external_user_allowed=True, request_id="req-1", extras=b"\x01\x02", joined_groups=2)
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(space)
    async with db.transaction() as repos:
        assert await repos.spaces.get(space.id) == space
        assert await repos.spaces.get("AAAAmissing") is None
        assert await repos.spaces.by_request_id(space.creator_id, "req-1") == space
        assert await repos.spaces.by_request_id("100000000000000000002", "req-1") is None
        assert await repos.spaces.other_creator_used_request_id("100000000000000000002", "req-1")
        assert not await repos.spaces.other_creator_used_request_id(space.creator_id, "req-1")
        assert await repos.spaces.display_name_taken("customers/my_customer", space.display_name.upper())
        assert not await repos.spaces.display_name_taken("customers/other", space.display_name)
    async with db.transaction(write=True) as repos:
        await repos.spaces.touch(space.id, T0 + 5)
        await repos.spaces.add_member_counts(space.id, humans=2, groups=-1)
    async with db.transaction() as repos:
        got = await repos.spaces.get(space.id)
    assert (got.last_active_time_us, got.joined_humans, got.joined_groups) == (T0 + 5, 3, 1)


async def test_display_names_unique_per_customer_ignoring_case(db):
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space("AAAAspace01", display_name="Team"))
        await repos.spaces.add(a_space("AAAAspace02", display_name="team", customer="customers/other"))
        # Unnamed spaces (group chats, DMs) are exempt.
        await repos.spaces.add(a_space("AAAAspace03", display_name="", space_type=SpaceType.GROUP_CHAT))
        await repos.spaces.add(a_space("AAAAspace04", display_name="", space_type=SpaceType.GROUP_CHAT))
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.spaces.add(a_space("AAAAspace05", display_name="TEAM"))


async def test_memberships_round_trip_and_pages(db):
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        for n in range(7):
            await repos.memberships.add(Membership(
                space_id="AAAAspace01", member_id=f"10000000000000000000{n}", role=MembershipRole.MEMBER,
                state=MembershipState.INVITED if n == 3 else MembershipState.JOINED, create_time_us=T0 + n))
        await repos.memberships.add(Membership(space_id="AAAAspace01", member_id="eng", role=MembershipRole.MEMBER,
                                               state=MembershipState.JOINED, is_group=True, create_time_us=T0))
    async with db.transaction() as repos:
        one = await repos.memberships.get("AAAAspace01", "100000000000000000002")
        assert one == Membership(space_id="AAAAspace01", member_id="100000000000000000002",
                                 role=MembershipRole.MEMBER, state=MembershipState.JOINED, create_time_us=T0 + 2)
        assert await repos.memberships.get("AAAAspace01", "nobody") is None

        async def all_pages(limit, **kwargs):
            seen, after = [], None
            while True:
                page = await repos.memberships.list("AAAAspace01", after=after, limit=limit, **kwargs)
                assert len(page.items) <= limit
                seen += [m.member_id for m in page.items]
                if page.next_position is None:
                    return seen
                (after,) = page.next_position

        joined = [f"10000000000000000000{n}" for n in range(7) if n != 3]
        assert await all_pages(2, states=(MembershipState.JOINED,), include_groups=False) == joined
        assert await all_pages(3, states=(MembershipState.JOINED,), include_groups=False) == joined
        assert await all_pages(6, states=(MembershipState.JOINED,), include_groups=False) == joined
        everyone = await all_pages(4, states=(MembershipState.JOINED, MembershipState.INVITED), include_groups=True)
        assert everyone == sorted([f"10000000000000000000{n}" for n in range(7)] + ["eng"])
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.memberships.add(Membership(space_id="AAAAspace01", member_id="100000000000000000000",
                                                   role=MembershipRole.MANAGER, state=MembershipState.JOINED))


async def test_memberships_can_leave_out_apps(db):
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        await repos.users.add(User(id="200000000000000000001", type=UserType.BOT, app_name="bot"), T0)
        await repos.users.add(User(id="200000000000000000002", type=UserType.HUMAN, email="h@example.com"), T0)
        for member_id in ("200000000000000000001", "200000000000000000002"):
            await repos.memberships.add(Membership(space_id="AAAAspace01", member_id=member_id,
                                                   role=MembershipRole.MEMBER, state=MembershipState.JOINED))
    async with db.transaction() as repos:
        page = await repos.memberships.list("AAAAspace01", after=None, limit=10, states=(MembershipState.JOINED,),
                                            include_groups=False, include_apps=False)
        assert [m.member_id for m in page.items] == ["200000000000000000002"]
        page = await repos.memberships.list("AAAAspace01", after=None, limit=10, states=(MembershipState.JOINED,),
                                            include_groups=False)
        assert len(page.items) == 2


async def test_messages_round_trip(db):
    message = a_message("AAAAspace01", "m1", T0, text="hello", client_id="client-one", request_id="r1",
                        extras=b"\x08\x01", last_update_time_us=T0 + 1)
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        await repos.threads.add("AAAAspace01", "t1", "app1", "key-1", T0)
        await repos.threads.add("AAAAspace01", "t2", "app1", None, T0)
        await repos.threads.add("AAAAspace01", "t3", "app1", None, T0)  # many threads without a key
        await repos.messages.add(message)
        await repos.messages.add(a_message("AAAAspace01", "m2", T0 + 10))
    async with db.transaction() as repos:
        assert await repos.messages.get("AAAAspace01", "m1") == message
        assert await repos.messages.get("AAAAspace01", "client-one") == message
        assert await repos.messages.get("AAAAspace01", "client-two") is None
        assert await repos.messages.get("AAAAother01", "m1") is None
        assert await repos.messages.by_request_id("AAAAspace01", "r1") == message
        assert await repos.messages.by_request_id("AAAAspace01", "r2") is None
        assert await repos.messages.client_id_taken("AAAAspace01", "client-one")
        assert not await repos.messages.client_id_taken("AAAAspace01", "client-two")
        assert await repos.threads.by_key("AAAAspace01", "app1", "key-1") == "t1"
        assert await repos.threads.by_key("AAAAspace01", "app2", "key-1") is None
        assert await repos.threads.by_key("AAAAspace01", "app1", "key-2") is None
        assert await repos.threads.exists("AAAAspace01", "t2")
        assert not await repos.threads.exists("AAAAspace01", "t9")


async def test_long_thread_keys(db):
    long_key = "k" * 4000
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        await repos.threads.add("AAAAspace01", "t1", "app1", long_key, T0)
        await repos.threads.add("AAAAspace01", "t2", "app1", long_key[:-1] + "j", T0)
    async with db.transaction() as repos:
        assert await repos.threads.by_key("AAAAspace01", "app1", long_key) == "t1"
        assert await repos.threads.by_key("AAAAspace01", "app1", long_key[:-1] + "j") == "t2"
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.threads.add("AAAAspace01", "t3", "app1", long_key, T0)


async def test_message_pages_break_ties_by_id(db):
    # Twelve messages: 3 at T0, 5 all at T0+1 (a tie that straddles page boundaries), 4 later.
    times = [T0] * 3 + [T0 + 1] * 5 + [T0 + 2, T0 + 3, T0 + 3, T0 + 4]
    ids = ["m05", "m01", "m09", "m08", "m02", "m11", "m00", "m04", "m03", "m07", "m06", "m10"]
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        await repos.spaces.add(a_space("AAAAspace02"))
        for message_id, time in zip(ids, times):
            await repos.messages.add(a_message("AAAAspace01", message_id, time))
        await repos.messages.add(a_message("AAAAspace02", "zz", T0 + 1))  # another space's message
        await repos.messages.add(a_message("AAAAspace01", "gone", T0 + 1, delete_time_us=T0 + 9))
    expected = [i for _, i in sorted(zip(times, ids))]

    async def all_pages(limit, descending=False, show_deleted=False):
        seen, after = [], None
        async with db.transaction() as repos:
            while True:
                page = await repos.messages.list("AAAAspace01", after=after, limit=limit, descending=descending,
                                                 show_deleted=show_deleted)
                assert len(page.items) <= limit
                seen += [m.id for m in page.items]
                if page.next_position is None:
                    return seen
                after = page.next_position
                assert after == (page.items[-1].create_time_us, page.items[-1].id)

    for limit in (1, 2, 3, 4, 5, 6, 11, 12, 13):
        assert await all_pages(limit) == expected, limit
        assert await all_pages(limit, descending=True) == expected[::-1], limit
    # Deleted messages only with show_deleted; "gone" sorts first among the T0+1 tie.
    assert await all_pages(4, show_deleted=True) == expected[:3] + ["gone"] + expected[3:]


async def test_list_spaces_for_member_pages(db):
    member = "100000000000000000001"
    async with db.transaction(write=True) as repos:
        for n in range(5):
            await repos.spaces.add(a_space(f"AAAAspace0{n}"))
            await repos.memberships.add(Membership(space_id=f"AAAAspace0{n}", member_id=member,
                                                   role=MembershipRole.MEMBER, state=MembershipState.JOINED))
        await repos.spaces.add(a_space("AAAAnotmine", creator_id="100000000000000000002"))
        # A group chat without messages is not listed yet; one with a message is.
        for sid in ("AAAAgroup01", "AAAAgroup02"):
            await repos.spaces.add(a_space(sid, space_type=SpaceType.GROUP_CHAT, display_name=""))
            await repos.memberships.add(Membership(space_id=sid, member_id=member, role=MembershipRole.MEMBER,
                                                   state=MembershipState.JOINED))
        await repos.messages.add(a_message("AAAAgroup02", "m1", T0))
        await repos.spaces.add(a_space("AAAAinvited", display_name="Invited"))
        await repos.memberships.add(Membership(space_id="AAAAinvited", member_id=member,
                                               role=MembershipRole.MEMBER, state=MembershipState.INVITED))
    seen, after = [], None
    async with db.transaction() as repos:
        while True:
            page = await repos.spaces.list_for_member(member, after=after, limit=2)
            seen += [s.id for s in page.items]
            if page.next_position is None:
                break
            (after,) = page.next_position
    assert seen == sorted([f"AAAAspace0{n}" for n in range(5)] + ["AAAAgroup02"])


async def test_delete_space_removes_its_children(db):
    async with db.transaction(write=True) as repos:
        for sid in ("AAAAspace01", "AAAAspace02"):
            await repos.spaces.add(a_space(sid))
            await repos.memberships.add(Membership(space_id=sid, member_id="100000000000000000001",
                                                   role=MembershipRole.MANAGER, state=MembershipState.JOINED))
            await repos.threads.add(sid, "t1", "app1", "key", T0)
            await repos.messages.add(a_message(sid, "m1", T0, client_id="client-x"))
    async with db.transaction(write=True) as repos:
        await repos.spaces.delete("AAAAspace01")
    async with db.transaction() as repos:
        assert await repos.spaces.get("AAAAspace01") is None
        assert await repos.memberships.get("AAAAspace01", "100000000000000000001") is None
        assert await repos.messages.get("AAAAspace01", "m1") is None
        assert not await repos.threads.exists("AAAAspace01", "t1")
        assert await repos.spaces.get("AAAAspace02") is not None
        assert await repos.messages.get("AAAAspace02", "client-x") is not None
        assert await repos.threads.by_key("AAAAspace02", "app1", "key") == "t1"


async def test_rollback_on_exception_leaves_nothing(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.transaction(write=True) as repos:
            await repos.users.add(User(id="100000000000000000001", type=UserType.HUMAN, email="a@example.com"), T0)
            await repos.spaces.add(a_space())
            await repos.messages.add(a_message("AAAAspace01", "m1", T0))
            assert await repos.spaces.get("AAAAspace01") is not None  # visible inside the transaction
            raise Boom()
    async with db.transaction() as repos:
        assert await repos.users.get("100000000000000000001") is None
        assert await repos.spaces.get("AAAAspace01") is None
        assert await repos.messages.get("AAAAspace01", "m1") is None
    # A conflict rolls back the whole unit of work too, not just the failing statement.
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.users.add(User(id="100000000000000000001", type=UserType.HUMAN, email="a@example.com"), T0)
            await repos.spaces.add(a_space())
    async with db.transaction() as repos:
        assert await repos.users.get("100000000000000000001") is None


async def test_client_id_unique_per_space(db):
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space("AAAAspace01"))
        await repos.spaces.add(a_space("AAAAspace02"))
        await repos.messages.add(a_message("AAAAspace01", "m1", T0, client_id="client-dup"))
        await repos.messages.add(a_message("AAAAspace02", "m1", T0, client_id="client-dup"))  # other space: fine
        await repos.messages.add(a_message("AAAAspace01", "m2", T0))  # no client id: any number of them
        await repos.messages.add(a_message("AAAAspace01", "m3", T0))
    with pytest.raises(Conflict) as caught:
        async with db.transaction(write=True) as repos:
            await repos.messages.add(a_message("AAAAspace01", "m4", T0 + 1, client_id="client-dup"))
    assert "client_id" in caught.value.constraint
    async with db.transaction() as repos:
        assert await repos.messages.get("AAAAspace01", "m4") is None


async def test_request_id_unique_per_space(db):
    async with db.transaction(write=True) as repos:
        await repos.spaces.add(a_space())
        await repos.messages.add(a_message("AAAAspace01", "m1", T0, request_id="r1"))
    with pytest.raises(Conflict):
        async with db.transaction(write=True) as repos:
            await repos.messages.add(a_message("AAAAspace01", "m2", T0, request_id="r1",
                                               sender="100000000000000000002"))


async def test_settings_put_if_absent(db):
    async with db.transaction(write=True) as repos:
        assert await repos.settings.get("k") is None
        assert await repos.settings.put_if_absent("k", b"first") == b"first"
        assert await repos.settings.put_if_absent("k", b"second") == b"first"
    async with db.transaction() as repos:
        assert await repos.settings.get("k") == b"first"
