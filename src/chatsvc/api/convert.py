"""Small conversions shared by the API modules."""
from __future__ import annotations

from google.chat.v1 import user_pb2
from google.protobuf import timestamp_pb2

from chatsvc.aip.names import user_name
from chatsvc.domain.models import User
from chatsvc.domain.webhooks import is_webhook_user


def timestamp(micros: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=micros // 1_000_000, nanos=(micros % 1_000_000) * 1000)


def micros(ts: timestamp_pb2.Timestamp) -> int:
    return ts.seconds * 1_000_000 + ts.nanos // 1000


def user(u: User | None) -> user_pb2.User:
    """A user as Chat returns it: the canonical name and type (Chat omits email and display names, except the
    name of an incoming webhook, which its messages are shown under)."""
    if u is None:
        return user_pb2.User()
    if is_webhook_user(u):
        return user_pb2.User(name=user_name(u.id), type=int(u.type), display_name=u.display_name)
    return user_pb2.User(name=user_name(u.id), type=int(u.type))
