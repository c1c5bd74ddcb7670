"""A mix of writes (messages created, edited and deleted; reactions added; members added and removed) and what
must hold after a SIGKILL and a restart: an acknowledged write is in effect, and the one write a worker had in
flight when the server died either took effect or did not (never half)."""
from __future__ import annotations

import uuid
from collections import Counter

import grpc
from google.chat.v1 import membership_pb2, message_pb2, reaction_pb2

from tests.durability.support import CALL_SECONDS, Crashable, all_messages, bounded, unavailable_after_kill

OWNER = "alice@example.com"
EDITS = 4  # updates of a message before it is deleted
EMOJI = tuple(chr(code) for code in range(0x1F600, 0x1F606))  # reactions on a message before the next one


class Stopped(Exception):
    """The server is gone: the worker ends."""


class MixedLoad:
    """`workers(n)`: n loops, in turn an editor, a reactor and a recruiter, in a space of OWNER's; `check()`
    after each restart.

    `allowed` holds the states each resource may be in, as the calls' outcomes say: one state after an
    acknowledged write, the old or the new one while a write's response is missing. Keys: ("message", name)
    -> text or None (absent); ("reaction", message name, emoji) and ("member", email) -> present or not. Each
    resource is written by one worker only, one call at a time."""

    def __init__(self, server: Crashable, space: str):
        self.server = server
        self.space = space
        self.md = server.md(OWNER)
        self.allowed: dict[tuple, set] = {}
        self.acked = Counter()

    def workers(self, count: int) -> list:
        kinds = (self._editor, self._reactor, self._recruiter)
        roles = [kinds[n % len(kinds)] for n in range(count)]
        return [lambda role=role: self._until_stopped(role) for role in roles]

    def unsettled(self) -> int:
        return sum(1 for states in self.allowed.values() if len(states) > 1)

    @staticmethod
    async def _until_stopped(role) -> None:
        try:
            await role()
        except Stopped:
            return

    async def _write(self, kind: str, key: tuple, new_state, call):
        before = self.allowed.get(key, {None if key[0] == "message" else False})
        assert len(before) == 1, f"{key} is written while an earlier write is unsettled"
        self.allowed[key] = before | {new_state}
        try:
            reply = await call
        except grpc.aio.AioRpcError as error:
            unavailable_after_kill(error)
            raise Stopped from error
        self.allowed[key] = {new_state}
        self.acked[kind] += 1
        return reply

    async def _new_message(self) -> str:
        chat, md = self.server.chat, self.md
        name = f"{self.space}/messages/client-{uuid.uuid4().hex[:20]}"
        text = f"durability {uuid.uuid4().hex}"
        await self._write("create message", ("message", name), text, chat.CreateMessage(
            message_pb2.CreateMessageRequest(parent=self.space, message_id=name.rsplit("/", 1)[1],
                                             message=message_pb2.Message(text=text)),
            metadata=md, timeout=CALL_SECONDS))
        return name

    async def _editor(self) -> None:
        chat, md = self.server.chat, self.md
        while True:
            name = await self._new_message()
            for _ in range(EDITS):
                text = f"edited {uuid.uuid4().hex}"
                await self._write("update message", ("message", name), text, chat.UpdateMessage(
                    message_pb2.UpdateMessageRequest(message=message_pb2.Message(name=name, text=text),
                                                     update_mask={"paths": ["text"]}),
                    metadata=md, timeout=CALL_SECONDS))
            await self._write("delete message", ("message", name), None, chat.DeleteMessage(
                message_pb2.DeleteMessageRequest(name=name), metadata=md, timeout=CALL_SECONDS))

    async def _reactor(self) -> None:
        chat, md = self.server.chat, self.md
        while True:
            name = await self._new_message()
            for emoji in EMOJI:
                await self._write("create reaction", ("reaction", name, emoji), True, chat.CreateReaction(
                    reaction_pb2.CreateReactionRequest(parent=name, reaction=reaction_pb2.Reaction(
                        emoji=reaction_pb2.Emoji(unicode=emoji))), metadata=md, timeout=CALL_SECONDS))

    async def _recruiter(self) -> None:
        chat, md = self.server.chat, self.md
        while True:
            email = f"member-{uuid.uuid4().hex[:12]}@example.com"
            await self._write("create membership", ("member", email), True, chat.CreateMembership(
                membership_pb2.CreateMembershipRequest(parent=self.space, membership=membership_pb2.Membership(
                    member={"name": f"users/{email}"})), metadata=md, timeout=CALL_SECONDS))
            await self._write("delete membership", ("member", email), False, chat.DeleteMembership(
                membership_pb2.DeleteMembershipRequest(name=f"{self.space}/members/{email}"), metadata=md,
                timeout=CALL_SECONDS))

    async def check(self) -> None:
        """Reads every resource back, checks it is in a state the calls allow, and records that state."""
        actual = {("message", f"{self.space}/messages/{m.client_assigned_message_id}"): m.text
                  for m in await all_messages(self.server, self.md, self.space)}
        reactions = await self._reactions({key[1] for key in self.allowed
                                           if key[0] == "reaction" and actual.get(("message", key[1]))})
        emails = sorted(key[1] for key in self.allowed if key[0] == "member")
        present = dict(zip(emails, await bounded([lambda e=e: self._is_member(e) for e in emails]), strict=True))
        for key in self.allowed:
            if key[0] == "message":
                actual.setdefault(key, None)
            elif key[0] == "reaction":
                actual[key] = key[2] in reactions.get(key[1], ())
            else:
                actual[key] = present[key[1]]
        wrong = {key: (state, self.allowed.get(key)) for key, state in actual.items()
                 if state not in self.allowed.get(key, {None})}  # a message never sent is wrong too
        assert wrong == {}, f"{len(wrong)} resources not as the calls said (state, allowed): {list(wrong.items())[:5]}"
        for key, state in actual.items():
            self.allowed[key] = {state}

    async def _reactions(self, messages: set[str]) -> dict[str, set[str]]:
        found = {}

        async def of(name: str) -> None:
            page = await self.server.chat.ListReactions(reaction_pb2.ListReactionsRequest(
                parent=name, page_size=200), metadata=self.md, timeout=CALL_SECONDS)
            emoji = [reaction.emoji.unicode for reaction in page.reactions]
            assert len(emoji) == len(set(emoji)), f"a reaction is stored twice on {name}"
            found[name] = set(emoji)

        await bounded([lambda name=name: of(name) for name in sorted(messages)])
        return found

    async def _is_member(self, email: str) -> bool:
        try:
            await self.server.chat.GetMembership(membership_pb2.GetMembershipRequest(
                name=f"{self.space}/members/{email}"), metadata=self.md, timeout=CALL_SECONDS)
        except grpc.aio.AioRpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND, error.details()
            return False
        return True
