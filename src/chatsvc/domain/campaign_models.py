"""What an email campaign is made of: the campaign, its recipient entries and attachments as scheduled,
and what sending produced (messages and per-address outcomes). Enum numbers match chatsvc.campaigns.v1."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

COUNTERS = ("accepted", "delivered", "opened", "clicked", "failed", "rejected", "complained", "unsubscribed",
            "stored")


# A shared message's address lists are read along with each of its campaign emails only up to this size.
ADDRESSES_SHOWN = 50


class Origin(IntEnum):
    GMAIL = 1
    OUTLOOK = 2
    MAILGUN = 3


class SendType(IntEnum):
    TO = 1
    CC = 2
    BCC = 3


class RecipientType(IntEnum):
    EMAIL = 1
    CONTACT = 2
    TAG = 3
    LIST = 4
    BRAND = 5
    ALL_CONTACTS = 6
    AGENT = 7


class CampaignState(IntEnum):
    SCHEDULED = 1
    SENDING = 2
    EXECUTED = 3
    FAILED = 4


class EmailState(IntEnum):  # a campaign email (one address)
    PENDING = 1
    SENT = 2
    FAILED = 3


class MessageState(IntEnum):  # a sent_emails row (one message)
    PENDING = 1
    SENDING = 2  # committed before the provider is called: after a crash, "in doubt"
    SENT = 3
    FAILED = 4


class DeliveryEvent(IntEnum):  # DeliveryEventType; the counter each one bumps is COUNTERS[value - 1]
    ACCEPTED = 1
    DELIVERED = 2
    OPENED = 3
    CLICKED = 4
    FAILED = 5
    REJECTED = 6
    COMPLAINED = 7
    UNSUBSCRIBED = 8
    STORED = 9

    @property
    def counter(self) -> str:
        return COUNTERS[self.value - 1]


@dataclass(frozen=True)
class Counters:
    accepted: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    failed: int = 0
    rejected: int = 0
    complained: int = 0
    unsubscribed: int = 0
    stored: int = 0


@dataclass(frozen=True)
class EmailFile:
    id: str
    user_id: str
    filename: str
    mime_type: str
    size_bytes: int
    origin: Origin
    blob_key: str
    create_time_us: int


@dataclass(frozen=True)
class Recipient:
    """One entry as scheduled; only the fields its type uses are set."""

    id: str
    recipient_type: RecipientType
    send_type: SendType = SendType.TO
    email: str = ""
    contact_id: str = ""
    tag: str = ""
    list_id: str = ""
    brand_ref_id: str = ""
    agent_brand_id: str = ""
    agent_user_id: str = ""


@dataclass(frozen=True)
class Attachment:
    id: str
    file_id: str = ""  # an uploaded EmailFile, or
    url: str = ""  # a URL fetched when sending
    filename: str = ""
    is_inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class Headers:
    in_reply_to: str = ""
    thread_id: str = ""
    message_id: str = ""


@dataclass(frozen=True)
class Campaign:
    id: str  # as in its name; unique within its brand only
    brand_id: str
    creator_id: str
    sender_id: str
    state: CampaignState
    due_time_us: int
    subject: str
    html: str = ""
    text: str = ""
    headers: Headers = Headers()
    tags: tuple[str, ...] = ()
    include_signature: bool = False
    individual: bool = False
    notifications_enabled: bool = False
    google_credential_id: str = ""
    microsoft_credential_id: str = ""
    counters: Counters = Counters()
    sent: int = 0
    recipients_count: int = 0
    planned_recipients: int = 0
    execute_time_us: int = 0
    fail_time_us: int = 0
    failure: str = ""
    failed_within: str = ""
    request_id: str = ""
    create_time_us: int = 0
    update_time_us: int = 0
    delete_time_us: int = 0
    # The storage key (unique everywhere) that its messages, emails and the scheduler refer to.
    key: str = ""
    recipients: tuple[Recipient, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    emails: tuple[CampaignEmail, ...] = field(default=(), compare=False)  # only when asked for


@dataclass(frozen=True)
class SentEmail:
    """One message (sent_emails row)."""

    id: str
    campaign_id: str  # the campaign's storage key (Campaign.key), not the id in its name
    position: int
    state: MessageState
    message_id: str
    attempts: int = 0
    next_attempt_us: int = 0
    from_address: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = ""
    # To, Cc and Bcc together; reads of many campaign emails leave the lists empty above ADDRESSES_SHOWN.
    address_count: int = 0
    provider_message_id: str = ""
    send_time_us: int = 0
    error: str = ""


@dataclass(frozen=True)
class CampaignEmail:
    """The outcome for one address (campaign_emails row), with the message that carried it."""

    id: str
    campaign_id: str  # the campaign's storage key (Campaign.key), not the id in its name
    position: int
    sent_email_id: str
    email_address: str
    send_type: SendType
    state: EmailState
    full_name: str = ""
    contact_id: str = ""
    agent_brand_id: str = ""
    agent_user_id: str = ""
    error: str = ""
    counters: Counters = Counters()
    message: SentEmail | None = None
