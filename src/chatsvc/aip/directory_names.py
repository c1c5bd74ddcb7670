"""Directory resource names: `brands/{brand}` and its members, contacts and CRM lists.

Brand, contact and list ids are server-made uuid4 strings; a member's id is the user's id. The patterns
accept any id of the right alphabet and length, so a well-formed name for something absent is NOT_FOUND
(decided by the domain), while a malformed one is INVALID_ARGUMENT naming the field.
"""
from __future__ import annotations

import re

from chatsvc.domain.errors import InvalidArgument

_ID = r"([A-Za-z0-9-]{1,36})"
_USER_ID = r"([A-Za-z0-9]{1,32})"
_BRAND = re.compile(rf"^brands/{_ID}\Z")
_MEMBER = re.compile(rf"^brands/{_ID}/members/{_USER_ID}\Z")
_CONTACT = re.compile(rf"^brands/{_ID}/contacts/{_ID}\Z")
_LIST = re.compile(rf"^brands/{_ID}/lists/{_ID}\Z")


def _groups(pattern: re.Pattern, name: str, field: str, form: str) -> tuple[str, ...]:
    match = pattern.match(name)
    if not match:
        raise InvalidArgument.field(field, f"must have the form `{form}`" if name else f"is required: `{form}`")
    return match.groups()


def brand_name(brand_id: str) -> str:
    return f"brands/{brand_id}"


def parse_brand(name: str, field: str = "name") -> str:
    (brand_id,) = _groups(_BRAND, name, field, "brands/{brand}")
    return brand_id


def member_name(brand_id: str, user_id: str) -> str:
    return f"brands/{brand_id}/members/{user_id}"


def parse_member(name: str, field: str = "name") -> tuple[str, str]:
    brand_id, user_id = _groups(_MEMBER, name, field, "brands/{brand}/members/{member}")
    return brand_id, user_id


def contact_name(brand_id: str, contact_id: str) -> str:
    return f"brands/{brand_id}/contacts/{contact_id}"


def parse_contact(name: str, field: str = "name") -> tuple[str, str]:
    brand_id, contact_id = _groups(_CONTACT, name, field, "brands/{brand}/contacts/{contact}")
    return brand_id, contact_id


def list_name(brand_id: str, list_id: str) -> str:
    return f"brands/{brand_id}/lists/{list_id}"


def parse_list(name: str, field: str = "name") -> tuple[str, str]:
    brand_id, list_id = _groups(_LIST, name, field, "brands/{brand}/lists/{list}")
    return brand_id, list_id
