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
    # Proto-encoded settings the domain stores but does not interpret.
    extras: bytes = b""
    # Permission -> PermissionSetting (domain.permissions); empty means the collaboration defaults.
    permissions: dict = field(default_factory=dict)
    # The target audience (`audiences/{audience}`) that may discover and join the space; empty: private.
    audience: str = ""
    # Access permission setting name -> audience names it grants (discover / join / view membership).
    access_permissions: dict = field(default_factory=dict)
    # Import-mode spaces are deleted if still importing at this time; 0 outside import mode.
    import_mode_expire_time_us: int = 0


@dataclass
class Membership:
    space_id: str
    member_id: str  # a user id, or a group id for Google Groups
    role: MembershipRole
    state: MembershipState
    is_group: bool = False
    create_time_us: int = 0
    delete_time_us: int = 0


class DeletionType(IntEnum):
    """google.chat.v1.DeletionMetadata.DeletionType, by value: who deleted a message, and how."""

    UNSPECIFIED = 0
    CREATOR = 1
    SPACE_OWNER = 2
    ADMIN = 3
    APP_MESSAGE_EXPIRY = 4
    CREATOR_VIA_APP = 5
    SPACE_OWNER_VIA_APP = 6
    SPACE_MEMBER = 7


class QuoteType(IntEnum):
    """google.chat.v1.QuotedMessageMetadata.QuoteType, by value."""

    UNSPECIFIED = 0
    REPLY = 1
    FORWARD = 2


@dataclass(frozen=True)
class Mention:
    """An @mention in a message's text. Offsets count UTF-16 code units of the stored (rendered) text; the
    user's type and name are kept as they were when the message was written, so reading needs no lookup."""

    start: int
    length: int
    user_id: str  # "all" for @all
    user_type: UserType = UserType.UNSPECIFIED
    display_name: str = ""


@dataclass(frozen=True)
class Quote:
    """The message another message quotes, with a snapshot of the quoted sender and text."""

    space_id: str
    message_id: str
    last_update_time_us: int
    quote_type: QuoteType = QuoteType.REPLY
    sender_id: str = ""
    text: str = ""
    source_space_display_name: str = ""  # FORWARD only


@dataclass(frozen=True)
class SlashCommand:
    """The slash command a message is (its text starts with `/name`): the app's command as it was when the
    message was written, kept so reading the message needs no lookup. It spans the text's first `length` UTF-16
    code units."""

    length: int
    app_user_id: str  # the app's user (type BOT)
    app_display_name: str
    command_id: int
    command_name: str  # with its `/`, as the app registered it
    opens_dialog: bool = False


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
    # Proto-encoded content the domain stores but does not interpret, one blob per part a caller can update
    # on its own (cards, cards_v2, accessory widgets, attachments), and `extras` for the rest.
    extras: bytes = b""
    cards: bytes = b""
    cards_v2: bytes = b""
    widgets: bytes = b""
    attachments: bytes = b""
    thread_reply: bool = False
    viewer_id: str = ""  # private messages: the only user who may see it
    deletion_type: DeletionType = DeletionType.UNSPECIFIED
    mentions: tuple[Mention, ...] = ()
    quote: Quote | None = None
    # What a user's message triggered in Chat apps (chatsvc.domain.app_triggers): the slash command it is, and
    # the first link in it that an app in the space previews (Google's `matchedUrl`).
    slash_command: SlashCommand | None = None
    matched_url: str = ""
    sender: User | None = field(default=None, compare=False)
    # Read with the message (GetMessage, ListMessages): one ReactionSummary per emoji used, by first use.
    reaction_summaries: tuple[ReactionSummary, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Emoji:
    """A reaction's emoji: a unicode one, or a custom emoji by uid (with its immutable resource id and
    `:name:`, kept so reading a reaction needs no lookup)."""

    unicode: str = ""
    custom_uid: str = ""
    custom_id: str = ""
    custom_name: str = ""

    @property
    def key(self) -> tuple[int, str]:
        """What makes two reactions' emoji the same: (1, unicode) or (2, custom uid)."""
        return (2, self.custom_uid) if self.custom_uid else (1, self.unicode)


@dataclass(frozen=True)
class Reaction:
    space_id: str
    message_id: str
    id: str
    user_id: str
    emoji: Emoji
    create_time_us: int
    user: User | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ReactionSummary:
    emoji: Emoji
    count: int


@dataclass(frozen=True)
class MessagePin:
    """A pinned message; named after the message it pins."""

    space_id: str
    message_id: str
    pinner_id: str
    create_time_us: int


@dataclass(frozen=True)
class Attachment:
    """An uploaded file. It starts as an upload, known by its token; once a message carries the token it is
    one of that message's attachments (`message_id` set) and has a resource name."""

    space_id: str
    id: str
    uploader_id: str
    upload_token: str
    content_name: str
    content_type: str
    size_bytes: int
    blob_key: str
    create_time_us: int
    message_id: str = ""


@dataclass(frozen=True)
class CustomEmoji:
    """An organization's custom emoji. `emoji_name` keeps its colons (`:party-parrot:`)."""

    id: str
    uid: str
    emoji_name: str
    creator_id: str
    content_type: str
    size_bytes: int
    blob_key: str
    create_time_us: int
    customer: str = ""


@dataclass(frozen=True)
class Page:
    """One page of a list: the items, and the keyset position after the last one (None at the end)."""

    items: list
    next_position: tuple | None
