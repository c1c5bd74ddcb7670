"""One HTTP delivery of an event to a Chat app: the POST, its answer, and the reply read as chatsvc acts on it.

Shared by the worker (queued events) and a Chat client's interactions (chatsvc.domain.app_interactions, which wait
for it): the event JSON, in the app's format (chatsvc.events.formats), POSTed to the app's endpoint with
`Authorization: Bearer` an ID token for the app's audience and `User-Agent: Google-Dynamite`, within the timeout.
A 2xx answer's body is read as the app's format's reply and parsed (chatsvc.events.replies). What went wrong is
said once, in `Exchange.error`, with `cause` naming its kind for callers that report it (ErrorInfo metadata).

The record keeps the body and the headers as sent, less the ID token: `Bearer REDACTED` for the Authorization
header's value, `REDACTED` wherever the token stood in the body (the add-on format's
`authorizationEventObject.systemIdToken`). The token itself is never stored.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import aiohttp

from chatsvc.domain.app_replies import Reply
from chatsvc.domain.chat_apps import ChatApp
from chatsvc.events import formats, replies
from chatsvc.events.records import REDACTED, Delivery, Outcome

USER_AGENT = "Google-Dynamite"
MAX_REPLY_BYTES = 1 << 20  # read at most this much of a reply
KEPT_REPLY_CHARS = 4096  # the reply body kept on record, clipped

# Exchange.cause values
TIMEOUT, UNREACHABLE, HTTP_STATUS, NOT_JSON, INVALID_REPLY, FORMAT = (
    "TIMEOUT", "UNREACHABLE", "HTTP_STATUS", "NOT_JSON", "INVALID_REPLY", "FORMAT")


@dataclass
class Exchange:
    """A POST and its answer: the reply parsed (None for an empty body or `{}`), or what went wrong."""

    event_json: str  # the body as recorded: the ID token it may carry redacted
    request_headers: tuple[tuple[str, str], ...] = ()  # as recorded: Authorization redacted
    status_code: int = 0  # 0: no HTTP answer
    raw: bytes = b""
    latency_ms: int = 0
    reply: Reply | None = None
    error: str = ""
    cause: str = ""  # one of the constants above when `error` is set

    def record(self, outcome: Outcome, *, error: str = "", reply_message_id: str = "",
               delivered_time_us: int = 0) -> Delivery:
        """The delivery record of this exchange with the outcome chatsvc gave it."""
        return Delivery(outcome, event_json=self.event_json, status_code=self.status_code,
                        latency_ms=self.latency_ms, reply=self.raw.decode("utf-8", "replace")[:KEPT_REPLY_CHARS],
                        error=error or self.error, reply_message_id=reply_message_id,
                        delivered_time_us=delivered_time_us, request_headers=self.request_headers)


class Deliverer:
    """With `keep_session` (the worker, which closes it on stop) one HTTP client session serves every delivery;
    without, each exchange has its own (a user's interaction: nothing to close)."""

    def __init__(self, identity, timeout_seconds: float, *, keep_session: bool = True):
        self._identity = identity  # chatsvc.events.identity.EventIdentity
        self.timeout_seconds = timeout_seconds
        self._keep = keep_session
        self._session: aiohttp.ClientSession | None = None

    def _new_session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_seconds))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    @staticmethod
    def body_for(app: ChatApp, event: dict, token: str = "") -> str:
        """The event as the app reads it, serialised (an add-on event carries the request's ID token);
        formats.ReplyFormatError when its format cannot carry it."""
        return json.dumps(formats.event_for(app, event, system_id_token=token), separators=(",", ":"))

    async def exchange(self, app: ChatApp, event: dict, space_id: str) -> Exchange:
        """POSTs the classic `event` in the app's format to its endpoint and reads its answer; never raises for
        the app's faults."""
        token = await asyncio.to_thread(self._identity.id_token_for, app.authentication_audience)
        try:
            body = self.body_for(app, event, token)
        except formats.ReplyFormatError as e:
            return Exchange("", error=str(e), cause=FORMAT)
        headers = {"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT,
                   "Content-Type": "application/json; charset=UTF-8"}
        result = Exchange(_without_token(body, token), tuple(
            (name, f"Bearer {REDACTED}" if name == "Authorization" else value) for name, value in headers.items()))
        started = time.monotonic()
        try:
            if self._keep:
                if self._session is None or self._session.closed:  # made on the loop that first uses it
                    self._session = self._new_session()
                await self._post(self._session, app.endpoint_url, body, headers, result)
            else:
                async with self._new_session() as session:
                    await self._post(session, app.endpoint_url, body, headers, result)
        except TimeoutError:
            return _failed(result, started, TIMEOUT, f"no answer within {self.timeout_seconds:g} s")
        except aiohttp.ClientError as e:
            return _failed(result, started, UNREACHABLE, f"{type(e).__name__}: {e}")
        result.latency_ms = int((time.monotonic() - started) * 1000)
        if not 200 <= result.status_code < 300:
            return _failed(result, started, HTTP_STATUS, f"the app answered HTTP {result.status_code}")
        if not result.raw.strip():
            return result
        try:
            answer = json.loads(result.raw)
        except ValueError:
            return _failed(result, started, NOT_JSON, "the reply is not JSON")
        try:
            if not isinstance(answer, dict):
                raise replies.ReplyError("the reply is not a JSON object")
            result.reply = replies.parse(formats.classic_reply(app, answer), space_id)
        except (replies.ReplyError, formats.ReplyFormatError) as e:
            return _failed(result, started, INVALID_REPLY, str(e))
        return result

    @staticmethod
    async def _post(session: aiohttp.ClientSession, url: str, body: str, headers: dict, result: Exchange) -> None:
        async with session.post(url, data=body.encode(), headers=headers, allow_redirects=False) as response:
            result.status_code = response.status
            result.raw = await response.content.read(MAX_REPLY_BYTES)


def _without_token(body: str, token: str) -> str:
    """The body with every occurrence of the ID token replaced (a JWT needs no JSON escaping, so it appears
    verbatim wherever a format put it)."""
    return body.replace(token, REDACTED) if token else body


def _failed(result: Exchange, started: float, cause: str, error: str) -> Exchange:
    if not result.latency_ms:
        result.latency_ms = int((time.monotonic() - started) * 1000)
    result.error, result.cause = error, cause
    return result
