"""SearchSpaces over gRPC: the documented query grammar and orderings, with and without admin access."""
import grpc
import pytest
from google.chat.v1 import history_state_pb2, space_pb2
from sqlalchemy import update as sql_update

from chatsvc.storage.tables import spaces
from tests.api.spaces_support import GROUP_CHAT, add_member, admin, member, set_up, space_id, user
from tests.api.test_pagination import StatementCounter
from tests.helpers import failure, field_of, new_space

ORG = 'customer = "customers/my_customer" AND space_type = "SPACE"'


def search(server, md, query, admin_access=False, **request):
    return server.chat.SearchSpaces(space_pb2.SearchSpacesRequest(query=query, use_admin_access=admin_access,
                                                                  **request), metadata=md)


async def names(server, md, query, admin_access=True, **request) -> list[str]:
    response = await search(server, md, query, admin_access, page_size=1000, **request)
    return [r.space.display_name for r in response.results]


async def set_times(server, name, *, created=None, active=None):
    values = {k: v for k, v in (("create_time_us", created), ("last_active_time_us", active)) if v is not None}
    async with server.running.db.engine.begin() as conn:
        await conn.execute(sql_update(spaces).where(spaces.c.id == space_id(name)).values(**values))


YEAR_2019, YEAR_2021, YEAR_2023 = 1_546_300_800_000_000, 1_609_459_200_000_000, 1_672_531_200_000_000


@pytest.fixture
async def org(server):
    """Spaces of several people; Alice is a member of some."""
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    made = {}
    for md, name in ((alice, "Fun event"), (bob, "The evening was fun"), (bob, "notFun event"), (alice, "even"),
                     (bob, "Quarterly planning"), (alice, "Fun-Fair 2024")):
        made[name] = await new_space(server, md, name)
    await add_member(server, bob, made["The evening was fun"].name, "alice@example.com")
    await set_times(server, made["Fun event"].name, created=YEAR_2019, active=YEAR_2023)
    await set_times(server, made["The evening was fun"].name, created=YEAR_2021, active=YEAR_2021)
    await set_times(server, made["notFun event"].name, created=YEAR_2023, active=YEAR_2019)
    return made


async def test_display_name_words_are_prefix_matched(server, org):
    boss = admin(server)
    assert sorted(await names(server, boss, ORG + ' AND display_name:"Fun Eve"')) == ["Fun event",
                                                                                    "The evening was fun"]
    assert sorted(await names(server, boss, ORG + " AND displayName:fun")) == [
        "Fun event", "Fun-Fair 2024", "The evening was fun"]
    assert sorted(await names(server, boss, ORG + ' AND (display_name:"quarter" OR display_name:"2024")')) == [
        "Fun-Fair 2024", "Quarterly planning"]
    assert len(await names(server, boss, ORG)) == 6


async def test_times_and_other_fields(server, org):
    boss = admin(server)
    interval = ' AND (create_time > "2020-01-01T00:00:00Z" AND create_time < "2022-01-01T00:00:00+00:00")'
    assert await names(server, boss, ORG + interval) == ["The evening was fun"]
    # An interval written without parentheses at the top of the query.
    assert await names(server, boss, ORG + ' AND create_time >= "2020-01-01T00:00:00Z" AND create_time <= '
                                            '"2022-01-01T00:00:00Z"') == ["The evening was fun"]
    either = ' AND (last_active_time < "2020-01-01T00:00:00Z" OR last_active_time = "2023-01-01T00:00:00Z")'
    assert sorted(await names(server, boss, ORG + either)) == ["Fun event", "notFun event"]
    assert len(await names(server, boss, ORG + ' AND external_user_allowed = "false"')) == 6
    assert await names(server, boss, ORG + ' AND external_user_allowed = "true"') == []
    history = ' AND (space_history_state = "HISTORY_ON" OR space_history_state = "HISTORY_OFF")'
    assert len(await names(server, boss, ORG + history)) == 6
    await server.chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
        space=space_pb2.Space(name=org["even"].name, space_history_state=history_state_pb2.HISTORY_OFF),
        update_mask={"paths": ["space_history_state"]}), metadata=user(server, "alice@example.com"))
    assert await names(server, boss, ORG + ' AND space_history_state = "HISTORY_OFF"') == ["even"]


async def test_admin_orders_and_pages_with_a_total(server, org):
    boss = admin(server)
    created = await names(server, boss, ORG + ' AND display_name:"event"', order_by="create_time ASC")
    assert created == ["Fun event", "notFun event"]
    assert await names(server, boss, ORG + ' AND display_name:"event"', order_by="create_time DESC") == created[::-1]
    assert await names(server, boss, ORG, order_by="lastActiveTime desc") == [
        "Fun-Fair 2024", "Quarterly planning", "even", "Fun event", "The evening was fun", "notFun event"]
    active = await names(server, boss, ORG + ' AND display_name:"fun"', order_by="last_active_time ASC")
    assert active == ["The evening was fun", "Fun event", "Fun-Fair 2024"]
    members = await names(server, boss, ORG, order_by="membership_count.joined_direct_human_user_count DESC")
    assert members[0] == "The evening was fun"  # two people

    seen, token = [], ""
    while True:
        page = await search(server, boss, ORG, True, page_size=4, page_token=token, order_by="create_time ASC")
        assert page.total_size == 6
        assert [s.name for s in page.spaces] == [r.space.name for r in page.results]
        seen += [s.name for s in page.spaces]
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == 6
    # The token is bound to the query and the order.
    first = await search(server, boss, ORG, True, page_size=2)
    for changed in (dict(query=ORG + ' AND display_name:"fun"'), dict(order_by="create_time DESC")):
        request = dict(query=ORG, page_token=first.next_page_token) | changed
        details = await failure(search(server, boss, request.pop("query"), True, **request),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"]


async def test_without_admin_access_only_joined_spaces(server, org):
    alice, eve = user(server, "alice@example.com"), user(server, "eve@example.com")
    query = 'display_name:"fun" AND space_type = "SPACE"'
    response = await search(server, alice, query)
    assert sorted(r.space.display_name for r in response.results) == [
        "Fun event", "Fun-Fair 2024", "The evening was fun"]
    assert list(response.spaces) == [] and response.next_page_token == "" and response.total_size == 0
    assert [r.space.display_name for r in (await search(server, alice, query, order_by="relevance DESC")).results][0] \
        == "Fun-Fair 2024"  # newest first
    assert (await search(server, eve, query)).results == []
    # Without display_name, Google answers nothing.
    assert (await search(server, alice, 'space_type = "SPACE" AND external_user_allowed = "false"')).results == []
    page = await search(server, alice, query, page_size=1)
    assert len(page.results) == 1 and page.next_page_token == ""


@pytest.mark.parametrize("query", [
    "",
    'display_name:"x"',  # no space_type
    'space_type = "GROUP_CHAT" AND display_name:"x"',
    'space_type = "SPACE_TYPE_UNSPECIFIED"',
    'space_type = "SPACE" OR display_name:"Hello"',
    'space_type = "SPACE" AND (space_type = "SPACE" OR space_type = "SPACE")',
    'space_type = "SPACE" AND display_name:"a" AND display_name:"b"',
    'space_type = "SPACE" AND display_name = "Hello"',
    'space_type = "SPACE" AND NOT display_name:"a"',
    'space_type = "SPACE" AND customer = "customers/my_customer"',  # admin only
    'space_type = "SPACE" AND create_time > "2020-01-01T00:00:00Z"',  # admin only
    'space_type = "SPACE" AND creator:"x"',
    'space_type = "SPACE" AND display_name:"' + "a" * 1000 + '"',
    'space_type = "SPACE" AND external_user_allowed = "maybe"',
    'space_type = "SPACE" AND display_name:"!!"',
    'space_type = "SPACE" AND (display_name:"a"',
])
async def test_invalid_queries_without_admin_access(server, query):
    details = await failure(search(server, user(server, "alice@example.com"), query),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["query"]


@pytest.mark.parametrize("query", [
    'space_type = "SPACE"',  # no customer
    'customer = "customers/other" AND space_type = "SPACE"',
    ORG + ' AND create_time > "yesterday"',
    ORG + ' AND create_time : "2020-01-01T00:00:00Z"',
    ORG + ' AND (create_time > "2020-01-01T00:00:00Z" AND create_time > "2021-01-01T00:00:00Z")',
    ORG + ' AND create_time > "2020-01-01T00:00:00Z" AND (create_time < "2021-01-01T00:00:00Z" OR '
          'create_time > "2022-01-01T00:00:00Z")',
    ORG + ' AND space_history_state = "HISTORY_MAYBE"',
    ORG + ' AND (space_history_state = "HISTORY_ON" AND space_history_state = "HISTORY_OFF")',
    ORG + ' AND (display_name:"a" OR external_user_allowed = "true")',
])
async def test_invalid_admin_queries(server, query):
    details = await failure(search(server, admin(server), query, True), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["query"]


async def test_order_by_errors(server):
    alice, boss = user(server, "alice@example.com"), admin(server)
    query = 'display_name:"x" AND space_type = "SPACE"'
    for order in ("create_time ASC", "create_time", "last_active_time DESC", "relevance ASC", "name DESC"):
        details = await failure(search(server, alice, query, order_by=order), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["order_by"], order
    for order in ("relevance DESC", "create_time SIDEWAYS", "create_time ASC, last_active_time DESC", "space_type"):
        details = await failure(search(server, boss, ORG, True, order_by=order), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["order_by"], order
    for bad in (dict(page_size=-1), dict(page_token="forged")):
        details = await failure(search(server, boss, ORG, True, **bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == list(bad)


async def test_search_leaves_out_other_kinds_and_other_customers(server):
    alice = user(server, "alice@example.com")
    await new_space(server, alice, "Visible")
    await set_up(server, alice, GROUP_CHAT, member("users/b@example.com"), member("users/c@example.com"))
    bot = server.md(app="helper-bot", scopes=["chat.app.spaces"])
    await new_space(server, bot, "Elsewhere", customer="customers/C0ther")
    assert await names(server, admin(server), ORG) == ["Visible"]


async def test_search_costs_a_bounded_number_of_statements(server):
    alice, boss = user(server, "alice@example.com"), admin(server)
    for i in range(30):
        await new_space(server, alice, f"Count {i}")
    await search(server, boss, ORG, True, page_size=1)
    counts = {}
    for size in (5, 30):
        with StatementCounter(server) as counter:
            page = await search(server, boss, ORG, True, page_size=size)
        assert len(page.results) == size
        counts[size] = len(counter.statements)
    assert counts[5] == counts[30] <= 5, counts


async def test_underscores_and_digits_are_word_characters(server):
    alice, boss = user(server, "alice@example.com"), admin(server)
    await new_space(server, alice, "snake_case 42")
    await new_space(server, alice, "snakeXcase")
    assert await names(server, boss, ORG + ' AND display_name:"snake_c"') == ["snake_case 42"]
    assert await names(server, boss, ORG + ' AND display_name:"case"') == []
    assert await names(server, boss, ORG + ' AND display_name:"4"') == ["snake_case 42"]
    # `%` separates words in a query, as any punctuation does; it is no wildcard.
    assert await names(server, boss, ORG + ' AND display_name:"snake%42"') == ["snake_case 42"]
    assert await names(server, boss, ORG + ' AND display_name:"snake%case"') == []
