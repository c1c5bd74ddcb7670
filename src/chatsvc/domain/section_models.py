"""Sections as the domain sees them: a user's own grouping of the spaces they are in.

Every user has three system sections with fixed ids, and any custom sections they create. Each of the user's
spaces is an item of exactly one section: the custom section the user filed it in, or else the system section
of its kind (spaces; direct messages and group chats; direct messages with a Chat app).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from chatsvc.domain.models import SpaceType


class SectionType(IntEnum):
    """google.chat.v1.Section.SectionType, by value."""

    UNSPECIFIED = 0
    CUSTOM_SECTION = 1
    DEFAULT_DIRECT_MESSAGES = 2
    DEFAULT_SPACES = 3
    DEFAULT_APPS = 6


DIRECT_MESSAGES = "default-direct-messages"
SPACES = "default-spaces"
APPS = "default-apps"
# The system sections' ids and types, in the order a user who never reordered them sees them (Chat's navigation
# panel: direct messages, spaces, apps).
SYSTEM_SECTIONS: dict[str, SectionType] = {
    DIRECT_MESSAGES: SectionType.DEFAULT_DIRECT_MESSAGES,
    SPACES: SectionType.DEFAULT_SPACES,
    APPS: SectionType.DEFAULT_APPS,
}
# ListSectionItems' parent for "every section" (only useful with a space filter, as Google's docs say).
ALL_SECTIONS = "-"


@dataclass(frozen=True)
class Section:
    user_id: str
    id: str
    type: SectionType
    sort_order: int
    display_name: str = ""  # custom sections only

    @property
    def is_custom(self) -> bool:
        return self.type == SectionType.CUSTOM_SECTION


@dataclass(frozen=True)
class SectionItem:
    """One of the user's spaces, in the section it sits in."""

    user_id: str
    section_id: str
    space_id: str


def default_sections(user_id: str) -> list[Section]:
    """The sections of a user who never changed them."""
    return [Section(user_id, section_id, kind, order)
            for order, (section_id, kind) in enumerate(SYSTEM_SECTIONS.items(), start=1)]


def home_section(space_type: SpaceType, single_user_bot_dm: bool) -> str:
    """The system section a space sits in unless its user filed it in a custom section."""
    if space_type == SpaceType.SPACE:
        return SPACES
    if space_type == SpaceType.DIRECT_MESSAGE and single_user_bot_dm:
        return APPS
    return DIRECT_MESSAGES
