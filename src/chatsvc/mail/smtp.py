"""The product's own mail service, reached over SMTP (aiosmtplib).

One SmtpSender serves one campaign run and keeps its connection open between messages (a 500-recipient
campaign is 500 transactions on one connection, not 500 handshakes). Any failure closes the connection;
the next message opens a new one.

SMTP cannot say whether a message went out before a crash, so find_sent() answers None and a message in
doubt is sent again (with the same Message-ID, which receivers use to collapse duplicates).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import aiosmtplib

from chatsvc.mail.mime import build_message, envelope_recipients
from chatsvc.mail.outgoing import OutgoingEmail, SendError

IDLE_RECONNECT_SECONDS = 10.0  # a connection idle longer than this may have been dropped by the server


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str = "none"  # none | starttls | tls
    username: str = ""
    password: str = ""
    timeout_seconds: float = 30.0

    def __post_init__(self):
        if self.tls not in ("none", "starttls", "tls"):
            raise ValueError(f"smtp_tls must be none, starttls or tls, not {self.tls!r}")


class SmtpSender:
    def __init__(self, settings: SmtpSettings):
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None
        self._last_use = 0.0

    async def send(self, email: OutgoingEmail) -> str:
        recipients = envelope_recipients(email)
        if not recipients:
            raise SendError("the message has no recipient", transient=False)
        message = build_message(email)
        try:
            client = await self._connection()
            refused, reply = await client.send_message(message, sender=email.from_address, recipients=recipients)
        except aiosmtplib.SMTPRecipientsRefused as error:  # every recipient refused
            await self.close()
            codes = [refusal.code for refusal in error.recipients]
            detail = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
            raise SendError(f"SMTP refused the recipients: {detail}",
                            transient=all(400 <= code < 500 for code in codes)) from None
        except aiosmtplib.SMTPResponseException as error:
            await self.close()
            raise SendError(f"SMTP replied {error.code} {error.message}",
                            transient=400 <= error.code < 500) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:  # connection lost, refused, timed out
            await self.close()
            raise SendError(f"SMTP server unreachable: {error}", transient=True) from None
        self._last_use = time.monotonic()
        # Some recipients refused but not all: the message went out to the rest, which is what counts here.
        return (reply or email.message_id)[:255]

    async def find_sent(self, message_id: str) -> str | None:
        return None  # SMTP keeps no record we could ask

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._client is not None and (not self._client.is_connected
                                         or time.monotonic() - self._last_use > IDLE_RECONNECT_SECONDS):
            await self.close()
        if self._client is None:
            s = self._settings
            client = aiosmtplib.SMTP(hostname=s.host, port=s.port, timeout=s.timeout_seconds,
                                     use_tls=s.tls == "tls", start_tls=s.tls == "starttls",
                                     username=s.username or None, password=s.password or None)
            await client.connect()
            self._client = client
        return self._client
