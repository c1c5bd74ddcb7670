"""Messages and threads: create, get, list."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import IntEnum

from chatsvc.aip import ids
from chatsvc.aip.names import message_name
from chatsvc.domain import events
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.models import Message, Page
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

MAX_CONTENT_BYTES = 32_000
_CLIENT_ID = re.compile(r"^client-[a-z0-9-]{1,56}\Z")  # at most 63 characters in all
MAX_THREAD_KEY = 4000
MAX_REQUEST_ID = 128  # the stored column's width; Google recommends a UUID (36 characters)


class ReplyOption(IntEnum):
    """google.chat.v1.CreateMessageRequest.MessageReplyOption, by value."""

    START_NEW_THREAD = 0
    REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD = 1
    REPLY_MESSAGE_OR_FAIL = 2


@dataclass(frozen=True)
class MessageDraft:
    text: str = ""
    # Proto-encoded rich content (cards, widgets, annotations) the API layer keeps with the message.
    extras: bytes = b""
    # Bytes that count against the 32,000-byte limit: the text plus every card.
    content_bytes: int = 0
    has_rich_content: bool = False
    # Content only a Chat app may send (cards_v2, accessory widgets, private messages).
    app_only_field: str = ""
    thread_id: str = ""
    thread_key: str = ""
    reply_option: ReplyOption = ReplyOption.START_NEW_THREAD
    client_id: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class CreatedMessage:
    message: Message
    thread_reply: bool


class Messages:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def create(self, principal: Principal, space_id: str, draft: MessageDraft) -> CreatedMessage:
        _validate(principal, draft)
        sender = await self._directory.caller(principal)
        # thread keys belong to the app the message is sent through
        app = sender if principal.is_app else await self._directory.app(principal.app)

        async def work(repos: Repositories) -> CreatedMessage:
            space, _ = await visible_space(repos, space_id, sender)
            if draft.request_id:
                earlier = await repos.messages.by_request_id(space.id, draft.request_id)
                if earlier is not None:
                    if earlier.sender_id != sender.id:  # Google: reuse by another caller is an error
                        raise AlreadyExists("Another caller already used this `request_id`.",
                                            reason="REQUEST_ID_IN_USE")
                    return CreatedMessage(replace(earlier, sender=sender), await _is_reply(repos, earlier))
            if draft.client_id and await repos.messages.client_id_taken(space.id, draft.client_id):
                raise AlreadyExists(f"A message with id `{draft.client_id}` already exists in this space.",
                                    reason="MESSAGE_ID_IN_USE")
            now = self._clock()
            thread_id, is_reply = await self._thread_for(repos, space.id, app.id, draft, now)
            message = Message(space_id=space.id, id=ids.opaque_id(22), sender_id=sender.id, thread_id=thread_id,
                              create_time_us=now, text=draft.text, client_id=draft.client_id,
                              request_id=draft.request_id, extras=draft.extras, sender=sender)
            await repos.messages.add(message)
            await events.record(repos, space.id, EventType.MESSAGE_CREATED, message_name(space.id, message.id), now)
            await repos.spaces.touch(space.id, now)
            return CreatedMessage(message, is_reply)

        return await write(self._db, work)

    async def _thread_for(self, repos: Repositories, space_id: str, app_id: str, draft: MessageDraft,
                          now: int) -> tuple[str, bool]:
        """The thread a new message goes to, and whether it is a reply in an existing thread."""
        if draft.reply_option != ReplyOption.START_NEW_THREAD:
            if draft.thread_id and await repos.threads.exists(space_id, draft.thread_id):
                return draft.thread_id, True
            if draft.thread_key:
                existing = await repos.threads.by_key(space_id, app_id, draft.thread_key)
                if existing:
                    return existing, True
            # Google: under REPLY_MESSAGE_OR_FAIL "if a new thread_key is used, a new thread is created"; only a
            # thread named by an unknown `thread.name` (or no thread at all) fails.
            if draft.reply_option == ReplyOption.REPLY_MESSAGE_OR_FAIL and (draft.thread_id or not draft.thread_key):
                raise NotFound("The thread to reply to was not found.", reason="THREAD_NOT_FOUND")
        thread_id = ids.opaque_id()
        # A new thread keeps the key it was asked for, so later replies by key find it.
        key = draft.thread_key if draft.reply_option != ReplyOption.START_NEW_THREAD else None
        await repos.threads.add(space_id, thread_id, app_id, key or None, now)
        return thread_id, False

    async def get(self, principal: Principal, space_id: str, message_id: str) -> Message:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Message:
            await visible_space(repos, space_id, caller)
            message = await repos.messages.get(space_id, message_id)
            if message is None or message.delete_time_us:
                raise NotFound(f"Message `{message_name(space_id, message_id)}` not found.",
                               reason="MESSAGE_NOT_FOUND")
            senders = await repos.users.get_many({message.sender_id})
            return replace(message, sender=senders.get(message.sender_id))

        return await read(self._db, work)

    async def list(self, principal: Principal, space_id: str, *, after: tuple | None, limit: int,
                   descending: bool = False, show_deleted: bool = False) -> Page:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            await visible_space(repos, space_id, caller)
            page = await repos.messages.list(space_id, after=after, limit=limit, descending=descending,
                                             show_deleted=show_deleted)
            senders = await repos.users.get_many({m.sender_id for m in page.items})
            return Page([replace(m, sender=senders.get(m.sender_id)) for m in page.items], page.next_position)

        return await read(self._db, work)


async def _is_reply(repos: Repositories, message: Message) -> bool:
    """Whether a stored message was a reply: its thread has an older message."""
    return await repos.messages.thread_has_earlier(message.space_id, message.thread_id, message.create_time_us)


def _validate(principal: Principal, draft: MessageDraft) -> None:
    if not draft.text and not draft.has_rich_content:
        raise InvalidArgument.field("message", "needs text, cards or an attachment")
    if draft.content_bytes > MAX_CONTENT_BYTES:
        raise InvalidArgument.field("message.text", f"text and cards together exceed {MAX_CONTENT_BYTES} bytes")
    if draft.app_only_field and not principal.is_app:
        raise PermissionDenied(f"Only a Chat app (app authentication) can send `{draft.app_only_field}`.",
                               reason="APP_AUTHENTICATION_REQUIRED")
    if draft.client_id and not _CLIENT_ID.match(draft.client_id):
        raise InvalidArgument.field(
            "message_id", "must start with `client-` and have at most 63 lowercase letters, digits and hyphens")
    if len(draft.request_id) > MAX_REQUEST_ID:
        raise InvalidArgument.field("request_id", f"must be at most {MAX_REQUEST_ID} characters")
    if len(draft.thread_key) > MAX_THREAD_KEY:
        raise InvalidArgument.field("message.thread.thread_key", f"must be at most {MAX_THREAD_KEY} characters")

