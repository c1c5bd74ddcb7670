"""AIP-158 pagination over gRPC: complete and ordered keyset pages, page-size rules, tokens bound to the
request and the caller, and a bounded number of SQL statements per page (no N+1)."""
import base64

import grpc
from google.chat.v1 import membership_pb2, message_pb2, space_pb2, user_pb2
from sqlalchemy import event, insert

from chatsvc.aip import ids
from chatsvc.domain.models import MembershipRole, MembershipState, SpaceType, UserType
from chatsvc.storage.tables import memberships, messages, spaces, threads, users
from tests import helpers
from tests.helpers import failure, field_of, statement_of_a_call, user


async def new_space(server, md, display_name="Paging"):
    return await helpers.new_space(server, md, display_name)


def list_messages(server, md, space, **request):
    return server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name, **request), metadata=md)


async def seed(server, space_name: str, *, senders: int = 0, messages_per_sender: int = 1,
               extra_spaces_for: str = "", extra_spaces: int = 0) -> list[str]:
    """Writes rows straight into the store, much faster than through the API: `senders` new human members of
    the space, each with `messages_per_sender` messages (one thread each), and `extra_spaces` more spaces
    joined by the user with id `extra_spaces_for`. Returns the new members' user ids."""
    space_id = space_name.split("/")[1]
    user_rows, member_rows, thread_rows, message_rows, space_rows = [], [], [], [], []
    base = 1_700_000_000_000_000
    for n in range(senders):
        uid = ids.user_id()
        user_rows.append(dict(id=uid, type=int(UserType.HUMAN), email=f"seeded{n}.{uid}@example.com",
                              display_name=f"seeded{n}", create_time_us=base))
        member_rows.append(dict(space_id=space_id, member_id=uid, is_group=False, role=int(MembershipRole.MEMBER),
                                state=int(MembershipState.JOINED), create_time_us=base))
        for k in range(messages_per_sender):
            thread_id, time = ids.opaque_id(), base + n * messages_per_sender + k
            thread_rows.append(dict(space_id=space_id, id=thread_id, app_id="seed", thread_key=None,
                                    create_time_us=time))
            message_rows.append(dict(space_id=space_id, id=ids.opaque_id(22), sender_id=uid, thread_id=thread_id,
                                     create_time_us=time, last_update_time_us=0, delete_time_us=0,
                                     text=f"seeded {n}/{k}", extras=b""))
    for n in range(extra_spaces):
        sid = ids.space_id()
        space_rows.append(dict(id=sid, space_type=int(SpaceType.SPACE), display_name=f"Seeded {n}",
                               description="", guidelines="", threading_state=2, history_state=2,
                               external_user_allowed=False, import_mode=False, single_user_bot_dm=False,
                               customer="customers/my_customer", create_time_us=base, last_active_time_us=base,
                               joined_humans=1, joined_groups=0, creator_id=extra_spaces_for, request_id="",
                               extras=b"", display_name_key=f"seeded {n}"))
        member_rows.append(dict(space_id=sid, member_id=extra_spaces_for, is_group=False,
                                role=int(MembershipRole.MANAGER), state=int(MembershipState.JOINED),
                                create_time_us=base))
    async with server.running.db.engine.begin() as conn:
        for table, rows in ((users, user_rows), (spaces, space_rows), (memberships, member_rows),
                            (threads, thread_rows), (messages, message_rows)):
            if rows:
                await conn.execute(insert(table), rows)
    return [row["id"] for row in user_rows]


async def test_page_through_250_messages(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    posted = []
    for i in range(250):
        posted.append((await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text=f"message {i}")), metadata=alice)).name)

    for order_by, expected in (("", posted), ("create_time desc", posted[::-1])):
        seen, token, sizes = [], "", []
        while True:
            page = await list_messages(server, alice, space, page_size=40, page_token=token, order_by=order_by)
            sizes.append(len(page.messages))
            seen += [m.name for m in page.messages]
            token = page.next_page_token
            if not token:
                break
        assert sizes == [40] * 6 + [10]
        assert seen == expected


async def test_exact_multiple_of_page_size_ends_without_a_token(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=4, messages_per_sender=5)
    first = await list_messages(server, alice, space, page_size=10)
    second = await list_messages(server, alice, space, page_size=10, page_token=first.next_page_token)
    assert len(first.messages) == len(second.messages) == 10
    assert second.next_page_token == ""
    assert not {m.name for m in first.messages} & {m.name for m in second.messages}


async def test_page_size_may_change_between_pages(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=1, messages_per_sender=30)
    everything = [m.name for m in (await list_messages(server, alice, space, page_size=100)).messages]
    first = await list_messages(server, alice, space, page_size=5)
    rest = await list_messages(server, alice, space, page_size=50, page_token=first.next_page_token)
    assert [m.name for m in [*first.messages, *rest.messages]] == everything
    assert rest.next_page_token == ""


async def test_token_with_changed_parameters_is_invalid(server):
    alice = user(server, "alice@example.com")
    space, other = await new_space(server, alice), await new_space(server, alice, "Other")
    await seed(server, space.name, senders=1, messages_per_sender=5)
    token = (await list_messages(server, alice, space, page_size=2)).next_page_token
    assert token
    for changed in (dict(order_by="create_time desc"), dict(show_deleted=True)):
        details = await failure(list_messages(server, alice, space, page_token=token, **changed),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"], changed
        assert details["ErrorInfo"].reason
    details = await failure(list_messages(server, alice, other, page_token=token), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    # A ListMessages token means nothing to another list method.
    details = await failure(server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_token=token), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    details = await failure(server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_token=token), metadata=alice),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


async def test_tampered_and_made_up_tokens_are_invalid(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=1, messages_per_sender=5)
    token = (await list_messages(server, alice, space, page_size=2)).next_page_token
    body, _, signature = token.partition(".")
    forged_body = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).replace(b"[[", b"[[1,")).rstrip(b"=").decode()
    for bad in (_flip(token, 3), _flip(token, len(token) - 2), token[:-4], token + "x", forged_body + "." + signature,
                body, "not a token", "....", base64.urlsafe_b64encode(b"[0]").decode(), "\u00e9t\u00e9"):
        details = await failure(list_messages(server, alice, space, page_token=bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"], bad


async def test_token_of_another_caller_is_invalid(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/bob@example.com"))),
        metadata=alice)
    await seed(server, space.name, senders=1, messages_per_sender=5)
    token = (await list_messages(server, alice, space, page_size=2)).next_page_token
    details = await failure(list_messages(server, bob, space, page_token=token), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    # Bob's own token works for him.
    own = (await list_messages(server, bob, space, page_size=2)).next_page_token
    assert len((await list_messages(server, bob, space, page_token=own)).messages) == 3


async def test_message_page_sizes(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=1, messages_per_sender=1005)
    default = await list_messages(server, alice, space)
    assert len(default.messages) == 25 and default.next_page_token
    capped = await list_messages(server, alice, space, page_size=5000)
    assert len(capped.messages) == 1000 and capped.next_page_token
    tail = await list_messages(server, alice, space, page_size=2**31 - 1, page_token=capped.next_page_token)
    assert len(tail.messages) == 5 and tail.next_page_token == ""
    details = await failure(list_messages(server, alice, space, page_size=-1), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]


async def test_space_and_membership_page_sizes(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=101)
    default = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name),
                                                metadata=alice)
    assert len(default.memberships) == 100 and default.next_page_token
    capped = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
        parent=space.name, page_size=1001), metadata=alice)
    assert len(capped.memberships) == 102 and capped.next_page_token == ""

    member = membership_pb2.Membership
    alice_id = next(m.member.name for m in capped.memberships if m.role == member.MembershipRole.ROLE_MANAGER)
    await seed(server, space.name, extra_spaces_for=alice_id.split("/")[1], extra_spaces=100)
    default = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=alice)
    assert len(default.spaces) == 100 and default.next_page_token
    rest = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_token=default.next_page_token),
                                        metadata=alice)
    assert len(rest.spaces) == 1 and rest.next_page_token == ""
    capped = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(page_size=5000), metadata=alice)
    assert len(capped.spaces) == 101 and capped.next_page_token == ""


class StatementCounter:
    """Counts the SQL statements the server sends while the block runs."""

    def __init__(self, server):
        self._engine = server.running.db.engine.sync_engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        if statement_of_a_call():
            self.statements.append(statement)

    def __enter__(self):
        event.listen(self._engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self._engine, "before_cursor_execute", self._count)


async def test_listing_messages_is_not_n_plus_one(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=120)  # every message from a different sender
    await list_messages(server, alice, space, page_size=1)  # warm the caller lookup

    counts = {}
    for size in (10, 100):
        with StatementCounter(server) as counter:
            page = await list_messages(server, alice, space, page_size=size)
        assert len(page.messages) == size
        assert len({m.sender.name for m in page.messages}) == size
        assert all(m.sender.name.startswith("users/") for m in page.messages)
        counts[size] = len(counter.statements)
    assert counts[10] == counts[100], counts
    assert counts[100] <= 6, counts  # membership check, page, senders, and transaction control


async def test_listing_memberships_is_not_n_plus_one(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    await seed(server, space.name, senders=120)
    await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(parent=space.name, page_size=1),
                                      metadata=alice)
    counts = {}
    for size in (10, 100):
        with StatementCounter(server) as counter:
            page = await server.chat.ListMemberships(membership_pb2.ListMembershipsRequest(
                parent=space.name, page_size=size), metadata=alice)
        assert len(page.memberships) == size
        assert all(m.member.name.startswith("users/") for m in page.memberships)
        counts[size] = len(counter.statements)
    assert counts[10] == counts[100] <= 6, counts
