"""Resource names of sections and section items, which live under a user rather than a space.

    users/{user}/sections/{section}
    users/{user}/sections/{section}/items/{item}      the item id is the id of the space it stands for

`{user}` may be `me`, an email or a user id. An item may also be written `.../items/spaces/{space}`, the form
Google's guide to moving items shows; only the canonical forms are returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.aip.names import SEGMENT, MemberRef, parse

_SECTION = re.compile(rf"^users/({SEGMENT})/sections/({SEGMENT})\Z")
_ITEM = re.compile(rf"^users/({SEGMENT})/sections/({SEGMENT})/items/(?:spaces/)?({SEGMENT})\Z")


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
    user, section_id = parse(_SECTION, name, field, "users/{user}/sections/{section}")
    return SectionRef(MemberRef(user), section_id)


def item(name: str, field: str) -> ItemRef:
    user, section_id, space_id = parse(_ITEM, name, field, "users/{user}/sections/{section}/items/{item}")
    return ItemRef(MemberRef(user), section_id, space_id)


def section_name(user_id: str, section_id: str) -> str:
    return f"users/{user_id}/sections/{section_id}"


def item_name(user_id: str, section_id: str, space_id: str) -> str:
    return f"users/{user_id}/sections/{section_id}/items/{space_id}"
