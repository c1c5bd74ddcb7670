"""Chat's classic interaction event JSON, built from the same resource protos the API returns (proto3 JSON).

{"type": "MESSAGE" | "ADDED_TO_SPACE" | "REMOVED_FROM_SPACE", "eventTime": RFC 3339, "space": Space, "message":
Message (MESSAGE), "thread": the message's Thread, "user": the User who caused it, "common": {"hostApp": "CHAT"}}. The
user carries its display name and, as in Google's events, its `email` (the one field the User proto lacks). Built at
delivery time from the ids the outbox row keeps: a message edited meanwhile is sent as it is then.

A slash command or a link preview is a MESSAGE event like any other: what makes it one is on the message, as the API
returns it (`slashCommand`, the SLASH_COMMAND annotation and `argumentText` without the command; `matchedUrl`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from google.protobuf import json_format

from chatsvc.api.convert import timestamp
from chatsvc.api.convert import user as user_proto
from chatsvc.api.message_protos import message_proto
from chatsvc.api.space_protos import space_proto
from chatsvc.domain.models import Message, User, UserType
from chatsvc.domain.ports import Repositories
from chatsvc.events.records import EventType, QueuedEvent


@dataclass(frozen=True)
class BuiltEvent:
    body: dict
    message: Message | None  # the message of a MESSAGE event, as sent


def _json(proto) -> dict:
    return json_format.MessageToDict(proto)


def _user(user: User | None, user_id: str) -> dict:
    if user is None:
        return _json(user_proto(User(id=user_id, type=UserType.HUMAN)))
    proto = user_proto(user)
    proto.display_name = user.display_name or user.email
    body = _json(proto)
    if user.email:
        body["email"] = user.email
    return body


async def build(repos: Repositories, event: QueuedEvent) -> BuiltEvent | None:
    """The event's JSON, or None when what it is about is gone (the space, a deleted message)."""
    space = await repos.spaces.get(event.space_id)
    if space is None:
        return None
    message = None
    if event.event_type is EventType.MESSAGE:
        message = await repos.messages.get(event.space_id, event.message_id)
        if message is None or message.delete_time_us:
            return None
    users = await repos.users.get_many({event.user_id} | ({message.sender_id} if message else set()))
    body: dict = {"type": event.event_type.value,
                  "eventTime": timestamp(event.event_time_us).ToJsonString(),
                  "space": _json(space_proto(space))}
    if message is not None:
        message = replace(message, sender=users.get(message.sender_id))
        proto = message_proto(message)
        proto.space.CopyFrom(space_proto(space))
        body["message"] = _json(proto)
        body["thread"] = _json(proto.thread)
    body["user"] = _user(users.get(event.user_id), event.user_id)
    body["common"] = {"hostApp": "CHAT"}
    return BuiltEvent(body, message)
