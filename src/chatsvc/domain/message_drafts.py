"""What a message request asks for, before the rules have looked at it: drafts, patches, quote references."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from chatsvc.aip.names import MemberRef
from chatsvc.domain.models import QuoteType


class ReplyOption(IntEnum):
    """google.chat.v1.CreateMessageRequest.MessageReplyOption, by value."""

    START_NEW_THREAD = 0
    REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD = 1
    REPLY_MESSAGE_OR_FAIL = 2


@dataclass(frozen=True)
class QuoteRef:
    """What a request says it quotes."""

    space_id: str
    message_id: str  # a system id or a client-assigned id
    last_update_time_us: int
    quote_type: QuoteType = QuoteType.REPLY


@dataclass(frozen=True)
class MessageDraft:
    text: str = ""
    # Proto-encoded parts the API layer keeps with the message (see models.Message).
    cards: bytes = b""
    cards_v2: bytes = b""
    widgets: bytes = b""
    attachments: bytes = b""
    # The upload token of each attachment as sent ("" for one without): CreateMessage and UpdateMessage turn
    # the uploads they name into the message's attachments (domain/attachments.py).
    upload_tokens: tuple[str, ...] = ()
    extras: bytes = b""
    # The first field present that only a Chat app may send (cards, accessory widgets, private messages...).
    app_only_field: str = ""
    viewer: MemberRef | None = None
    quote: QuoteRef | None = None
    create_time_us: int = 0  # honoured in import mode only
    thread_id: str = ""
    thread_key: str = ""
    reply_option: ReplyOption = ReplyOption.START_NEW_THREAD
    client_id: str = ""
    request_id: str = ""


# UpdateMessage's update_mask paths, and which of them need app authentication.
UPDATABLE = ("text", "attachment", "cards", "cards_v2", "accessory_widgets", "quoted_message_metadata")
# path -> the MessageDraft attribute holding its value
APP_ONLY_UPDATES = {"cards": "cards", "cards_v2": "cards_v2", "accessory_widgets": "widgets"}


@dataclass(frozen=True)
class MessagePatch:
    """An UpdateMessage: the new values in `draft`, the paths to apply in `fields`; `full` for `*`."""

    fields: frozenset[str]
    draft: MessageDraft
    full: bool = False
