"""AIP-122 resource names of google.chat.v1: parsing with a clear error naming the field.

Aliases are accepted on input (`users/me`, `users/app`, `users/{email}`, `spaces/{space}/members/{email}`);
callers of these helpers resolve them, and only canonical names are ever returned to clients.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.domain.errors import InvalidArgument

SEGMENT = r"[A-Za-z0-9_.@+\-]{1,320}"  # one id or alias segment of a resource name
_SPACE = re.compile(rf"^spaces/({SEGMENT})\Z")
_CHILD = re.compile(rf"^spaces/({SEGMENT})/(members|messages|threads)/({SEGMENT})\Z")
_USER = re.compile(rf"^users/({SEGMENT})\Z")
_REACTION = re.compile(rf"^spaces/({SEGMENT})/messages/({SEGMENT})/reactions/({SEGMENT})\Z")
_MESSAGE_PIN = re.compile(rf"^spaces/({SEGMENT})/messagePins/({SEGMENT})\Z")


@dataclass(frozen=True)
class MemberRef:
    """Who a membership or user name points at: `me`, `app`, an email, a user id, or a group id."""

    value: str
    is_group: bool = False

    @property
    def is_me(self) -> bool:
        return self.value == "me"

    @property
    def is_app(self) -> bool:
        return self.value == "app"

    @property
    def is_email(self) -> bool:
        return "@" in self.value


def _bad(field: str, expected: str) -> InvalidArgument:
    return InvalidArgument.field(field, f"must have the form `{expected}`")


def parse(pattern: re.Pattern, name: str, field: str, form: str) -> tuple[str, ...]:
    """The groups of `pattern` in `name`, or INVALID_ARGUMENT on `field` saying it must have the form `form`."""
    match = pattern.match(name)
    if not match:
        raise _bad(field, form)
    return match.groups()


def space(name: str, field: str = "name") -> str:
    (space_id,) = parse(_SPACE, name, field, "spaces/{space}")
    return space_id


def _child(name: str, field: str, collection: str) -> tuple[str, str]:
    match = _CHILD.match(name)
    if not match or match.group(2) != collection:
        raise _bad(field, f"spaces/{{space}}/{collection}/{{{collection[:-1]}}}")
    return match.group(1), match.group(3)


def message(name: str, field: str = "name") -> tuple[str, str]:
    return _child(name, field, "messages")


def thread(name: str, field: str = "thread.name") -> tuple[str, str]:
    return _child(name, field, "threads")


_SPACE_EVENT = re.compile(rf"^spaces/({SEGMENT})/spaceEvents/({SEGMENT})\Z")


def space_event(name: str, field: str = "name") -> tuple[str, str]:
    """`spaces/{space}/spaceEvents/{spaceEvent}` -> (space, event)."""
    space_id, event_id = parse(_SPACE_EVENT, name, field, "spaces/{space}/spaceEvents/{spaceEvent}")
    return space_id, event_id


def space_event_name(space_id: str, event_id: str) -> str:
    return f"spaces/{space_id}/spaceEvents/{event_id}"


def membership(name: str, field: str = "name") -> tuple[str, MemberRef]:
    space_id, member = _child(name, field, "members")
    return space_id, MemberRef(member)


def user(name: str, field: str) -> MemberRef:
    (user_id,) = parse(_USER, name, field, "users/{user}")
    return MemberRef(user_id)


def member(name: str, field: str) -> MemberRef:
    """The member of a new membership: `users/{user}` or `groups/{group}`."""
    if name.startswith("groups/"):
        group_id = name[len("groups/"):]
        if not re.fullmatch(SEGMENT, group_id):
            raise _bad(field, "groups/{group}")
        return MemberRef(group_id, is_group=True)
    return user(name, field)


def space_name(space_id: str) -> str:
    return f"spaces/{space_id}"


def membership_name(space_id: str, member_id: str) -> str:
    return f"spaces/{space_id}/members/{member_id}"


def message_name(space_id: str, message_id: str) -> str:
    return f"spaces/{space_id}/messages/{message_id}"


def thread_name(space_id: str, thread_id: str) -> str:
    return f"spaces/{space_id}/threads/{thread_id}"


def user_name(user_id: str) -> str:
    return f"users/{user_id}"


def group_name(group_id: str) -> str:
    return f"groups/{group_id}"


def reaction(name: str, field: str = "name") -> tuple[str, str, str]:
    """`spaces/{space}/messages/{message}/reactions/{reaction}` -> (space, message, reaction)."""
    space_id, message_id, reaction_id = parse(_REACTION, name, field,
                                              "spaces/{space}/messages/{message}/reactions/{reaction}")
    return space_id, message_id, reaction_id


def reaction_name(space_id: str, message_id: str, reaction_id: str) -> str:
    return f"spaces/{space_id}/messages/{message_id}/reactions/{reaction_id}"


def message_pin(name: str, field: str = "name") -> tuple[str, str]:
    """`spaces/{space}/messagePins/{message_pin}` -> (space, message): a pin is named after its message."""
    space_id, message_id = parse(_MESSAGE_PIN, name, field, "spaces/{space}/messagePins/{message_pin}")
    return space_id, message_id


def message_pin_name(space_id: str, message_id: str) -> str:
    return f"spaces/{space_id}/messagePins/{message_id}"


_ATTACHMENT = re.compile(rf"^spaces/({SEGMENT})/messages/({SEGMENT})/attachments/({SEGMENT})\Z")
_CUSTOM_EMOJI = re.compile(r"^customEmojis/([A-Za-z0-9_-]{1,64}|:[^:/\s]{1,62}:)\Z")


def attachment(name: str, field: str = "name") -> tuple[str, str, str]:
    """`spaces/{space}/messages/{message}/attachments/{attachment}` -> (space, message, attachment)."""
    space_id, message_id, attachment_id = parse(_ATTACHMENT, name, field,
                                                "spaces/{space}/messages/{message}/attachments/{attachment}")
    return space_id, message_id, attachment_id


def attachment_name(space_id: str, message_id: str, attachment_id: str) -> str:
    return f"spaces/{space_id}/messages/{message_id}/attachments/{attachment_id}"


def custom_emoji(name: str, field: str = "name") -> str:
    """`customEmojis/{customEmoji}` -> the id, or the emoji's `:name:` when it is used as an alias."""
    (emoji_id,) = parse(_CUSTOM_EMOJI, name, field, "customEmojis/{customEmoji}` (or `customEmojis/:emoji-name:")
    return emoji_id


def custom_emoji_name(emoji_id: str) -> str:
    return f"customEmojis/{emoji_id}"
