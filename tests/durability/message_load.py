"""Concurrent CreateMessage calls, each with its own request_id and a unique nonce in its text, and what must
hold after a SIGKILL and a restart: every message whose response was received is stored with its text, none
is stored twice, and a retry of every call that got no response (same request_id, AIP-155) returns the one
message it may already have made, or makes it now."""
from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass

import grpc
from google.chat.v1 import message_pb2

from tests.durability.support import CALL_SECONDS, Crashable, all_messages, bounded, unavailable_after_kill

MEMBERS = ("alice@example.com", "bob@example.com", "carol@example.com")
ACKED_RETRIES = 20  # acknowledged request_ids retried after each restart: they must return the same message


@dataclass
class Sent:
    sender: str
    text: str
    name: str = ""  # set once a response is received


class MessageLoad:
    """`workers(n)`: n loops of CreateMessage into one space of MEMBERS; `check()` after each restart."""

    def __init__(self, server: Crashable, space: str, rng: random.Random):
        self.server = server
        self.space = space
        self.rng = rng
        self.md = {email: server.md(email) for email in MEMBERS}
        self.ledger: dict[str, Sent] = {}  # by request_id
        self.figures = Counter()
        self._fetched: set[str] = set()  # request_ids whose message GetMessage has returned

    def workers(self, count: int) -> list:
        senders = [MEMBERS[n % len(MEMBERS)] for n in range(count)]
        return [lambda sender=sender: self._worker(sender) for sender in senders]

    async def _worker(self, sender: str) -> None:
        while True:
            request_id = f"dur-{uuid.uuid4().hex}"
            sent = self.ledger[request_id] = Sent(sender, f"durability nonce {uuid.uuid4().hex}")
            try:
                reply = await self._create(request_id, sent)
            except grpc.aio.AioRpcError as error:
                unavailable_after_kill(error)
                return
            assert reply.text == sent.text
            sent.name = reply.name
            self.figures["acknowledged"] += 1

    def _create(self, request_id: str, sent: Sent):
        return self.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=self.space, request_id=request_id, message=message_pb2.Message(text=sent.text)),
            metadata=self.md[sent.sender], timeout=CALL_SECONDS)

    async def check(self) -> None:
        server, ledger = self.server, self.ledger
        owner = self.md[MEMBERS[0]]
        stored = await all_messages(server, owner, self.space)
        by_text = Counter(message.text for message in stored)
        assert [text for text, count in by_text.items() if count > 1] == [], "a message is stored twice"
        names = {message.text: message.name for message in stored}
        pending = {request_id: sent for request_id, sent in ledger.items() if not sent.name}
        acked = {request_id: sent for request_id, sent in ledger.items() if sent.name}

        # (a) nothing acknowledged is lost, and its text is the one sent
        lost = [sent for sent in acked.values() if names.get(sent.text) != sent.name]
        assert lost == [], f"{len(lost)} acknowledged messages are not stored, e.g. {lost[:3]}"

        async def get(sent: Sent):
            message = await server.chat.GetMessage(message_pb2.GetMessageRequest(name=sent.name),
                                                   metadata=self.md[sent.sender], timeout=CALL_SECONDS)
            assert message.text == sent.text

        # each message once by name (ListMessages covers them all again after every later crash)
        await bounded([lambda sent=sent: get(sent) for r, sent in acked.items() if r not in self._fetched])
        self._fetched.update(acked)

        # (c) a retry with the same request_id returns the message the lost response was for, or makes it now
        self.figures["unacknowledged"] += len(pending)
        self.figures["unacknowledged but stored"] += sum(1 for sent in pending.values() if sent.text in names)

        async def retry(request_id: str) -> str:
            reply = await self._create(request_id, ledger[request_id])
            assert reply.text == ledger[request_id].text
            return reply.name

        sample = self.rng.sample(sorted(acked), min(ACKED_RETRIES, len(acked)))
        again = await bounded([lambda r=r: retry(r) for r in sample])
        assert again == [ledger[r].name for r in sample], "a retried acknowledged request made a new message"
        retried = await bounded([lambda r=r: retry(r) for r in pending])
        for (request_id, sent), name in zip(pending.items(), retried, strict=True):
            assert names.get(sent.text, name) == name, f"the retry of {request_id} made a second message"
            sent.name = name

        # (b) one stored message per request_id, and nothing stored that was not sent
        stored = await all_messages(server, owner, self.space)
        assert sorted(message.text for message in stored) == sorted(sent.text for sent in ledger.values())
        assert {message.name for message in stored} == {sent.name for sent in ledger.values()}
