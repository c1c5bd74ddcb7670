"""Helpers of the app registry's tests: the AppService stub, callers' metadata, and an app registered over gRPC."""
from __future__ import annotations

from chatsvc.apps.v1 import app_service_pb2 as pb
from chatsvc.apps.v1 import app_service_pb2_grpc, chat_app_pb2

ALICE, BOB, ROOT = "alice@example.com", "bob@example.com", "root@example.com"
MANAGE = ("chatsvc.apps",)
ChatApp = chat_app_pb2.ChatApp
Command = chat_app_pb2.AppCommand


def stub(server) -> app_service_pb2_grpc.AppServiceStub:
    return app_service_pb2_grpc.AppServiceStub(server.channel)


def md(server, email: str = ALICE, scopes=MANAGE, admin: bool = False):
    return server.md(user=email, scopes=scopes, admin=admin)


async def register(server, app_id: str, caller: str = ALICE, **fields) -> chat_app_pb2.ChatApp:
    """CreateApp as `caller`; an HTTP endpoint unless `fields` say otherwise."""
    if "pubsub_topic" not in fields:
        fields.setdefault("endpoint_url", f"https://{app_id}.example.com/events")
    return await stub(server).CreateApp(pb.CreateAppRequest(app_id=app_id, app=ChatApp(**fields)),
                                        metadata=md(server, caller))
