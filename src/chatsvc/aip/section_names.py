"""Resource names of sections and section items, which live under a user rather than a space.

    users/{user}/sections/{section}
    users/{user}/sections/{section}/items/{item}      the item id is the id of the space it stands for

`{user}` may be `me`, an email or a user id. An item may also be written `.../items/spaces/{space}`, the form
Google's guide to moving items shows; only the canonical forms are returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.aip.names import MemberRef
from chatsvc.domain.errors import InvalidArgument

_SEGMENT = r"[A-Za-z0-9_.@+\-]{1,320}"  # as in aip/names.py
_SECTION = re.compile(rf"^users/({_SEGMENT})/sections/({_SEGMENT})\Z")
_ITEM = re.compile(rf"^users/({_SEGMENT})/sections/({_SEGMENT})/items/(?:spaces/)?({_SEGMENT})\Z")


@dataclass(frozen=True)
class SectionRef:
    user: MemberRef
    section_id: str


@dataclass(frozen=True)
class ItemRef:
    user: MemberRef
    section_id: str
    space_id: str


def section(name: str, field: str) -> SectionRef:
    match = _SECTION.match(name)
    if not match:
        raise InvalidArgument.field(field, "must have the form `users/{user}/sections/{section}`")
    return SectionRef(MemberRef(match.group(1)), match.group(2))


def item(name: str, field: str) -> ItemRef:
    match = _ITEM.match(name)
    if not match:
        raise InvalidArgument.field(field, "must have the form `users/{user}/sections/{section}/items/{item}`")
    return ItemRef(MemberRef(match.group(1)), match.group(2), match.group(3))


def section_name(user_id: str, section_id: str) -> str:
    return f"users/{user_id}/sections/{section_id}"


def item_name(user_id: str, section_id: str, space_id: str) -> str:
    return f"users/{user_id}/sections/{section_id}/items/{space_id}"
