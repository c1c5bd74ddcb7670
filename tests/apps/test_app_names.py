"""A registered app's display name is its name everywhere Chat shows the app: a user's `<users/{app}>` mention
renders as `@Display Name` (text and annotation), and renaming the app renames later mentions."""
from __future__ import annotations

from google.chat.v1 import message_pb2, space_pb2
from google.protobuf import field_mask_pb2

from chatsvc.apps.v1 import app_service_pb2 as pb
from tests.apps.support import ALICE, ChatApp, md, register, stub

CHAT = ("chat.spaces", "chat.messages", "chat.memberships")


async def _mention(server, space: str, app_user: str) -> message_pb2.Message:
    return await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space, message=message_pb2.Message(text=f"hi <{app_user}>")),
        metadata=server.md(user=ALICE, scopes=CHAT))


async def test_mentions_name_the_app_by_its_display_name(server):
    app = await register(server, "name-bot", display_name="Name Bot")
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Apps named")),
        metadata=server.md(user=ALICE, scopes=CHAT))
    first = await _mention(server, space.name, app.user)
    assert first.text == "hi @Name Bot"
    assert first.annotations[0].user_mention.user.display_name == "Name Bot"

    await stub(server).UpdateApp(pb.UpdateAppRequest(
        app=ChatApp(name=app.name, display_name="Renamed Bot"),
        update_mask=field_mask_pb2.FieldMask(paths=["display_name"])), metadata=md(server))
    second = await _mention(server, space.name, app.user)
    assert second.text == "hi @Renamed Bot"
    assert second.annotations[0].user_mention.user.display_name == "Renamed Bot"
