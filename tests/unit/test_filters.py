import pytest

from chatsvc.aip.filters import And, Call, Comparison, Not, Or, parse, timestamp_us
from chatsvc.domain.errors import InvalidArgument


def test_documented_queries_parse():
    assert parse('space_type = "SPACE"') == Comparison("space_type", "=", "SPACE", True)
    assert parse('spaceType = "GROUP_CHAT" OR spaceType = "DIRECT_MESSAGE"') == Or((
        Comparison("space_type", "=", "GROUP_CHAT", True), Comparison("space_type", "=", "DIRECT_MESSAGE", True)))
    assert parse('create_time > "2012-04-21T11:30:00-04:00" AND thread.name = spaces/AAAAAAAAAAA/threads/123') == And((
        Comparison("create_time", ">", "2012-04-21T11:30:00-04:00", True),
        Comparison("thread.name", "=", "spaces/AAAAAAAAAAA/threads/123", False)))
    assert parse('(emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "u1") AND user.name = "users/1"') == And((
        Or((Comparison("emoji.unicode", "=", "🙂", True), Comparison("emoji.custom_emoji.uid", "=", "u1", True))),
        Comparison("user.name", "=", "users/1", True)))
    assert parse('NOT creator("users/me")') == Not(Call("creator", ("users/me",)))
    assert parse('display_name:"Hello World"') == Comparison("display_name", ":", "Hello World", True)
    assert parse('member.type != "BOT"') == Comparison("member.type", "!=", "BOT", True)
    assert parse('a = "say \\"hi\\""') == Comparison("a", "=", 'say "hi"', True)


def test_empty_filters_are_none():
    assert parse("") is None and parse("   ") is None


@pytest.mark.parametrize("query", [
    "a = 1 AND b = 2 OR c = 3", "a =", "(a = 1", "a 1", "= 3", "a = 1)", 'a = "open', "a = 1 AND", "AND = 1",
    "a == 1", "a = 1 b = 2", "f(", "display_name:Hello:World", "x" * 5000,
])
def test_malformed_queries_are_invalid_argument_naming_the_field(query):
    with pytest.raises(InvalidArgument) as caught:
        parse(query, "query")
    assert caught.value.violations[0].field == "query"
    assert caught.value.reason == "INVALID_FILTER"


def test_timestamps():
    assert timestamp_us("1970-01-01T00:00:01Z") == 1_000_000
    assert timestamp_us("1970-01-01T01:00:01.5+01:00") == 1_500_000
    for bad in ("2020-01-01", "yesterday", "2020-01-01T00:00:00"):
        with pytest.raises(InvalidArgument):
            timestamp_us(bad)
