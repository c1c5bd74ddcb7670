"""chatsvc.live.v1 LiveService: StreamEvents, and its resume tokens."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

from chatsvc.aip.names import space_name
from chatsvc.api.convert import timestamp
from chatsvc.api.space_events import space_event_proto
from chatsvc.auth.interceptor import bearer_token
from chatsvc.auth.tokens import TokenService
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.live_events import LiveEvents, LiveItem, ResumePoint
from chatsvc.domain.principal import current_principal
from chatsvc.live.v1 import live_service_pb2, live_service_pb2_grpc

SERVICE = live_service_pb2.DESCRIPTOR.services_by_name["LiveService"].full_name
_SIG_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ResumeTokens:
    """Resume points as opaque tokens: JSON, signed with a key of their own derived from the server's key, so
    every process on one database reads the others' tokens and nobody else can make one."""

    def __init__(self, key: bytes):
        self._key = hashlib.sha256(b"chatsvc live resume tokens\0" + key).digest()

    def issue(self, point: ResumePoint) -> str:
        payload = json.dumps([point.user_id, point.floor_us, point.floor_id, ",".join(point.seen)],
                             separators=(",", ":")).encode()
        return _b64(payload) + "." + _b64(self._sign(payload))

    def read(self, token: str) -> ResumePoint:
        try:
            body, _, signature = token.partition(".")
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload)):
                raise ValueError("bad signature")
            user_id, floor_us, floor_id, seen = json.loads(payload)
            if not (isinstance(user_id, str) and type(floor_us) is int and isinstance(floor_id, str)
                    and isinstance(seen, str)):
                raise ValueError("bad fields")
        except (ValueError, TypeError):
            raise InvalidArgument.field("resume_token", "is not a resume token this server issued") from None
        return ResumePoint(user_id, floor_us, floor_id, tuple(seen.split(",")) if seen else ())

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_SIG_BYTES]


def live_event_proto(item: LiveItem, token: str) -> live_service_pb2.LiveEvent:
    if item.view is None:
        return live_service_pb2.LiveEvent(resume_token=token, opened=True)
    event = item.view.event
    return live_service_pb2.LiveEvent(
        resume_token=token, space=space_name(event.space_id), event_type=event.event_type.value,
        resource_name=event.resource_name, event_time=timestamp(event.event_time_us),
        space_event=space_event_proto(item.view))


class LiveService(live_service_pb2_grpc.LiveServiceServicer):
    """`credentials`: the server's bearer tokens, asked again while a stream lasts (the gate checked them once, at
    its start)."""

    def __init__(self, live: LiveEvents, tokens: ResumeTokens, credentials: TokenService):
        self.live = live
        self._tokens = tokens
        self._credentials = credentials

    async def StreamEvents(self, request, context):
        resume = self._tokens.read(request.resume_token) if request.resume_token else None
        metadata = context.invocation_metadata()

        async def still_allowed() -> None:  # the token has not expired, nor its grant been revoked
            principal = self._credentials.verify(bearer_token(metadata) or "")
            await self._credentials.check_grant(principal)

        async for item in self.live.stream(current_principal(), resume, still_allowed):
            yield live_event_proto(item, self._tokens.issue(item.resume))
