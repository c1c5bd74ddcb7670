"""What the directory holds: brands, their members (agents), contacts and CRM lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class MemberRole(IntEnum):  # numbers as in chatsvc.directory.v1.Member.Role
    AGENT = 1
    ADMIN = 2


@dataclass(frozen=True)
class Brand:
    id: str
    display_name: str
    create_time_us: int


@dataclass(frozen=True)
class Member:
    brand_id: str
    user_id: str
    email: str  # the user's address (joined from users)
    role: MemberRole
    display_name: str
    email_signature: str = ""
    create_time_us: int = 0


@dataclass(frozen=True)
class Contact:
    id: str
    brand_id: str
    display_name: str
    emails: tuple[str, ...]  # as given; the first is primary
    tags: tuple[str, ...] = ()  # lowercased
    list_ids: tuple[str, ...] = ()
    create_time_us: int = 0

    @property
    def primary_email(self) -> str:
        return self.emails[0].lower() if self.emails else ""


@dataclass(frozen=True)
class ContactList:
    id: str
    brand_id: str
    display_name: str
    contact_count: int = 0
    create_time_us: int = 0


@dataclass(frozen=True)
class Addressee:
    """One address a recipient group expands to, with the name to greet it by."""

    email: str  # lowercased
    display_name: str = ""
    contact_id: str = ""
    agent_brand_id: str = ""
    agent_user_id: str = ""
    extra: dict = field(default_factory=dict, compare=False)
