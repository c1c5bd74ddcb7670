"""The matrices' REST leg: the call under test sent over HTTP/JSON (tests/http/rest_calls.py, the method's
google.api.http binding, a real socket) instead of gRPC, by the same caller with the same request. Set-up and
effect checks stay on gRPC. A refusal must carry the same code and ErrorInfo reason as the table says, and its
HTTP status must be the one Google's mapping gives that code (INVALID_ARGUMENT and FAILED_PRECONDITION 400,
UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS 409, RESOURCE_EXHAUSTED 429)."""
from __future__ import annotations

from google.protobuf.descriptor import ServiceDescriptor

from tests.http.rest_calls import GOOGLE_HTTP, RestClient, RestError, rules_of

GRPC, REST = "grpc", "rest"
_CLIENTS: dict[str, RestClient] = {}


class WrongHttpStatus(AssertionError):
    """A REST refusal whose HTTP status is not Google's for its canonical code."""


def rest_rpcs(service: ServiceDescriptor) -> list[str]:
    """The methods HTTP/JSON carries: unary ones with an http binding (a client-streaming upload has a media
    path instead, outside this leg)."""
    return [m.name for m in service.methods if rules_of(m) and not (m.client_streaming or m.server_streaming)]


async def call(harness, service: str, rpc: str, request, md):
    """The response of `rpc` sent over REST, or RestError (the refusal, read like a grpc.aio.AioRpcError)."""
    client = _CLIENTS.get(harness.media_url)
    if client is None:
        client = _CLIENTS[harness.media_url] = RestClient(harness.media_url)
    try:
        return await client.call(f"/{service}/{rpc}", request, metadata=md)
    except RestError as error:
        if not error.mapped_as_google_maps:
            raise WrongHttpStatus(f"{rpc}: HTTP {error.http_status} for {error.code().name}, Google's mapping "
                                  f"says {GOOGLE_HTTP[error.code()]}") from error
        raise


async def close_clients() -> None:
    while _CLIENTS:
        await _CLIENTS.popitem()[1].close()
