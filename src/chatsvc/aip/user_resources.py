"""Names of the singletons a user has of their own: read states, space notification settings, availability.

The `{user}` segment accepts the same aliases as `users/{user}` (`me`, an email, a user id); callers check that
it is the caller. Only canonical names (`users/{id}/...`) are built for output.
"""
from __future__ import annotations

import re

from chatsvc.aip.names import SEGMENT, MemberRef, parse

_SEGMENT = rf"({SEGMENT})"
_SPACE_READ_STATE = re.compile(rf"^users/{_SEGMENT}/spaces/{_SEGMENT}/spaceReadState\Z")
_THREAD_READ_STATE = re.compile(rf"^users/{_SEGMENT}/spaces/{_SEGMENT}/threads/{_SEGMENT}/threadReadState\Z")
_NOTIFICATION_SETTING = re.compile(rf"^users/{_SEGMENT}/spaces/{_SEGMENT}/spaceNotificationSetting\Z")
_AVAILABILITY = re.compile(rf"^users/{_SEGMENT}/availability\Z")


def space_read_state(name: str, field: str = "name") -> tuple[MemberRef, str]:
    user, space_id = parse(_SPACE_READ_STATE, name, field, "users/{user}/spaces/{space}/spaceReadState")
    return MemberRef(user), space_id


def thread_read_state(name: str, field: str = "name") -> tuple[MemberRef, str, str]:
    user, space_id, thread_id = parse(_THREAD_READ_STATE, name, field,
                                      "users/{user}/spaces/{space}/threads/{thread}/threadReadState")
    return MemberRef(user), space_id, thread_id


def space_notification_setting(name: str, field: str = "name") -> tuple[MemberRef, str]:
    user, space_id = parse(_NOTIFICATION_SETTING, name, field,
                           "users/{user}/spaces/{space}/spaceNotificationSetting")
    return MemberRef(user), space_id


def availability(name: str, field: str = "name") -> MemberRef:
    (user,) = parse(_AVAILABILITY, name, field, "users/{user}/availability")
    return MemberRef(user)


def space_read_state_name(user_id: str, space_id: str) -> str:
    return f"users/{user_id}/spaces/{space_id}/spaceReadState"


def thread_read_state_name(user_id: str, space_id: str, thread_id: str) -> str:
    return f"users/{user_id}/spaces/{space_id}/threads/{thread_id}/threadReadState"


def space_notification_setting_name(user_id: str, space_id: str) -> str:
    return f"users/{user_id}/spaces/{space_id}/spaceNotificationSetting"


def availability_name(user_id: str) -> str:
    return f"users/{user_id}/availability"
