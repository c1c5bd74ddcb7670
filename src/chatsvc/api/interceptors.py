"""The one interceptor: authentication, rate limits, the server's deadline, one structured log line per call, and
every error as a google.rpc.Status.

Domain errors become their status with ErrorInfo; anything unexpected becomes INTERNAL with no internals
in the response (the traceback goes to the log).

One grpc.aio interceptor, not a chain of grpc_interceptor layers: each of those built a new method handler
for every call, and the handler wrapped here is built once per method and reused.
"""
from __future__ import annotations

import inspect
import logging
import time
from json.encoder import encode_basestring_ascii as _json_string

import grpc

from chatsvc.api.call_deadlines import CallDeadlines
from chatsvc.api.status import DETAILS_KEY, internal_status, status_for
from chatsvc.auth.interceptor import Authenticator
from chatsvc.auth.rate_limits import RateLimiter
from chatsvc.domain.errors import DomainError, InvalidArgument
from chatsvc.domain.principal import Principal, bind_principal, unbind_principal

log = logging.getLogger("chatsvc.calls")


async def abort_with(context: grpc.aio.ServicerContext, code: grpc.StatusCode, status) -> None:
    await context.abort(code, status.message, trailing_metadata=((DETAILS_KEY, status.SerializeToString()),))


class Undecodable:
    """Stands for a request that could not be made into its message: bytes gRPC could not parse (it would
    answer UNKNOWN with the parser's text), or JSON the REST surface could not bind. The gate refuses it with
    `error` (INVALID_ARGUMENT) once the caller is authenticated and within its rate, like any bad request."""

    __slots__ = ("error",)

    def __init__(self, error: InvalidArgument):
        self.error = error


def _malformed() -> Undecodable:
    return Undecodable(InvalidArgument("The request is not a valid encoding of the method's request message.",
                                       reason="MALFORMED_REQUEST"))


def _tolerant(deserialize):
    if deserialize is None:
        return None

    def parse(data: bytes):
        try:
            return deserialize(data)
        except Exception:  # noqa: BLE001 - DecodeError, or whatever a parser raises on hostile bytes
            return _malformed()
    return parse


def _decoded(request):
    """`request`, unless it could not be parsed (then INVALID_ARGUMENT)."""
    if type(request) is Undecodable:
        raise request.error
    return request


def _checked_stream(method):
    """`method` given its stream of requests with each checked by `_decoded` as it is read."""
    async def checked(requests):
        async for request in requests:
            yield _decoded(request)

    def call(requests, context):
        return method(checked(requests), context)
    return call


class CallInterceptor(grpc.aio.ServerInterceptor):
    """`limiter`: per-caller rate limits (None: none). `call_timeout`: seconds a call with a single response may
    run before it is stopped with DEADLINE_EXCEEDED (None: as long as the client waits)."""

    def __init__(self, authenticator: Authenticator, *, limiter: RateLimiter | None = None,
                 call_timeout: float | None = None):
        self._auth = authenticator
        self._limiter = limiter
        self._deadlines = CallDeadlines(call_timeout) if call_timeout else None
        self._handlers: dict[str, grpc.RpcMethodHandler] = {}  # per implemented method: its wrapped handler

    async def intercept_service(self, continuation, handler_call_details):
        method_name = handler_call_details.method
        handler = self._handlers.get(method_name)
        if handler is None:
            inner = await continuation(handler_call_details)
            if inner is None:  # not implemented: gRPC answers UNIMPLEMENTED
                return None
            handler = self._handlers[method_name] = _Call(self._auth, method_name, self._limiter,
                                                          self._deadlines).wrap(inner)
        return handler


class _Call:
    """What every call of one method shares: its name, its log line's prefix, its authorisation rule, the rate
    limits and the server's deadline."""

    __slots__ = ("_gate", "name", "_log_prefix", "_limiter", "_deadlines")

    def __init__(self, authenticator: Authenticator, method_name: str, limiter: RateLimiter | None,
                 deadlines: CallDeadlines | None):
        self._gate = authenticator.gate(method_name)
        self.name = method_name
        self._limiter = limiter
        self._deadlines = deadlines
        # The log line is JSON, as json.dumps would write it, with the constant part made once.
        self._log_prefix = '{"method": ' + _json_string(method_name) + ', "status": "'

    def wrap(self, inner: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        kwargs = {"request_deserializer": _tolerant(inner.request_deserializer),
                  "response_serializer": inner.response_serializer}
        if inner.unary_unary:
            return grpc.unary_unary_rpc_method_handler(self._unary(inner.unary_unary), **kwargs)
        if inner.unary_stream:
            return grpc.unary_stream_rpc_method_handler(self._streaming(inner.unary_stream), **kwargs)
        if inner.stream_unary:
            return grpc.stream_unary_rpc_method_handler(self._unary(_checked_stream(inner.stream_unary)), **kwargs)
        return grpc.stream_stream_rpc_method_handler(self._streaming(_checked_stream(inner.stream_stream)), **kwargs)

    def _unary(self, method):
        async def handle(request, context):
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            label = "-"
            try:
                principal = self._identify(context)
                if principal is not None and principal.grant:  # an OAuth access token: its grant still stands?
                    await self._gate.check_grant(principal)
                if principal is None:  # a public service
                    self._admit(None, request)
                    return await self._within_deadline(method(request, context))
                label = principal.label
                self._admit(principal, request)
                bound = bind_principal(principal)
                try:
                    return await self._within_deadline(method(request, context))
                finally:
                    unbind_principal(bound)
            except grpc.aio.AbortError:
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            except Exception as error:  # noqa: BLE001 - every failure leaves as a google.rpc.Status
                code, status = self._status(error)
                await abort_with(context, code, status)
            finally:
                self._log(code, started, label)
        return handle

    def _streaming(self, method):
        async def handle(request, context):
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            label = "-"
            try:
                principal = self._identify(context)
                if principal is not None and principal.grant:
                    await self._gate.check_grant(principal)
                if principal is not None:
                    label = principal.label
                self._admit(principal, request)
                # The principal is bound around each step of the stream, never across a yield (a context
                # variable set in a generator would leak into whatever runs between steps).
                bound = bind_principal(principal) if principal is not None else None
                try:
                    responses = method(request, context)
                    if inspect.iscoroutine(responses):  # a handler writing through context.write()
                        await responses
                        return
                finally:
                    if bound is not None:
                        unbind_principal(bound)
                responses = responses.__aiter__()
                while True:
                    bound = bind_principal(principal) if principal is not None else None
                    try:
                        response = await responses.__anext__()
                    except StopAsyncIteration:
                        break
                    finally:
                        if bound is not None:
                            unbind_principal(bound)
                    yield response
            except grpc.aio.AbortError:
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            except Exception as error:  # noqa: BLE001 - every failure leaves as a google.rpc.Status
                code, status = self._status(error)
                await abort_with(context, code, status)
            finally:
                self._log(code, started, label)
        return handle

    def _identify(self, context) -> Principal | None:
        """The caller, from its token; None for a public service."""
        return None if self._gate is None else self._gate.identify(context)

    def _admit(self, principal: Principal | None, request) -> None:
        """Within its rate, a request that parsed, and one the caller may make: in this order, so that a caller
        without a valid token learns nothing, not even whether its bytes made a request."""
        if principal is None:
            _decoded(request)
            return
        if self._limiter is not None:
            self._limiter.take(principal)
        self._gate.permit(principal, _decoded(request))

    async def _within_deadline(self, work):
        """Awaits `work` under the server's deadline, if one is set. Calls with a stream of responses (health's
        Watch) run for as long as the client stays; only the client's own deadline ends them."""
        if self._deadlines is None:
            return await work
        return await self._deadlines.run(work)

    def _status(self, error: Exception):
        """A domain error as its status; anything else as INTERNAL with nothing leaked, logged here."""
        if isinstance(error, DomainError):
            return status_for(error, self.name)
        log.error("unexpected error in %s", self.name, exc_info=error)
        return internal_status(self.name)

    def _log(self, code: grpc.StatusCode, started: float, label: str) -> None:
        if log.isEnabledFor(logging.INFO):
            log.info(f'{self._log_prefix}{code.name}", "duration_ms": '
                     f'{round((time.perf_counter() - started) * 1000, 3)!r}, "principal": {_json_string(label)}}}')
