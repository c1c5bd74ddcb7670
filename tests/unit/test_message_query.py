"""The ListMessages filter grammar, as Google documents it."""
import pytest

from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.message_query import MessageQuery, parse

SPACE = "AAAAAAAAAAA"
T = 1_335_022_200_000_000  # 2012-04-21T15:30:00Z


@pytest.mark.parametrize("text, expected", [
    ("", MessageQuery()),
    ('create_time > "2012-04-21T11:30:00-04:00"', MessageQuery(created_after_us=T)),
    ('createTime < "2012-04-21T15:30:00Z"', MessageQuery(created_before_us=T)),
    ('create_time > "2012-04-21T11:30:00-04:00" AND thread.name = spaces/AAAAAAAAAAA/threads/123',
     MessageQuery(created_after_us=T, thread_id="123")),
    ('create_time > "2012-04-21T15:30:00+00:00" AND create_time < "2013-01-01T00:00:00+00:00" AND '
     'thread.name = spaces/AAAAAAAAAAA/threads/123',
     MessageQuery(created_after_us=T, created_before_us=1_356_998_400_000_000, thread_id="123")),
    ('thread.name = "spaces/AAAAAAAAAAA/threads/123"', MessageQuery(thread_id="123")),
    ('(create_time > "2012-04-21T15:30:00Z" AND thread.name = spaces/AAAAAAAAAAA/threads/x)',
     MessageQuery(created_after_us=T, thread_id="x")),
])
def test_documented_queries(text, expected):
    assert parse(text, SPACE) == expected


@pytest.mark.parametrize("text", [
    'create_time >= "2012-04-21T15:30:00Z"',
    "create_time > 2012",
    'create_time = "2012-04-21T15:30:00Z"',
    'create_time > "yesterday"',
    'create_time > "2012-04-21T15:30:00"',  # no offset
    'create_time > "2012-04-21T15:30:00Z" OR thread.name = spaces/AAAAAAAAAAA/threads/1',
    'create_time > "2012-04-21T15:30:00Z" AND create_time > "2013-04-21T15:30:00Z"',
    "thread.name = spaces/AAAAAAAAAAA/threads/1 AND thread.name = spaces/AAAAAAAAAAA/threads/2",
    "thread.name = spaces/BBBBBBBBBBB/threads/1",
    "thread.name = threads/1",
    "thread.name != spaces/AAAAAAAAAAA/threads/1",
    "NOT thread.name = spaces/AAAAAAAAAAA/threads/1",
    'sender.name = "users/1"',
    "create_time",
    "has(thread)",
    'create_time > "2012-04-21T15:30:00Z" AND',
])
def test_invalid_queries(text):
    with pytest.raises(InvalidArgument) as caught:
        parse(text, SPACE)
    assert [v.field for v in caught.value.violations] == ["filter"]
