"""Space notification settings over gRPC: defaults, updates by mask, aliases, direct messages, and the error
cases (bad names, other users, masks, enum values, non-members)."""
from __future__ import annotations

import grpc
import pytest
from google.chat.v1 import space_notification_setting_pb2, space_pb2
from google.protobuf import field_mask_pb2

from tests.api.spaces_support import DM, GROUP_CHAT, member, set_up
from tests.helpers import failure, field_of, space_with_bob

SCOPES = ("chat.spaces", "chat.memberships", "chat.users.spacesettings")
Setting = space_notification_setting_pb2.SpaceNotificationSetting
Level, Mute = Setting.NotificationSetting, Setting.MuteSetting


@pytest.fixture
async def room(server):
    return await space_with_bob(server, SCOPES)


def setting_name(space_name, user="me"):
    return f"users/{user}/{space_name}/spaceNotificationSetting"


def get(server, md, name):
    return server.chat.GetSpaceNotificationSetting(
        space_notification_setting_pb2.GetSpaceNotificationSettingRequest(name=name), metadata=md)


def update(server, md, name, paths, **fields):
    return server.chat.UpdateSpaceNotificationSetting(
        space_notification_setting_pb2.UpdateSpaceNotificationSettingRequest(
            space_notification_setting=Setting(name=name, **fields),
            update_mask=field_mask_pb2.FieldMask(paths=list(paths))), metadata=md)


async def test_notification_setting_lifecycle(server, room):
    alice, bob, space, bob_id = room["alice"], room["bob"], room["space"], room["bob_id"]
    canonical = setting_name(space.name, bob_id)

    # Never changed: Chat's defaults for a new conversation, under the canonical name whatever the alias.
    for name in (setting_name(space.name), setting_name(space.name, "bob@example.com"), canonical):
        fresh = await get(server, bob, name)
        assert fresh == Setting(name=canonical, notification_setting=Level.ALL, mute_setting=Mute.UNMUTED)

    # Each path changes its own field only.
    changed = await update(server, bob, setting_name(space.name), ["notification_setting"],
                           notification_setting=Level.FOR_YOU, mute_setting=Mute.MUTED)
    assert changed == Setting(name=canonical, notification_setting=Level.FOR_YOU, mute_setting=Mute.UNMUTED)
    changed = await update(server, bob, canonical, ["mute_setting"], mute_setting=Mute.MUTED,
                           notification_setting=Level.OFF)
    assert changed == Setting(name=canonical, notification_setting=Level.FOR_YOU, mute_setting=Mute.MUTED)
    assert await get(server, bob, setting_name(space.name)) == changed
    # Both at once, by listing both paths or with `*`.
    both = await update(server, bob, canonical, ["notification_setting", "mute_setting"],
                        notification_setting=Level.MAIN_CONVERSATIONS, mute_setting=Mute.UNMUTED)
    assert (both.notification_setting, both.mute_setting) == (Level.MAIN_CONVERSATIONS, Mute.UNMUTED)
    star = await update(server, bob, canonical, ["*"], notification_setting=Level.OFF, mute_setting=Mute.MUTED)
    assert (star.notification_setting, star.mute_setting) == (Level.OFF, Mute.MUTED)

    # Settings are per user: alice still has the defaults.
    mine = await get(server, alice, setting_name(space.name))
    assert (mine.notification_setting, mine.mute_setting) == (Level.ALL, Mute.UNMUTED)


async def test_direct_messages_have_no_main_conversations_or_for_you(server):
    alice = server.md(user="alice@example.com", scopes=SCOPES)
    dm = await set_up(server, alice, DM, member("users/bob@example.com"))
    name = setting_name(dm.name)
    for level in (Level.MAIN_CONVERSATIONS, Level.FOR_YOU):
        details = await failure(update(server, alice, name, ["notification_setting"], notification_setting=level),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_notification_setting.notification_setting"]
    off = await update(server, alice, name, ["notification_setting", "mute_setting"],
                       notification_setting=Level.OFF, mute_setting=Mute.MUTED)
    assert (off.notification_setting, off.mute_setting) == (Level.OFF, Mute.MUTED)
    # Group chats offer every level.
    group = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    changed = await update(server, alice, setting_name(group.name), ["notification_setting"],
                           notification_setting=Level.FOR_YOU)
    assert changed.notification_setting == Level.FOR_YOU


async def test_notification_setting_errors(server, room):
    alice, bob, space, bob_id = room["alice"], room["bob"], room["space"], room["bob_id"]
    own = setting_name(space.name, bob_id)

    for bad in ("", f"users/me/{space.name}", f"{space.name}/spaceNotificationSetting",
                f"users/me/{space.name}/spaceReadState", "users/me/spaces/a/b/spaceNotificationSetting"):
        assert field_of(await failure(get(server, bob, bad), grpc.StatusCode.INVALID_ARGUMENT)) == ["name"]
        details = await failure(update(server, bob, bad, ["mute_setting"], mute_setting=Mute.MUTED),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_notification_setting.name"]

    alice_id = (await get(server, alice, setting_name(space.name))).name.split("/")[1]
    for other in ("alice@example.com", alice_id, "987654321", "nobody@example.com", "app"):
        details = await failure(get(server, bob, setting_name(space.name, other)), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "CALLER_ONLY"
        await failure(update(server, bob, setting_name(space.name, other), ["mute_setting"], mute_setting=Mute.MUTED),
                      grpc.StatusCode.PERMISSION_DENIED)

    for paths in ((), ("name",), ("notification_setting", "muteSetting"), ("mute_setting.value",)):
        details = await failure(update(server, bob, own, paths, mute_setting=Mute.MUTED),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"]
    # A path in the mask needs a real value.
    for fields in ({}, {"notification_setting": Level.NOTIFICATION_SETTING_UNSPECIFIED}, {"notification_setting": 9}):
        details = await failure(update(server, bob, own, ["notification_setting"], **fields),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_notification_setting.notification_setting"]
    for fields in ({}, {"mute_setting": Mute.MUTE_SETTING_UNSPECIFIED}, {"mute_setting": 3}):
        details = await failure(update(server, bob, own, ["mute_setting"], **fields), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space_notification_setting.mute_setting"]
    # Nothing was written by the refused calls.
    kept = await get(server, bob, own)
    assert (kept.notification_setting, kept.mute_setting) == (Level.ALL, Mute.UNMUTED)


async def test_a_non_member_learns_nothing(server, room):
    space = room["space"]
    mallory = server.md(user="mallory@example.com", scopes=SCOPES)
    for space_name in (space.name, "spaces/AAAAmissing"):
        name = setting_name(space_name)
        seen = await failure(get(server, mallory, name), grpc.StatusCode.NOT_FOUND)
        assert seen["ErrorInfo"].reason == "SPACE_NOT_FOUND"
        changed = await failure(update(server, mallory, name, ["mute_setting"], mute_setting=Mute.MUTED),
                                grpc.StatusCode.NOT_FOUND)
        assert changed["ErrorInfo"].reason == "SPACE_NOT_FOUND"


async def test_settings_go_with_the_space(server, room):
    alice, bob, space = room["alice"], room["bob"], room["space"]
    await update(server, bob, setting_name(space.name), ["mute_setting"], mute_setting=Mute.MUTED)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space.name),
                                  metadata=server.md(user="alice@example.com", scopes=("chat.delete",)))
    await failure(get(server, alice, setting_name(space.name)), grpc.StatusCode.NOT_FOUND)
    async with server.running.db.transaction() as repos:
        assert await repos.notification_settings.get(space.name.split("/")[1], room["bob_id"]) is None
