"""AIP-122 resource names of google.chat.v1: parsing with a clear error naming the field.

Aliases are accepted on input (`users/me`, `users/app`, `users/{email}`, `spaces/{space}/members/{email}`);
callers of these helpers resolve them, and only canonical names are ever returned to clients.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.domain.errors import InvalidArgument

_SEGMENT = r"[A-Za-z0-9_.@+\-]{1,320}"
_SPACE = re.compile(rf"^spaces/({_SEGMENT})\Z")
_CHILD = re.compile(rf"^spaces/({_SEGMENT})/(members|messages|threads)/({_SEGMENT})\Z")
_USER = re.compile(rf"^users/({_SEGMENT})\Z")
_REACTION = re.compile(rf"^spaces/({_SEGMENT})/messages/({_SEGMENT})/reactions/({_SEGMENT})\Z")
_MESSAGE_PIN = re.compile(rf"^spaces/({_SEGMENT})/messagePins/({_SEGMENT})\Z")


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


def space(name: str, field: str = "name") -> str:
    match = _SPACE.match(name)
    if not match:
        raise _bad(field, "spaces/{space}")
    return match.group(1)


def _child(name: str, field: str, collection: str) -> tuple[str, str]:
    match = _CHILD.match(name)
    if not match or match.group(2) != collection:
        raise _bad(field, f"spaces/{{space}}/{collection}/{{{collection[:-1]}}}")
    return match.group(1), match.group(3)


def message(name: str, field: str = "name") -> tuple[str, str]:
    return _child(name, field, "messages")


def thread(name: str, field: str = "thread.name") -> tuple[str, str]:
    return _child(name, field, "threads")


_SPACE_EVENT = re.compile(rf"^spaces/({_SEGMENT})/spaceEvents/({_SEGMENT})\Z")


def space_event(name: str, field: str = "name") -> tuple[str, str]:
    """`spaces/{space}/spaceEvents/{spaceEvent}` -> (space, event)."""
    match = _SPACE_EVENT.match(name)
    if not match:
        raise _bad(field, "spaces/{space}/spaceEvents/{spaceEvent}")
    return match.group(1), match.group(2)


def space_event_name(space_id: str, event_id: str) -> str:
    return f"spaces/{space_id}/spaceEvents/{event_id}"


def membership(name: str, field: str = "name") -> tuple[str, MemberRef]:
    space_id, member = _child(name, field, "members")
    return space_id, MemberRef(member)


def user(name: str, field: str) -> MemberRef:
    match = _USER.match(name)
    if not match:
        raise _bad(field, "users/{user}")
    return MemberRef(match.group(1))


def member(name: str, field: str) -> MemberRef:
    """The member of a new membership: `users/{user}` or `groups/{group}`."""
    if name.startswith("groups/"):
        group_id = name[len("groups/"):]
        if not re.fullmatch(_SEGMENT, group_id):
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
    match = _REACTION.match(name)
    if not match:
        raise _bad(field, "spaces/{space}/messages/{message}/reactions/{reaction}")
    return match.group(1), match.group(2), match.group(3)


def reaction_name(space_id: str, message_id: str, reaction_id: str) -> str:
    return f"spaces/{space_id}/messages/{message_id}/reactions/{reaction_id}"


def message_pin(name: str, field: str = "name") -> tuple[str, str]:
    """`spaces/{space}/messagePins/{message_pin}` -> (space, message): a pin is named after its message."""
    match = _MESSAGE_PIN.match(name)
    if not match:
        raise _bad(field, "spaces/{space}/messagePins/{message_pin}")
    return match.group(1), match.group(2)


def message_pin_name(space_id: str, message_id: str) -> str:
    return f"spaces/{space_id}/messagePins/{message_id}"


_ATTACHMENT = re.compile(rf"^spaces/({_SEGMENT})/messages/({_SEGMENT})/attachments/({_SEGMENT})\Z")
_CUSTOM_EMOJI = re.compile(r"^customEmojis/([A-Za-z0-9_-]{1,64}|:[^:/\s]{1,62}:)\Z")


def attachment(name: str, field: str = "name") -> tuple[str, str, str]:
    """`spaces/{space}/messages/{message}/attachments/{attachment}` -> (space, message, attachment)."""
    match = _ATTACHMENT.match(name)
    if not match:
        raise _bad(field, "spaces/{space}/messages/{message}/attachments/{attachment}")
    return match.group(1), match.group(2), match.group(3)


def attachment_name(space_id: str, message_id: str, attachment_id: str) -> str:
    return f"spaces/{space_id}/messages/{message_id}/attachments/{attachment_id}"


def custom_emoji(name: str, field: str = "name") -> str:
    """`customEmojis/{customEmoji}` -> the id, or the emoji's `:name:` when it is used as an alias."""
    match = _CUSTOM_EMOJI.match(name)
    if not match:
        raise _bad(field, "customEmojis/{customEmoji}` (or `customEmojis/:emoji-name:")
    return match.group(1)


def custom_emoji_name(emoji_id: str) -> str:
    return f"customEmojis/{emoji_id}"
