"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records every message it accepts.

It runs in its own thread (aiosmtpd's Controller), so a server under test in this process or in a child
process talks to it over a real socket. `delay` slows every DATA down. Replies can be scripted: `replies` is
a queue of SMTP replies given to the next DATA commands instead of `250` (e.g. ["451 4.3.0 try later"] * 2).
`stop()` takes it off the air (connections are refused) and `start()` brings it back on the same port.
"""
from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


class _Handler:
    def __init__(self, owner: FakeSmtp):
        self._owner = owner

    async def handle_DATA(self, server, session, envelope):
        if self._owner.delay:
            await asyncio.sleep(self._owner.delay)
        return self._owner._accept(envelope)


class FakeSmtp:
    def __init__(self):
        self.port = _free_port()
        self.replies: list[str] = []  # scripted replies for the next DATA commands
        self.data_attempts = 0  # every DATA seen, accepted or not
        self.delay = 0.0  # seconds each DATA takes to answer: a slow server
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> FakeSmtp:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> FakeSmtp:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _accept(self, envelope) -> str:
        with self._lock:
            self.data_attempts += 1
            if self.replies:
                return self.replies.pop(0)
            raw = bytes(envelope.original_content or envelope.content)
            parsed = email.message_from_bytes(raw, policy=default_policy)
            self._received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw, parsed))
        return "250 2.0.0 OK queued"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def count(self) -> int:
        with self._lock:
            return len(self._received)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Blocks until at least `count` messages arrived (bounded by `timeout`)."""
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.count()} messages arrived, expected {count} within {timeout}s")
            time.sleep(0.02)
        return self.received


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
