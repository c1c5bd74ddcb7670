"""Calls made in-process, through the very gate gRPC calls pass: the REST surface's way into the services.

The servicers are registered here exactly as on the gRPC server (`add_XServicer_to_server(servicer, calls)`),
and each method's handler is wrapped by the same CallInterceptor, so a REST call is authenticated, rate
limited, authorised by the scope table, held to the server's deadline, logged and turned into a
google.rpc.Status by the code that does all that for gRPC. The request is handed over as the message it is
(no serialisation round trip); the caller's headers become the call's metadata.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import grpc
from google.rpc import status_pb2

from chatsvc.api.interceptors import CallInterceptor
from chatsvc.api.status import DETAILS_KEY, internal_status
from chatsvc.domain.principal import Principal


class CallFailed(grpc.aio.AbortError):
    """The call ended with a status other than OK. An AbortError, so the interceptor treats it as the abort it
    stands for."""

    def __init__(self, code: grpc.StatusCode, status: status_pb2.Status):
        super().__init__(status.message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class _Details:  # what grpc.HandlerCallDetails carries
    method: str
    invocation_metadata: tuple


class _Context:
    """The part of grpc.aio.ServicerContext that the interceptor and the servicers use."""

    __slots__ = ("_metadata", "_code", "vouched_principal")

    def __init__(self, metadata: tuple[tuple[str, str], ...], vouched_principal: Principal | None = None):
        self._metadata = metadata
        self._code: grpc.StatusCode | None = None
        # The caller, already authenticated in-process (a webhook); the gate takes it when no token is sent.
        self.vouched_principal = vouched_principal

    def invocation_metadata(self):
        return self._metadata

    def code(self):
        return self._code

    async def abort(self, code: grpc.StatusCode, details: str = "", trailing_metadata=()):
        self._code = code
        raw = dict(trailing_metadata).get(DETAILS_KEY)
        status = status_pb2.Status.FromString(raw) if raw else status_pb2.Status(code=code.value[0],
                                                                                   message=details)
        raise CallFailed(code, status)


class LocalCalls:
    """A registry of method handlers (filled like a gRPC server's) and the interceptor that guards them."""

    def __init__(self, interceptor: CallInterceptor):
        self._interceptor = interceptor
        self._raw: dict[str, grpc.RpcMethodHandler] = {}
        self._wrapped: dict[str, grpc.RpcMethodHandler] = {}

    # The two registration calls the generated add_XServicer_to_server functions make.
    def add_generic_rpc_handlers(self, handlers) -> None:
        pass  # the same handlers arrive by add_registered_method_handlers

    def add_registered_method_handlers(self, service: str, handlers: dict[str, grpc.RpcMethodHandler]) -> None:
        for name, handler in handlers.items():
            self._raw[f"/{service}/{name}"] = handler

    def __contains__(self, full_method: str) -> bool:
        return full_method in self._raw

    async def _handler(self, full_method: str, metadata) -> grpc.RpcMethodHandler:
        handler = self._wrapped.get(full_method)
        if handler is None:
            raw = self._raw[full_method]

            async def continuation(_details):
                return raw
            handler = await self._interceptor.intercept_service(continuation, _Details(full_method, metadata))
            self._wrapped[full_method] = handler
        return handler

    async def unary(self, full_method: str, request, metadata: Sequence[tuple[str, str]], *,
                    vouched_principal: Principal | None = None):
        """The response of a unary call; CallFailed with its status otherwise. `vouched_principal`: the caller,
        when in-process code has authenticated it by other means than a bearer token (send no token then)."""
        metadata = tuple(metadata)
        handler = await self._handler(full_method, metadata)
        return await _run(handler.unary_unary(request, _Context(metadata, vouched_principal)))

    async def client_stream(self, full_method: str, requests: AsyncIterator, metadata: Sequence[tuple[str, str]]):
        """The response of a client-streaming call fed from `requests`."""
        metadata = tuple(metadata)
        handler = await self._handler(full_method, metadata)
        return await _run(handler.stream_unary(requests, _Context(metadata)))

    async def server_stream(self, full_method: str, request, metadata: Sequence[tuple[str, str]]) -> AsyncIterator:
        """The responses of a server-streaming call, as they come; CallFailed ends them with the call's status
        (the gate's refusals arrive on the first step, before any response). Closing the iterator ends the call."""
        metadata = tuple(metadata)
        handler = await self._handler(full_method, metadata)
        responses = handler.unary_stream(request, _Context(metadata))
        try:
            while True:
                try:
                    response = await responses.__anext__()
                except StopAsyncIteration:
                    return
                except CallFailed:
                    raise
                except grpc.aio.AbortError:
                    code, status = internal_status("local call")
                    raise CallFailed(code, status) from None
                yield response
        finally:
            await responses.aclose()


async def _run(call):
    try:
        return await call
    except CallFailed:
        raise
    except grpc.aio.AbortError:  # an abort that bypassed our context: never expected, never leaked
        code, status = internal_status("local call")
        raise CallFailed(code, status) from None
