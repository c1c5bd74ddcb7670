"""What the outbox of Chat app events keeps: the queued event, its state, and the record of its delivery."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

# What stands on record for a credential: chatsvc never stores the ID token it sends with an event.
REDACTED = "REDACTED"


class EventType(str, Enum):
    MESSAGE = "MESSAGE"
    ADDED_TO_SPACE = "ADDED_TO_SPACE"
    REMOVED_FROM_SPACE = "REMOVED_FROM_SPACE"
    # A Chat client's interactions (chatsvc.domain.app_interactions), delivered while the caller waits.
    CARD_CLICKED = "CARD_CLICKED"  # a card's action clicked; dialogs opened, submitted and cancelled too
    WIDGET_UPDATED = "WIDGET_UPDATED"  # autocomplete of a card's input
    APP_COMMAND = "APP_COMMAND"  # a quick command run


class EventState(IntEnum):
    QUEUED = 0
    DELIVERING = 1  # claimed by `lease_owner` until `lease_until_us`
    DONE = 2


class Outcome(str, Enum):
    REPLIED = "replied"  # the reply took effect: a message posted or updated (`reply_message_id`), or a dialog,
    # action status or suggestions handed back to the caller of a synchronous interaction
    NO_REPLY = "no_reply"  # 2xx with an empty body or `{}`
    FAILED = "failed"  # timeout, connection error, error status, non-JSON or an invalid reply (`error`)
    SKIPPED = "skipped"  # the app, its endpoint or the space was gone by delivery time


@dataclass(frozen=True)
class QueuedEvent:
    id: str
    app_name: str
    event_type: EventType
    space_id: str
    user_id: str  # who caused it: the message's sender, who added or removed the app
    event_time_us: int
    message_id: str = ""


@dataclass(frozen=True)
class Delivery:
    """The record of one delivery attempt, kept on the event's row."""

    outcome: Outcome
    event_json: str = ""
    status_code: int = 0  # 0: no HTTP answer
    latency_ms: int = 0
    reply: str = ""  # the reply body, clipped
    error: str = ""
    reply_message_id: str = ""
    delivered_time_us: int = 0
    # The request headers sent, in order; Authorization as `Bearer REDACTED`. None for a Pub/Sub publish.
    request_headers: tuple[tuple[str, str], ...] = ()
