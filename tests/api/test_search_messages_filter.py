"""The SearchMessages query: Google's documented examples and rules (parsed, then over gRPC), what each field
matches, the scopes some of them need, and search words full of FTS and SQL syntax."""
import uuid

import grpc
import pytest
from google.chat.v1 import attachment_pb2, message_pb2
from sqlalchemy import func, select
from sqlalchemy import update as sql_update

from chatsvc.aip.filters import And, Call, Comparison, Or, Text, parse
from chatsvc.aip.names import MemberRef
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.message_search_query import SearchQuery
from chatsvc.domain.message_search_query import parse as parse_query
from chatsvc.domain.models import SpaceType
from chatsvc.storage.tables import messages
from tests.api.spaces_support import DM, GROUP_CHAT, member, set_up
from tests.api.test_search_messages import add_member, caller, found, mark_read, new_space, post, search
from tests.helpers import failure, field_of

T2022, T2023 = 1_640_995_200_000_000, 1_672_531_200_000_000

# Every query the documentation shows as valid.
DOCUMENTED = [
    '"Pending reports" AND create_time >= "2023-01-01T00:00:00Z"',
    'sender.name = "users/example@gmail.com"',
    'annotations.user_mentions.user.name:"users/0987654321"',
    'attachment:* AND space.name = "spaces/ABCDEFGH"',
    'tasks AND is_unread() AND sender.name = "users/1234567890"',
    '"things to do" "urgent"',
    '(sender.name = "users/1234567890")\nAND (create_time < "2023-05-01T00:00:00Z")',
    'tasks AND space.name = "spaces/ABCDEFGH" AND has_link()',
    '"project one" is_unread()',
    "space.display_name:Project tasks",
    'sender.name = "users/1234567890" AND is_unread()',
    'sender.name = "users/1234567890" is_unread()',
    'create_time >= "2022-01-01T00:00:00+00:00" AND create_time < "2023-01-01T00:00:00+00:00"',
    'sender.name = "users/1234567890" OR sender.name = "users/0987654321"',
    'space.name = "spaces/ABCDEFGH" OR space.name = "spaces/QWERTYUI"',
    "space.display_name:Project AND space.display_name:Tasks",
    "space.display_name:Project OR space.display_name:Tasks",
    'space.space_type = "DIRECT_MESSAGE" OR space.space_type = "GROUP_CHAT"',
    'space.space_type="DIRECT_MESSAGE"',
    'annotations.user_mentions.user.name:"users/1234567890" AND annotations.user_mentions.user.name:"users/0987654321"',
    'annotations.user_mentions.user.name:"users/1234567890" OR annotations.user_mentions.user.name:"users/0987654321"',
    "annotations.user_mentions.user.name:users/me",
    '(sender.name="users/me" OR sender.name="users/123456") AND is_unread()',
]

INVALID = [
    'sender.name = "users/1234567890" OR is_unread()',  # the documentation's own invalid example
    "", "   ", "x" * 1001,
    # create_time: >= and <, quoted, an interval joined by AND
    'create_time > "2023-01-01T00:00:00Z"', 'create_time <= "2023-01-01T00:00:00Z"',
    'create_time = "2023-01-01T00:00:00Z"', 'create_time >= "2023-01-01"', 'create_time < "yesterday"',
    'create_time >= "2022-01-01T00:00:00Z" OR create_time < "2023-01-01T00:00:00Z"',
    'create_time >= "2022-01-01T00:00:00Z" AND create_time >= "2023-01-01T00:00:00Z"',
    # sender.name and space.name: = and OR only
    'sender.name != "users/1"', 'sender.name:"users/1"', 'sender.name = "bob"',
    'sender.name = "users/1" AND sender.name = "users/2"', 'sender.name = "users/1" sender.name = "users/2"',
    'space.name = "spaces/A" AND space.name = "spaces/B"', 'space.name = "AAAA"', 'space.name:"spaces/A"',
    # space.display_name: `:`, AND or OR but not both, a word to match
    'space.display_name = "Project"', 'space.display_name:"!!"',
    "space.display_name:A AND (space.display_name:B OR space.display_name:C)",
    "(space.display_name:A AND space.display_name:B) OR space.display_name:C",
    # space.space_type: =, OR, the three types
    'space.space_type = "ROOM"', 'space.space_type = "SPACE_TYPE_UNSPECIFIED"', 'space.space_type:"SPACE"',
    'space.space_type = "SPACE" AND space.space_type = "GROUP_CHAT"',
    # attachment: `:*` only, once
    'attachment:"*"', 'attachment = "*"', "attachment:pdf", "attachment:* attachment:*",
    # mentions: `:`, AND or OR but not both
    'annotations.user_mentions.user.name = "users/1"', "annotations.user_mentions.user.name:me",
    'annotations.user_mentions.user.name:users/1 AND (annotations.user_mentions.user.name:users/2 OR '
    'annotations.user_mentions.user.name:users/3)',
    # functions
    'has_link("x")', "is_read()", "is_unread() OR is_unread()", "is_unread() is_unread()",
    # other fields, negation, AND/OR mixes, syntax
    'text:"hello"', 'thread.name = "spaces/A/threads/B"', "NOT tasks", "- tasks", "tasks -urgent", "NOT is_unread()",
    'tasks OR sender.name = "users/1"', "tasks OR urgent later", "(tasks AND urgent) OR later",
    "tasks (", "tasks)", '"open', "AND tasks", "tasks OR", "wow!", "a = = b", "(", "()",
]


# --- the grammar, parsed ----------------------------------------------------------------------------------

def test_search_mode_of_the_shared_parser():
    assert parse('"things to do" "urgent"', search=True) == And((Text("things to do", True), Text("urgent", True)))
    assert parse("space.display_name:Project tasks", search=True) == And((
        Comparison("space.display_name", ":", "Project"), Text("tasks")))
    assert parse("tasks (a OR b) has_link()", search=True) == And((
        Text("tasks"), Or((Text("a"), Text("b"))), Call("has_link", ())))
    assert parse("attachment:*", search=True) == Comparison("attachment", ":", "*")
    # Outside search mode free text stays an error.
    for query in ('"urgent"', "tasks", "a = 1 b = 2"):
        with pytest.raises(InvalidArgument):
            parse(query)


@pytest.mark.parametrize("query", DOCUMENTED)
def test_documented_queries_parse(query):
    parse_query(query)


def test_what_queries_mean():
    assert parse_query(DOCUMENTED[0]) == SearchQuery(keywords=("Pending reports",), created_from_us=T2023)
    assert parse_query(DOCUMENTED[5]) == SearchQuery(keywords=("things to do", "urgent"))
    assert parse_query("tasks OR urgent") == SearchQuery(keywords=("tasks", "urgent"), keywords_any=True)
    assert parse_query(DOCUMENTED[12]) == SearchQuery(created_from_us=T2022, created_before_us=T2023)
    assert parse_query(DOCUMENTED[13]) == SearchQuery(senders=(MemberRef("1234567890"), MemberRef("0987654321")))
    assert parse_query(DOCUMENTED[17]) == SearchQuery(space_types=frozenset({SpaceType.DIRECT_MESSAGE,
                                                                             SpaceType.GROUP_CHAT}))
    assert parse_query('space.display_name:"Big Project" OR space.display_name:Tasks') == SearchQuery(
        display_names=(("big", "project"), ("tasks",)), display_names_any=True)
    assert parse_query(DOCUMENTED[3]) == SearchQuery(has_attachment=True, space_ids=("ABCDEFGH",))
    assert parse_query(DOCUMENTED[22]) == SearchQuery(senders=(MemberRef("me"), MemberRef("123456")), unread=True)
    assert parse_query("space.displayName:x createTime >= \"2023-01-01T00:00:00Z\"") == SearchQuery(
        display_names=(("x",),), created_from_us=T2023)


@pytest.mark.parametrize("query", INVALID)
def test_invalid_queries_name_the_filter(query):
    with pytest.raises(InvalidArgument) as caught:
        parse_query(query)
    assert [v.field for v in caught.value.violations] == ["filter"]


# --- over gRPC --------------------------------------------------------------------------------------------

def everything(server, email="alice@example.com"):
    """A caller whose token holds every scope a query may need."""
    return caller(server, email, "chat.users.readstate.readonly")


async def test_documented_queries_are_accepted_and_invalid_ones_refused(server):
    md = everything(server)
    for query in DOCUMENTED:
        await search(server, md, query)
    for query in INVALID:
        details = await failure(search(server, md, query), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], query


async def test_scopes_some_conditions_need(server):
    bare = server.md(user="alice@example.com", scopes=("chat.messages.readonly",))
    for query in ("space.display_name:Project", 'space.space_type = "SPACE"', "is_unread()"):
        details = await failure(search(server, bare, query), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", query
    spaces_too = server.md(user="alice@example.com", scopes=("chat.messages.readonly", "chat.spaces.readonly"))
    await search(server, spaces_too, 'space.display_name:Project space.space_type = "SPACE"')
    read_state = server.md(user="alice@example.com", scopes=("chat.messages", "chat.users.readstate"))
    await search(server, read_state, "is_unread()")
    await search(server, bare, 'tasks sender.name = "users/me" has_link() attachment:*')


async def test_free_text(server):
    md = everything(server)
    space = await new_space(server, md)
    for text in ("things to do today, urgent", "to do: things", "URGENT tasks", "Un café à Zürich",
                 "mail bob_smith@example.com or see example.com/page", "don't panic", "task"):
        await post(server, md, space, text)
    assert await found(server, md, '"things to do"') == ["things to do today, urgent"]
    assert await found(server, md, '"things to do" "urgent"') == ["things to do today, urgent"]
    assert await found(server, md, "things do") == ["to do: things", "things to do today, urgent"]
    assert await found(server, md, "urgent OR panic") == ["don't panic", "URGENT tasks",
                                                          "things to do today, urgent"]
    assert await found(server, md, "tasks") == ["URGENT tasks"]  # whole words: "task" is another word
    assert await found(server, md, "CAFE zurich") == ["Un café à Zürich"]  # case and accents ignored
    assert await found(server, md, "example") == ["mail bob_smith@example.com or see example.com/page"]
    assert await found(server, md, '"example.com/page"') == ["mail bob_smith@example.com or see example.com/page"]
    assert await found(server, md, "smith") == ["mail bob_smith@example.com or see example.com/page"]
    assert await found(server, md, "don't") == ["don't panic"]
    # Free text without a letter or digit matches nothing; ORed with other words it is left out.
    assert await found(server, md, '"***"') == []
    assert await found(server, md, '"***" OR tasks') == ["URGENT tasks"]
    assert await found(server, md, '"***" tasks') == []


async def test_search_words_are_data_not_syntax(server):
    """FTS5 and tsquery operators and SQL punctuation in search words are searched for as text (they reach the
    database as bound parameters), never run."""
    md = everything(server)
    space = await new_space(server, md)
    texts = ['He said "NEAR" twice', "a*b and c-d", "x OR y", "100% of_it",
             "semi;colon 'quoted' '; DROP TABLE messages; --", "caret ^start", "col:value", "back\\slash"]
    for text in texts:
        await post(server, md, space, text)
    cases = {
        '"\\"NEAR\\""': ['He said "NEAR" twice'], "NEAR": ['He said "NEAR" twice'],
        '"NEAR(said twice)"': [], '"said NEAR twice"': ['He said "NEAR" twice'], "has_link": [],
        '"a*b"': ["a*b and c-d"], '"a*"': ["a*b and c-d"], '"*"': [], "a*": ["a*b and c-d"],
        '"c-d"': ["a*b and c-d"], '"-d"': ["a*b and c-d"],
        '"x OR y"': ["x OR y"], '"OR"': ["x OR y"], '"AND"': ["a*b and c-d"], '"NOT y"': [],
        '"100%"': ["100% of_it"], '"%"': [], '"_"': [], '"of_it"': ["100% of_it"],
        "\"'; DROP TABLE messages; --\"": ["semi;colon 'quoted' '; DROP TABLE messages; --"],
        '"\'quoted\'"': ["semi;colon 'quoted' '; DROP TABLE messages; --"],
        '"^start"': ["caret ^start"], '"col:value"': ["col:value"], '"value:col"': [],
        '"back\\\\slash"': ["back\\slash"], '"\' OR 1=1 --"': [], '"1=1"': [],
        '"\\" OR \\"1\\"=\\"1"': [], '"{col}: x"': [], '"(x OR y)"': ["x OR y"],
    }
    for query, expected in cases.items():
        assert await found(server, md, query) == expected, query
        assert await found(server, md, query, order_by="relevance desc") == expected, query
    async with server.running.db.engine.connect() as conn:  # nothing was dropped or changed
        assert await conn.scalar(select(func.count()).select_from(messages)) == len(texts)


async def set_create_time(server, message, micros):
    space_id, message_id = message.name.split("/")[1], message.name.split("/")[3]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(sql_update(messages).where(messages.c.space_id == space_id, messages.c.id == message_id)
                           .values(create_time_us=micros))


async def test_create_time_interval(server):
    md = everything(server)
    space = await new_space(server, md)
    for text, micros in (("old report", T2022 - 1), ("edge report", T2022), ("new report", T2023)):
        await set_create_time(server, await post(server, md, space, text), micros)
    assert await found(server, md, 'report create_time >= "2022-01-01T00:00:00Z"') == ["new report", "edge report"]
    assert await found(server, md, 'create_time < "2022-01-01T00:00:00+00:00"') == ["old report"]
    assert await found(server, md, 'create_time >= "2021-12-31T19:00:00-05:00" AND create_time < '
                                   '"2023-01-01T00:00:00Z"') == ["edge report"]


async def test_senders_spaces_and_space_types(server):
    alice, bob = everything(server), everything(server, "bob@example.com")
    team = await new_space(server, alice, "Project Apollo")
    await add_member(server, alice, team, "users/bob@example.com")
    side = await new_space(server, alice, "Side tasks")
    dm = await set_up(server, alice, DM, member("users/bob@example.com"))
    group = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    from_bob = await post(server, bob, team, "news from bob")
    await post(server, alice, team, "news from alice")
    await post(server, alice, side, "news on the side")
    await post(server, alice, dm, "news in the DM")
    await post(server, alice, group, "news in the group")
    bob_name = from_bob.sender.name
    for query in (f'sender.name = "{bob_name}"', 'sender.name = "users/BOB@example.com"',
                  'sender.name = "users/nobody@example.com" OR sender.name = "users/bob@example.com"'):
        assert await found(server, alice, query) == ["news from bob"], query
    assert await found(server, bob, 'news sender.name = "users/me"') == ["news from bob"]
    assert await found(server, alice, 'sender.name = "users/nobody@example.com"') == []
    assert await found(server, alice, 'sender.name = "users/123"') == []
    assert await found(server, alice, f'space.name = "{side.name}" OR space.name = "{dm.name}"') == [
        "news in the DM", "news on the side"]
    assert await found(server, alice, 'space.space_type = "DIRECT_MESSAGE"') == ["news in the DM"]
    assert await found(server, alice, 'space.space_type = "GROUP_CHAT" OR space.space_type = "DIRECT_MESSAGE"'
                       ) == ["news in the group", "news in the DM"]
    assert await found(server, alice, 'news space.space_type = "SPACE"') == [
        "news on the side", "news from alice", "news from bob"]
    assert await found(server, bob, 'space.space_type = "SPACE"') == ["news from alice", "news from bob"]


async def test_space_display_names_match_words_in_the_top_five_spaces(server):
    md = everything(server)
    named = {}
    for name in ("Project Apollo", "Project Gemini", "Tasks for Project X", "Projected costs", "Other things"):
        named[name] = await new_space(server, md, name)
        await post(server, md, named[name], f"status of {name}")
    assert await found(server, md, "space.display_name:Project status") == [
        "status of Projected costs", "status of Tasks for Project X", "status of Project Gemini",
        "status of Project Apollo"]  # words that start with "Project"
    assert await found(server, md, "space.display_name:project AND space.display_name:tasks") == [
        "status of Tasks for Project X"]
    assert await found(server, md, 'space.display_name:"project apollo" OR space.display_name:other') == [
        "status of Other things", "status of Project Apollo"]
    # Only the five matching spaces most recently active are searched.
    for n in range(3):
        extra = await new_space(server, md, f"Project extra {n} {uuid.uuid4().hex[:4]}")
        await post(server, md, extra, "status extra")
    assert len(await found(server, md, "space.display_name:Project")) == 5
    await post(server, md, named["Project Apollo"], "status again")  # Apollo is active again
    assert await found(server, md, "space.display_name:Apollo") == ["status again", "status of Project Apollo"]
    assert "status again" in await found(server, md, "space.display_name:Project")


async def test_attachments_mentions_and_links(server):
    alice, bob = everything(server), everything(server, "bob@example.com")
    space = await new_space(server, alice)
    await add_member(server, alice, space, "users/bob@example.com")
    carol = await add_member(server, alice, space, "users/carol@example.com")
    mention_bob = await post(server, alice, space, "ask <users/bob@example.com> about it")
    bob_name = mention_bob.annotations[0].user_mention.user.name
    await post(server, alice, space, f"<users/bob@example.com> and <{carol.member.name}> review")
    await post(server, bob, space, "see https://example.com/x or WWW.EXAMPLE.ORG")
    await post(server, bob, space, "HTTP://CAPS.EXAMPLE in capitals")
    await post(server, bob, space, "no link, just example.com")
    filed = await post(server, bob, space, "the file")
    async with server.running.db.engine.begin() as conn:  # stored as an uploaded attachment is
        await conn.execute(sql_update(messages).where(messages.c.id == filed.name.rsplit("/", 1)[1]).values(
            attachments=message_pb2.Message(attachment=[attachment_pb2.Attachment(
                name=f"{filed.name}/attachments/a1", content_name="report.pdf")]).SerializeToString()))
    assert await found(server, alice, "attachment:*") == ["the file"]
    assert await found(server, alice, "has_link()") == ["HTTP://CAPS.EXAMPLE in capitals",
                                                        "see https://example.com/x or WWW.EXAMPLE.ORG"]
    mentions = "annotations.user_mentions.user.name"
    for query in (f'{mentions}:"{bob_name}"', f"{mentions}:users/bob@example.com"):
        assert await found(server, alice, query) == ["@bob and @carol review", "ask @bob about it"], query
    assert await found(server, bob, f"{mentions}:users/me about") == ["ask @bob about it"]
    assert await found(server, alice, f"{mentions}:users/me") == []
    assert await found(server, alice, f'{mentions}:"{bob_name}" AND {mentions}:"{carol.member.name}"') == [
        "@bob and @carol review"]
    assert await found(server, alice, f'{mentions}:"users/nobody@example.com" OR {mentions}:"{carol.member.name}"'
                       ) == ["@bob and @carol review"]
    assert await found(server, alice, f'{mentions}:"users/nobody@example.com" {mentions}:"{bob_name}"') == []


async def test_unread(server):
    alice, bob = everything(server), everything(server, "bob@example.com")
    space = await new_space(server, alice)
    await add_member(server, alice, space, "users/bob@example.com")
    first = await post(server, alice, space, "memo one")
    await post(server, alice, space, "memo two")
    assert await found(server, bob, "memo is_unread()") == ["memo two", "memo one"]  # never read
    await mark_read(server, "bob@example.com", space, first)
    assert await found(server, bob, "memo is_unread()") == ["memo two"]
    await post(server, bob, space, "memo from bob")  # writing in the space reads what came before
    await post(server, alice, space, "memo three")
    assert await found(server, bob, "memo is_unread()") == ["memo three"]
    # Replying in a thread reads the thread up to the reply.
    other = await new_space(server, alice)
    await add_member(server, alice, other, "users/bob@example.com")
    root = await post(server, alice, other, "thread memo")
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=other.name, message=message_pb2.Message(text="reply memo", thread=root.thread),
        message_reply_option=message_pb2.CreateMessageRequest.MessageReplyOption.REPLY_MESSAGE_OR_FAIL),
        metadata=bob)
    assert await found(server, bob, f'is_unread() space.name = "{other.name}"') == []
    # Alice wrote after bob's top-level message, but not after his reply.
    assert await found(server, alice, "memo is_unread()") == ["reply memo"]
