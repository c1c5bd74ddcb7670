"""One email ready to go, and what every sender (SMTP, Gmail API, Microsoft Graph) promises."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class OutgoingAttachment:
    filename: str
    mime_type: str
    content: bytes
    is_inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class OutgoingEmail:
    message_id: str  # the Message-ID header, `<...@...>`; fixed before the first attempt, the same on retries
    from_name: str
    from_address: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    html: str = ""
    text: str = ""
    in_reply_to: str = ""  # Message-ID replied to (In-Reply-To and References)
    thread_id: str = ""  # Gmail thread to join
    reply_to_message_id: str = ""  # Graph: the id of the message replied to
    attachments: tuple[OutgoingAttachment, ...] = ()
    extra_headers: dict[str, str] = field(default_factory=dict)  # e.g. Feedback-ID
    tags: tuple[str, ...] = ()


class SendError(Exception):
    """Sending failed. `transient`: worth retrying later (timeouts, 4xx SMTP replies, HTTP 429/5xx)."""

    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.message = message
        self.transient = transient


class Sender(Protocol):
    async def send(self, email: OutgoingEmail) -> str:
        """Hands `email` to the provider; returns the provider's id for it. Raises SendError."""
        ...

    async def find_sent(self, message_id: str) -> str | None:
        """For a message in doubt after a crash: the provider's id if a message with this Message-ID was
        already sent, None if it was not, or if the provider cannot tell (then it is sent again)."""
        ...
