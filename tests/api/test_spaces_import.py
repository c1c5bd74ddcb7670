"""Import mode over gRPC: CreateSpace with import_mode, the space hidden from everyone but its creator, and
CompleteImportSpace."""
import time

import grpc
from google.chat.v1 import membership_pb2, space_pb2
from google.protobuf import timestamp_pb2
from sqlalchemy import update as sql_update

from chatsvc.domain.events import EventType
from chatsvc.storage.tables import spaces
from tests.api.spaces_support import (
    DM,
    GROUP_CHAT,
    SPACE,
    Space,
    admin,
    events_of,
    get,
    listed,
    members_of,
    space_id,
    update,
    user,
)
from tests.helpers import failure, field_of

IMPORTER_SCOPES = ("chat.import", "chat.spaces.readonly", "chat.memberships.readonly")
DAY_US = 86_400 * 1_000_000


def importer(server, email="importer@example.com"):
    return server.md(user=email, scopes=IMPORTER_SCOPES)


def create(server, md, name="Imported", space_type=SPACE, **fields):
    return server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=Space(
        space_type=space_type, display_name=name, import_mode=True, **fields)), metadata=md)


def complete(server, md, name):
    return server.chat.CompleteImportSpace(space_pb2.CompleteImportSpaceRequest(name=name), metadata=md)


async def test_import_lifecycle(server):
    md = importer(server)
    historical = timestamp_pb2.Timestamp(seconds=1_262_304_000)  # 2010-01-01
    before = time.time()
    space = await create(server, md, create_time=historical)
    assert space.import_mode and space.create_time == historical
    expires = space.import_mode_expire_time.seconds
    assert before + 89 * 86_400 < expires < time.time() + 91 * 86_400
    assert space.membership_count.joined_direct_human_user_count == 0
    # The creator sees it, nobody else does (not even an administrator), and nobody lists it.
    assert (await get(server, md, space.name)).name == space.name
    for other, admin_access in ((user(server, "alice@example.com"), False), (admin(server), True)):
        await failure(get(server, other, space.name, admin_access=admin_access), grpc.StatusCode.NOT_FOUND)
    await failure(complete(server, user(server, "alice@example.com", "chat.import"), space.name),
                  grpc.StatusCode.NOT_FOUND)
    assert space.name not in await listed(server, user(server, "importer@example.com"))
    # The import's own changes go through.
    renamed = await update(server, md, Space(name=space.name, display_name="Imported (renamed)"), "display_name")
    assert renamed.display_name == "Imported (renamed)"

    done = (await complete(server, md, space.name)).space
    assert not done.import_mode and not done.HasField("import_mode_expire_time")
    assert done.create_time == historical
    assert done.membership_count.joined_direct_human_user_count == 1
    (own,) = await members_of(server, user(server, "importer@example.com"), space.name)
    assert own.role == membership_pb2.Membership.MembershipRole.ROLE_MANAGER
    assert space.name in await listed(server, user(server, "importer@example.com"))
    # The rename and the completion (both SPACE_UPDATED), and the creator joining.
    assert sorted(t for t, _ in await events_of(server, space.name)) == sorted([
        EventType.SPACE_UPDATED.value, EventType.MEMBERSHIP_CREATED.value, EventType.SPACE_UPDATED.value])
    details = await failure(complete(server, md, space.name), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "SPACE_NOT_IN_IMPORT_MODE"
    # Now out of import mode, the import scope reaches it no more.
    details = await failure(update(server, md, Space(name=space.name, display_name="x"), "display_name"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_MODE_REQUIRED"
    await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space.name), metadata=md),
                  grpc.StatusCode.PERMISSION_DENIED)


async def test_import_mode_rules(server):
    md = importer(server)
    for seconds in (946_684_799, int(time.time()) + 3600):  # before 2000, in the future
        details = await failure(create(server, md, create_time=timestamp_pb2.Timestamp(seconds=seconds)),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space.create_time"]
    details = await failure(create(server, md, space_type=DM, name=""), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_type"]
    details = await failure(create(server, md, access_settings={"audience": "audiences/default"}),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.access_settings"]
    # The import scope makes import-mode spaces only; import mode needs the import scope and a person.
    details = await failure(server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=Space(
        space_type=SPACE, display_name="Plain")), metadata=md), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_MODE_REQUIRED"
    details = await failure(create(server, user(server, "alice@example.com"), "Sneaky"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_SCOPE_REQUIRED"
    details = await failure(create(server, server.md(app="bot", scopes=["chat.app.spaces"]), "By app",
                                   customer="customers/my_customer"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "USER_AUTHENTICATION_REQUIRED"
    # A group chat can be imported, with or without a name.
    chat = await create(server, md, name="", space_type=GROUP_CHAT)
    assert chat.space_type == GROUP_CHAT and chat.import_mode
    done = (await complete(server, md, chat.name)).space
    (own,) = await members_of(server, user(server, "importer@example.com"), chat.name)
    assert own.role == membership_pb2.Membership.MembershipRole.ROLE_MEMBER and not done.import_mode


async def test_import_spaces_expire(server):
    md = importer(server)
    space = await create(server, md)
    async with server.running.db.engine.begin() as conn:
        await conn.execute(sql_update(spaces).where(spaces.c.id == space_id(space.name)).values(
            import_mode_expire_time_us=int(time.time() * 1_000_000) - DAY_US))
    await failure(get(server, md, space.name), grpc.StatusCode.NOT_FOUND)
    await failure(complete(server, md, space.name), grpc.StatusCode.NOT_FOUND)


async def test_import_space_can_be_deleted_by_its_creator(server):
    md = importer(server)
    space = await create(server, md)
    await failure(server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space.name),
                                          metadata=user(server, "alice@example.com")), grpc.StatusCode.NOT_FOUND)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space.name), metadata=md)
    await failure(get(server, md, space.name), grpc.StatusCode.NOT_FOUND)


async def test_complete_import_errors(server):
    md = importer(server)
    for bad in ("", "spaces/", "users/x"):
        details = await failure(complete(server, md, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]
    details = await failure(complete(server, md, "spaces/AAAAmissing"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
