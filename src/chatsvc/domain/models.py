"""The resources as the domain sees them: plain data, no proto, no SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

# The numbering of these enums is Google's (google.chat.v1), so the API layer converts by value.


class UserType(IntEnum):
    UNSPECIFIED = 0
    HUMAN = 1
    BOT = 2


class SpaceType(IntEnum):
    UNSPECIFIED = 0
    SPACE = 1
    GROUP_CHAT = 2
    DIRECT_MESSAGE = 3


class ThreadingState(IntEnum):
    UNSPECIFIED = 0
    THREADED_MESSAGES = 2
    GROUPED_MESSAGES = 3
    UNTHREADED_MESSAGES = 4


class HistoryState(IntEnum):
    UNSPECIFIED = 0
    HISTORY_OFF = 1
    HISTORY_ON = 2


class MembershipRole(IntEnum):
    UNSPECIFIED = 0
    MEMBER = 1
    MANAGER = 2
    ASSISTANT_MANAGER = 4


class MembershipState(IntEnum):
    UNSPECIFIED = 0
    JOINED = 1
    INVITED = 2
    NOT_A_MEMBER = 3


@dataclass(frozen=True)
class User:
    id: str
    type: UserType
    email: str = ""  # humans
    app_name: str = ""  # Chat apps
    display_name: str = ""


@dataclass
class Space:
    id: str
    space_type: SpaceType
    display_name: str = ""
    description: str = ""
    guidelines: str = ""
    threading_state: ThreadingState = ThreadingState.THREADED_MESSAGES
    history_state: HistoryState = HistoryState.HISTORY_ON
    external_user_allowed: bool = False
    import_mode: bool = False
    single_user_bot_dm: bool = False
    customer: str = ""
    create_time_us: int = 0
    last_active_time_us: int = 0
    joined_humans: int = 0
    joined_groups: int = 0
    creator_id: str = ""
    request_id: str = ""
    # Proto-encoded settings the domain stores but does not interpret (access settings).
    extras: bytes = b""
    # Permission -> PermissionSetting (domain.permissions); empty means the collaboration defaults.
    permissions: dict = field(default_factory=dict)


@dataclass
class Membership:
    space_id: str
    member_id: str  # a user id, or a group id for Google Groups
    role: MembershipRole
    state: MembershipState
    is_group: bool = False
    create_time_us: int = 0
    delete_time_us: int = 0


@dataclass
class Message:
    space_id: str
    id: str
    sender_id: str
    thread_id: str
    create_time_us: int
    text: str = ""
    client_id: str = ""  # "client-..." ids the caller chose
    thread_key: str = ""
    last_update_time_us: int = 0
    delete_time_us: int = 0
    request_id: str = ""
    # Proto-encoded content the domain stores but does not interpret (cards, annotations, attachments...).
    extras: bytes = b""
    sender: User | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Page:
    """One page of a list: the items, and the keyset position after the last one (None at the end)."""

    items: list
    next_position: tuple | None
