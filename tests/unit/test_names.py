"""chatsvc.aip.names: AIP-122 resource names of google.chat.v1, parsed with an error that names the field."""
import pytest

from chatsvc.aip import names
from chatsvc.domain.errors import InvalidArgument


def violation(error: InvalidArgument) -> str:
    (only,) = error.violations
    assert only.field in error.message
    return only.field


@pytest.mark.parametrize("name, expected", [
    ("spaces/AAAAabc1234", "AAAAabc1234"),
    ("spaces/a", "a"),
    ("spaces/with-dash_under.dot", "with-dash_under.dot"),
])
def test_space_names(name, expected):
    assert names.space(name) == expected
    assert names.space_name(expected) == name


@pytest.mark.parametrize("bad", ["", "spaces", "spaces/", "space/AAAA", "rooms/AAAA", "spaces/AAAA/",
                                 "spaces/AAAA/messages/1", "/spaces/AAAA", "spaces/AA AA", "spaces/AAAA\n",
                                 "SPACES/AAAA", "spaces/" + "a" * 321, "spaces/ä"])
def test_bad_space_names(bad):
    with pytest.raises(InvalidArgument) as caught:
        names.space(bad, "parent")
    assert violation(caught.value) == "parent"
    assert "spaces/{space}" in caught.value.violations[0].description


def test_default_field_is_name():
    with pytest.raises(InvalidArgument) as caught:
        names.space("nope")
    assert violation(caught.value) == "name"


def test_message_names():
    assert names.message("spaces/S1/messages/M1") == ("S1", "M1")
    assert names.message("spaces/S1/messages/client-my-id") == ("S1", "client-my-id")
    assert names.message_name("S1", "M1") == "spaces/S1/messages/M1"
    for bad in ("spaces/S1/messages/", "spaces/S1/members/M1", "spaces/S1/threads/T1", "spaces/S1",
                "spaces/S1/messages/M1/reactions/R1", "messages/M1", "spaces/S1/messages/M1\n"):
        with pytest.raises(InvalidArgument) as caught:
            names.message(bad)
        assert violation(caught.value) == "name"
        assert "spaces/{space}/messages/{message}" in caught.value.violations[0].description


def test_thread_names():
    assert names.thread("spaces/S1/threads/T1") == ("S1", "T1")
    assert names.thread_name("S1", "T1") == "spaces/S1/threads/T1"
    with pytest.raises(InvalidArgument) as caught:
        names.thread("spaces/S1/messages/T1")
    assert violation(caught.value) == "thread.name"
    with pytest.raises(InvalidArgument) as caught:
        names.thread("spaces/S1/threads/", "message.thread.name")
    assert violation(caught.value) == "message.thread.name"


def test_membership_names_and_aliases():
    space_id, ref = names.membership("spaces/S1/members/123456789012345678901")
    assert space_id == "S1" and ref.value == "123456789012345678901"
    assert not (ref.is_me or ref.is_app or ref.is_email or ref.is_group)
    _, by_email = names.membership("spaces/S1/members/alice@example.com")
    assert by_email.is_email and by_email.value == "alice@example.com"
    _, me = names.membership("spaces/S1/members/me")
    assert me.is_me
    assert names.membership_name("S1", "42") == "spaces/S1/members/42"
    for bad in ("spaces/S1/members/", "spaces/S1/messages/1", "spaces/S1/members/a/b", "members/1"):
        with pytest.raises(InvalidArgument) as caught:
            names.membership(bad)
        assert violation(caught.value) == "name"


def test_user_names_and_aliases():
    assert names.user("users/123", "f").value == "123"
    assert names.user("users/me", "f").is_me
    assert names.user("users/app", "f").is_app
    email = names.user("users/Alice+tag@Example.com", "f")
    assert email.is_email and email.value == "Alice+tag@Example.com"
    assert names.user_name("123") == "users/123"
    for bad in ("", "users/", "user/123", "users/1/2", "123", "users/a b", "groups/eng", "users/123\n"):
        with pytest.raises(InvalidArgument) as caught:
            names.user(bad, "membership.member.name")
        assert violation(caught.value) == "membership.member.name"
        assert "users/{user}" in caught.value.violations[0].description


def test_member_names():
    group = names.member("groups/eng-team", "membership.group_member.name")
    assert group.is_group and group.value == "eng-team"
    assert names.group_name("eng-team") == "groups/eng-team"
    person = names.member("users/42", "membership.member.name")
    assert not person.is_group and person.value == "42"
    for bad, expected in (("groups/", "groups/{group}"), ("groups/a/b", "groups/{group}"),
                          ("teams/x", "users/{user}")):
        with pytest.raises(InvalidArgument) as caught:
            names.member(bad, "membership.group_member.name")
        assert violation(caught.value) == "membership.group_member.name"
        assert expected in caught.value.violations[0].description


def test_round_trips():
    for space_id in ("AAAAabc1234", "x"):
        assert names.space(names.space_name(space_id)) == space_id
        assert names.message(names.message_name(space_id, "m")) == (space_id, "m")
        assert names.thread(names.thread_name(space_id, "t")) == (space_id, "t")
        assert names.membership(names.membership_name(space_id, "9"))[1].value == "9"
