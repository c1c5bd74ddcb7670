import grpc
import pytest
from google.chat.v1 import space_pb2

from tests.helpers import rpc_error_details


async def test_create_and_get_space(server):
    md = server.md(user="alice@example.com", scopes=["chat.spaces"])
    created = await server.chat.CreateSpace(
        space_pb2.CreateSpaceRequest(space=space_pb2.Space(display_name="Team", space_type=1)), metadata=md)
    got = await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=md)
    assert got == created


async def test_missing_space_is_not_found_with_error_info(server):
    md = server.md(user="alice@example.com", scopes=["chat.spaces"])
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.chat.GetSpace(space_pb2.GetSpaceRequest(name="spaces/AAAAnothere"), metadata=md)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert rpc_error_details(caught.value)["ErrorInfo"].reason == "SPACE_NOT_FOUND"
