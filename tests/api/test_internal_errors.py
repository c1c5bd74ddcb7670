"""An unexpected exception in a handler leaves as INTERNAL with a google.rpc.Status and nothing of the
exception in the response, while the log gets the traceback; unary and streaming handlers alike."""
from __future__ import annotations

import logging

import grpc
import pytest

from chatsvc.api.interceptors import CallInterceptor
from chatsvc.auth.interceptor import Authenticator
from chatsvc.auth.scopes import USER, Rule
from chatsvc.auth.tokens import TokenService
from tests.helpers import rpc_error_details

SECRET = "db password is hunter2"
RULE = Rule(scopes=("chat.spaces",), kinds=frozenset({USER}))


async def _unary(request, context):
    raise RuntimeError(SECRET)


async def _streaming(request, context):
    yield b"first"
    raise RuntimeError(SECRET)


@pytest.fixture
async def broken_server():
    tokens = TokenService(b"k" * 32)
    server = grpc.aio.server(interceptors=[CallInterceptor(Authenticator(tokens, rules=lambda _method: RULE))])
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Broken", {
        "Unary": grpc.unary_unary_rpc_method_handler(_unary),
        "Stream": grpc.unary_stream_rpc_method_handler(_streaming),
    })])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    token = tokens.mint(user="a@example.com", scopes=["chat.spaces"])
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield channel, (("authorization", f"Bearer {token}"),)
    await server.stop(0)


def _assert_internal(error: grpc.aio.AioRpcError, method: str) -> None:
    assert error.code() == grpc.StatusCode.INTERNAL
    assert error.details() == "Internal error."
    info = rpc_error_details(error)["ErrorInfo"]
    assert info.reason == "INTERNAL" and dict(info.metadata) == {"method": method}
    assert SECRET not in str(error.trailing_metadata()) and "RuntimeError" not in error.details()


async def test_a_unary_handler_that_crashes(broken_server, caplog):
    channel, metadata = broken_server
    with caplog.at_level(logging.ERROR, logger="chatsvc.calls"), pytest.raises(grpc.aio.AioRpcError) as caught:
        await channel.unary_unary("/test.Broken/Unary")(b"", metadata=metadata)
    _assert_internal(caught.value, "/test.Broken/Unary")
    assert SECRET in caplog.text  # the operator sees what happened


async def test_a_streaming_handler_that_crashes_after_a_response(broken_server):
    channel, metadata = broken_server
    call = channel.unary_stream("/test.Broken/Stream")(b"", metadata=metadata)
    received = []
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        async for response in call:
            received.append(response)
    assert received == [b"first"]
    _assert_internal(caught.value, "/test.Broken/Stream")
