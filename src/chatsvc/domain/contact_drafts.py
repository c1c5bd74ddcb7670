"""Checking what a caller asks to store in a contact, before anything is written.

Every problem names the exact field (`contact.emails[2]`, `contacts[7].tags[0]`), so a client importing a
thousand rows learns which one to fix. Whatever passes is normalised: names trimmed, emails deduplicated
case-insensitively (the first spelling kept, order kept: the first is primary), tags trimmed, lowercased and
deduplicated. Tags and lists are sets: they come back sorted, on creation as on every later read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from chatsvc.aip import directory_names as names
from chatsvc.domain.errors import InvalidArgument

MAX_DISPLAY_NAME = 256
MAX_EMAILS = 10
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit
MAX_TAGS = 50
MAX_TAG_LENGTH = 100
MAX_LISTS = 100

# Deliberately plain: one @, a local part without spaces, and a dotted domain of letters, digits and hyphens.
_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]{1,64}\Z")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


@dataclass(frozen=True)
class ContactDraft:
    """A contact as the caller wrote it."""

    display_name: str = ""
    emails: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()  # `brands/{brand}/lists/{list}`


@dataclass(frozen=True)
class CheckedContact:
    display_name: str
    emails: tuple[str, ...]
    tags: tuple[str, ...]
    list_ids: tuple[str, ...]
    list_fields: dict[str, str] = field(default_factory=dict)  # list id -> the field that named it first


def checked_text(value: str, field_name: str, maximum: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidArgument.field(field_name, "is required")
    if len(value) > maximum:
        raise InvalidArgument.field(field_name, f"must be at most {maximum} characters")
    return value


def checked_email(value: str, field_name: str) -> str:
    local, at, domain = value.rpartition("@")
    labels = domain.split(".")
    if (not at or len(value) > MAX_EMAIL_LENGTH or not _LOCAL.match(local) or len(labels) < 2
            or not all(_LABEL.match(label) for label in labels)):
        raise InvalidArgument.field(field_name, f"`{value}` is not an email address")
    return value


def checked_contact(draft: ContactDraft, prefix: str, brand_id: str) -> CheckedContact:
    """The draft normalised, or INVALID_ARGUMENT naming `{prefix}.{field}`. Lists are checked for form and
    brand here; whether they exist is the caller's job (one query for a whole import)."""
    display_name = checked_text(draft.display_name, f"{prefix}.display_name", MAX_DISPLAY_NAME)
    if len(draft.emails) > MAX_EMAILS:
        raise InvalidArgument.field(f"{prefix}.emails", f"must hold at most {MAX_EMAILS} addresses")
    emails: dict[str, str] = {}
    for i, email in enumerate(draft.emails):
        email = checked_email(email.strip(), f"{prefix}.emails[{i}]")
        emails.setdefault(email.lower(), email)
    if len(draft.tags) > MAX_TAGS:
        raise InvalidArgument.field(f"{prefix}.tags", f"must hold at most {MAX_TAGS} tags")
    tags: dict[str, None] = {}
    for i, tag in enumerate(draft.tags):
        tag = tag.strip().lower()
        if not 1 <= len(tag) <= MAX_TAG_LENGTH:
            raise InvalidArgument.field(f"{prefix}.tags[{i}]", f"must be 1 to {MAX_TAG_LENGTH} characters")
        tags[tag] = None
    if len(draft.lists) > MAX_LISTS:
        raise InvalidArgument.field(f"{prefix}.lists", f"must name at most {MAX_LISTS} lists")
    list_fields: dict[str, str] = {}
    for i, name in enumerate(draft.lists):
        list_field = f"{prefix}.lists[{i}]"
        list_brand, list_id = names.parse_list(name, list_field)
        if list_brand != brand_id:
            raise InvalidArgument.field(list_field, f"must be a list of `{names.brand_name(brand_id)}`")
        list_fields.setdefault(list_id, list_field)
    return CheckedContact(display_name, tuple(emails.values()), tuple(sorted(tags)), tuple(sorted(list_fields)),
                          list_fields)


def unknown_list(list_field: str, name: str) -> InvalidArgument:
    return InvalidArgument.field(list_field, f"`{name}` is not a list of this brand", reason="CONTACT_LIST_NOT_FOUND")
