"""The server as an operator meets it: a real `chatsvc serve` process, its health, reflection, logs and
shutdown."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import grpc
import pytest
from google.chat.v1 import space_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from chatsvc.api.chat_service import IMPLEMENTED, SERVICE
from tests.helpers import rpc_error_details
from tests.server_process import ServerProcess


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chatsvc.cli", *args], capture_output=True, text=True,
                          check=True, env=env)


@pytest.fixture
async def process(database_url, tmp_path):
    """`chatsvc serve` in its own process (its HTTP endpoint on a port of its own: `auto`, gRPC's + 1, may be
    taken by another test's socket); yields (target, database_url, ServerProcess)."""
    server = ServerProcess(database_url, tmp_path / "serve.log")
    try:
        await asyncio.to_thread(server.wait_serving)
        yield server.target, database_url, server
    finally:
        server.kill()


async def test_sigterm_drains_and_exits_zero_and_logs_each_call_without_secrets(process):
    target, database_url, server = process
    token = cli("token", "--database", database_url, "--user", "ops@example.com", "--scope", "chat.spaces"
                ).stdout.strip().splitlines()[-1]
    async with grpc.aio.insecure_channel(target) as channel:
        from google.chat.v1 import chat_service_pb2_grpc

        chat = chat_service_pb2_grpc.ChatServiceStub(channel)
        space = await chat.CreateSpace(space_pb2.CreateSpaceRequest(
            space=space_pb2.Space(display_name="Ops", space_type=1)), metadata=(("authorization", f"Bearer {token}"),))
        assert space.name.startswith("spaces/")
    status = await asyncio.to_thread(server.terminate)
    log = server.log()
    assert status == 0, log
    call_lines = [line for line in log.splitlines() if "chatsvc.calls" in line]
    assert any('"method": "/google.chat.v1.ChatService/CreateSpace"' in line and '"status": "OK"' in line
               and '"principal": "ops@example.com"' in line and '"duration_ms"' in line for line in call_lines), log
    assert token not in log and token.split(".")[2] not in log


async def test_health_reports_not_serving_while_draining(database_url):
    from chatsvc.app import start
    from chatsvc.config import Settings

    running = await start(Settings(listen="127.0.0.1:0", database_url=database_url))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{running.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        assert (await health.Check(health_pb2.HealthCheckRequest())).status == health_pb2.HealthCheckResponse.SERVING
        await running.health.enter_graceful_shutdown()
        assert (await health.Check(health_pb2.HealthCheckRequest())).status == \
            health_pb2.HealthCheckResponse.NOT_SERVING
    await running.stop(0)


async def test_reflection_lists_chat_service_and_serves_its_descriptors(server):
    stub = reflection_pb2_grpc.ServerReflectionStub(server.channel)

    async def ask(**kwargs):
        async for reply in stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(**kwargs)])):
            return reply

    services = {s.name for s in (await ask(list_services="")).list_services_response.service}
    assert "google.chat.v1.ChatService" in services
    files = (await ask(file_containing_symbol="google.chat.v1.ChatService")).file_descriptor_response
    assert files.file_descriptor_proto  # the service's file and its imports


async def test_every_unbuilt_rpc_answers_unimplemented_naming_itself(server):
    md = server.md(user="alice@example.com", scopes=[
        "chat.spaces", "chat.messages", "chat.memberships", "chat.customemojis", "chat.users.readstate",
        "chat.users.spacesettings", "chat.users.sections", "chat.users.availability", "chat.import",
        "chat.messages.reactions", "chat.spaces.pins", "chat.delete"])
    unbuilt = [m for m in SERVICE.methods if m.name not in IMPLEMENTED]
    assert len(unbuilt) + len(IMPLEMENTED) == 52
    for method in unbuilt:
        call = server.channel.unary_unary(f"/{SERVICE.full_name}/{method.name}",
                                          request_serializer=lambda m: m.SerializeToString(),
                                          response_deserializer=lambda b: b)
        from google.protobuf import message_factory

        request = message_factory.GetMessageClass(method.input_type)()
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call(request, metadata=md)
        assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED, method.name
        assert method.name in caught.value.details()
        assert rpc_error_details(caught.value)["ErrorInfo"].reason == "UNIMPLEMENTED"


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_serve_refuses_a_taken_port(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "chatsvc.cli", "serve", "--listen", f"127.0.0.1:{port}",
                                 "--database", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"],
                                capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
