"""Failures the fuzzer found, each pinned down over gRPC so that it cannot come back unnoticed.

1. A request whose bytes are no valid message (corrupt wire format, invalid UTF-8 in a string) was answered
   UNKNOWN with the parser's exception text ("Unexpected [DecodeError] ..."), because gRPC parses the request
   before any handler of ours runs. Now: INVALID_ARGUMENT, reason MALFORMED_REQUEST, after authentication.
2. An error message quoting a huge value the caller sent (a 100 KB capability, calendar id or contact field)
   made trailers larger than a client accepts (16 KiB): the caller got RESOURCE_EXHAUSTED "Stream removed"
   from its own gRPC library instead of our status. Now messages and details are clipped.
"""
from __future__ import annotations

import grpc
from google.chat.v1 import space_pb2
from grpc_health.v1 import health_pb2

from chatsvc.api.status import MAX_MESSAGE_BYTES
from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2, credential_service_pb2_grpc
from tests.fuzz.calls import LEAK_MARKERS
from tests.helpers import rpc_error_details

CORRUPT = b"\x0a\xff\x01abc"  # field 1, length 255, but only 3 bytes follow
BAD_UTF8 = b"\x0a\x02\xc0\xaf"  # field 1 (a string) holding an overlong, invalid UTF-8 sequence


async def _fail(call) -> grpc.aio.AioRpcError:
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError("the call succeeded")


def _assert_malformed(error: grpc.aio.AioRpcError) -> None:
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert not [m for m in LEAK_MARKERS if m in error.details().lower()], error.details()
    assert rpc_error_details(error)["ErrorInfo"].reason == "MALFORMED_REQUEST"


def _get_space(world):
    return world.harness.channel.unary_unary("/google.chat.v1.ChatService/GetSpace", request_serializer=None,
                                             response_deserializer=space_pb2.Space.FromString)


async def test_corrupt_unary_request_is_invalid_argument(world):
    md = world.callers["google.chat.v1.ChatService"]["user"]
    for payload in (CORRUPT, BAD_UTF8):
        _assert_malformed(await _fail(_get_space(world)(payload, metadata=md)))


async def test_corrupt_request_of_an_anonymous_caller_is_unauthenticated(world):
    """Authentication still comes first: a caller without a token learns nothing about parsing."""
    error = await _fail(_get_space(world)(CORRUPT))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_corrupt_request_to_a_public_service_is_invalid_argument(world):
    check = world.harness.channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=None,
                                              response_deserializer=health_pb2.HealthCheckResponse.FromString)
    _assert_malformed(await _fail(check(CORRUPT)))


async def test_corrupt_message_in_a_client_stream_is_invalid_argument(world):
    """UploadAttachment: a valid first message (the metadata), then a corrupt chunk."""
    first = campaign_service_pb2.UploadAttachmentRequest(metadata=campaign_service_pb2.UploadAttachmentMetadata(
        parent="users/me", origin=campaign_pb2.ORIGIN_GMAIL, filename="a.txt", mime_type="text/plain"),
    ).SerializeToString()
    upload = world.harness.channel.stream_unary(
        "/chatsvc.campaigns.v1.CampaignService/UploadAttachment", request_serializer=None,
        response_deserializer=campaign_service_pb2.UploadAttachmentRequest.FromString)
    md = world.callers["chatsvc.campaigns.v1.CampaignService"]["user"]
    for stream in ([first, CORRUPT], [BAD_UTF8]):
        _assert_malformed(await _fail(upload(iter(stream), metadata=md)))


async def test_error_quoting_a_huge_value_still_reaches_the_caller(world):
    stub = credential_service_pb2_grpc.CredentialServiceStub(world.harness.channel)
    md = world.callers["chatsvc.credentials.v1.CredentialService"]["user"]
    credential = next(n for n in world.names if "/googleCredentials/" in n)
    for huge in ("a" * 100_000, "🙂" * 30_000):
        requests = [stub.CheckCapability(credential_service_pb2.CheckCapabilityRequest(
                        name=credential, capability=huge), metadata=md),
                    stub.ConfigureCalendars(credential_service_pb2.ConfigureCalendarsRequest(
                        name=credential, to_sync=[huge] * 12), metadata=md)]
        for call in requests:
            error = await _fail(call)
            assert error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND,
                                    grpc.StatusCode.FAILED_PRECONDITION), (error.code(), error.details()[:200])
            assert len(error.details().encode()) <= MAX_MESSAGE_BYTES
            assert rpc_error_details(error)["ErrorInfo"].reason
