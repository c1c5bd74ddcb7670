"""LiveService.StreamEvents over HTTP, as server-sent events (`text/event-stream`) at its binding's path.

The call goes through LocalCalls, so the gate authenticates (`Authorization: Bearer`, as every REST call),
checks scopes and rates and logs it. Errors before the stream opens are Google's JSON errors with their HTTP
status; after, an `event: error` whose data is that JSON error, then the end of the response.

Each message is one SSE event: `id:` its resume token, `data:` the LiveEvent in proto3 JSON; the opening one is
`event: open`, the space events have no event name (`message`). A comment line every HEARTBEAT_SECONDS keeps
proxies from closing an idle stream and finds a client that left. A client resumes with the last id it saw, in
`Last-Event-ID` (what EventSource sends) or the `resume_token` query parameter.
"""
from __future__ import annotations

import asyncio
import json
import time

import grpc
from aiohttp import web
from google.protobuf import json_format

from chatsvc.api import http_errors
from chatsvc.api.live_events import SERVICE
from chatsvc.api.local_calls import CallFailed, LocalCalls
from chatsvc.api.status import internal_status
from chatsvc.domain.errors import DomainError, InvalidArgument
from chatsvc.http.rest import call_metadata, log_refused, system_parameters
from chatsvc.live.v1 import live_service_pb2

PATH = "/v1/live/events"
FULL_METHOD = f"/{SERVICE}/StreamEvents"
HEARTBEAT_SECONDS = 15.0
_BACKLOG = 64  # responses read ahead of a slow client; past it the call waits (its own inbox then fills)
_CHECK_SECONDS = 1.0  # how soon a stream whose client left is ended
_END = object()


def live_stream_routes(calls: LocalCalls) -> list[web.RouteDef]:
    async def handle(request: web.Request) -> web.StreamResponse:
        return await _serve(request, calls, HEARTBEAT_SECONDS)
    # `rest.` names a route whose calls the gate logs (chatsvc.api.media_http)
    return [web.get(PATH, handle, name="rest.live", allow_head=False)]


def _request_message(request: web.Request) -> tuple[live_service_pb2.StreamEventsRequest, dict[str, str]]:
    own, system = system_parameters(request)
    token = ""
    for key, value in own:
        if key != "resume_token":
            raise InvalidArgument.field(key, "is not a parameter of this method")
        token = value
    token = request.headers.get("Last-Event-ID", "").strip() or token
    return live_service_pb2.StreamEventsRequest(resume_token=token), system


def _frame(response: live_service_pb2.LiveEvent) -> bytes:
    data = json.dumps(json_format.MessageToDict(response), ensure_ascii=False, separators=(",", ":"))
    head = "event: open\n" if response.opened else ""
    return f"{head}id: {response.resume_token}\ndata: {data}\n\n".encode()


def _error_frame(failed: CallFailed) -> bytes:
    body = http_errors.status_response(failed.code, failed.status).text
    return f"event: error\ndata: {json.dumps(json.loads(body), separators=(',', ':'))}\n\n".encode()


async def _serve(request: web.Request, calls: LocalCalls, heartbeat: float) -> web.StreamResponse:
    started = time.perf_counter()
    try:
        message, system = _request_message(request)
    except DomainError as error:
        return log_refused(http_errors.domain_error(error, FULL_METHOD), grpc.StatusCode.INVALID_ARGUMENT,
                           FULL_METHOD, started)
    responses = calls.server_stream(FULL_METHOD, message, call_metadata(request, system))
    backlog: asyncio.Queue = asyncio.Queue(_BACKLOG)

    async def pump() -> None:
        # Reads the call on its own, so that waiting for the next event can time out (a heartbeat) without
        # cancelling the call.
        try:
            async for response in responses:
                await backlog.put(response)
            await backlog.put(_END)
        except CallFailed as failed:
            await backlog.put(failed)
        except Exception:  # noqa: BLE001 - never expected (the gate turns errors into statuses): end cleanly
            await backlog.put(CallFailed(*internal_status(FULL_METHOD)))

    reader = asyncio.get_running_loop().create_task(pump())
    try:
        first = await backlog.get()
        if isinstance(first, CallFailed):  # refused by the gate or the use case: an ordinary JSON error
            return http_errors.status_response(first.code, first.status)
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache, no-store",
            "X-Accel-Buffering": "no"})  # proxies that buffer responses would hold events back
        await response.prepare(request)
        item = first
        try:
            await response.write(b"retry: 1000\n\n")
            quiet_since = time.monotonic()
            while item is not _END:
                if isinstance(item, CallFailed):
                    await response.write(_error_frame(item))
                    break
                await response.write(_frame(item))
                quiet_since = time.monotonic()
                item = None
                while item is None:
                    try:
                        item = await asyncio.wait_for(backlog.get(), _CHECK_SECONDS)
                    except TimeoutError:
                        # aiohttp does not cancel a handler whose client left: look, so that its call ends
                        if request.transport is None or request.transport.is_closing():
                            return response
                        if time.monotonic() - quiet_since >= heartbeat:
                            await response.write(b": heartbeat\n\n")
                            quiet_since = time.monotonic()
        except ConnectionError:  # the client left
            return response
        await response.write_eof()
        return response
    finally:
        reader.cancel()  # ends the call (the gate logs it) and the stream's subscription
        await asyncio.wait([reader])
        await responses.aclose()
