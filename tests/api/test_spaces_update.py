"""UpdateSpace over gRPC: the update_mask paths, which go together, and who may change what."""
import grpc
from google.chat.v1 import history_state_pb2, membership_pb2

from chatsvc.domain.events import EventType
from tests.api.spaces_support import (
    GROUP_CHAT,
    SPACE,
    Space,
    add_member,
    admin,
    app,
    events_of,
    get,
    member,
    members_of,
    set_up,
    update,
    user,
)
from tests.helpers import failure, field_of, new_space

HISTORY_ON, HISTORY_OFF = history_state_pb2.HISTORY_ON, history_state_pb2.HISTORY_OFF
Setting = Space.PermissionSetting
Role = membership_pb2.Membership.MembershipRole


async def test_update_lifecycle(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice, "Before")
    changed = await update(server, alice, Space(name=space.name, display_name="After", space_details=Space.SpaceDetails(
        description="What we do", guidelines="Be kind")), "display_name", "space_details")
    assert changed.display_name == "After"
    assert changed.space_details.description == "What we do" and changed.space_details.guidelines == "Be kind"
    assert changed.permission_settings.modify_space_details.managers_allowed
    assert await get(server, alice, space.name) == changed
    # camelCase paths, and one half of the details.
    changed = await update(server, alice, Space(name=space.name, space_details=Space.SpaceDetails(
        description="New")), "spaceDetails.description")
    assert changed.space_details.description == "New" and changed.space_details.guidelines == "Be kind"
    # `*` replaces what can change together.
    changed = await update(server, alice, Space(name=space.name, display_name="Star"), "*")
    assert changed.display_name == "Star" and not changed.HasField("space_details")
    assert [t for t, _ in await events_of(server, space.name)] == [EventType.SPACE_UPDATED.value] * 3


async def test_update_mask_errors(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    for paths in ((), ("name",), ("create_time",), ("external_user_allowed",), ("permission_settings.post_messages",),
                  ("display_name", "bogus"), ("*", "display_name"), ("space_history_state", "display_name"),
                  ("access_settings.audience", "space_details"),
                  ("permission_settings.manage_apps", "display_name"),
                  ("access_settings.access_permission_settings.view_space_membership_setting",)):
        details = await failure(update(server, alice, Space(name=space.name, display_name="x",
                                                            space_history_state=HISTORY_OFF), *paths),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"], paths
    for bad in ("", "rooms/x", "spaces/a/b"):
        details = await failure(update(server, alice, Space(name=bad), "display_name"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["space.name"]


async def test_display_name_rules(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice, "Mine")
    await new_space(server, alice, "Theirs")
    for value, field in (("", "space.display_name"), ("  ", "space.display_name"), ("x" * 129, "space.display_name")):
        details = await failure(update(server, alice, Space(name=space.name, display_name=value), "display_name"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    details = await failure(update(server, alice, Space(name=space.name, display_name="THEIRS"), "display_name"),
                            grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "SPACE_DISPLAY_NAME_IN_USE"
    # Its own name, in other case, is not a clash.
    renamed = await update(server, alice, Space(name=space.name, display_name="MINE"), "display_name")
    assert renamed.display_name == "MINE"
    details = await failure(update(server, alice, Space(name=space.name, space_details=Space.SpaceDetails(
        description="d" * 151)), "space_details"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_details.description"]


async def test_history_state_alone(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)
    changed = await update(server, alice, Space(name=space.name, space_history_state=HISTORY_OFF),
                           "space_history_state")
    assert changed.space_history_state == HISTORY_OFF
    details = await failure(update(server, alice, Space(name=space.name), "space_history_state"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_history_state"]


async def test_permission_settings(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    await add_member(server, alice, space.name, "bob@example.com")
    managers_only = Setting(managers_allowed=True, members_allowed=False)
    # Members may change the details of a collaboration space...
    await update(server, bob, Space(name=space.name, display_name="Bob was here"), "display_name")
    # ...but only managers change permission settings.
    details = await failure(update(server, bob, Space(name=space.name, permission_settings=Space.PermissionSettings(
        modify_space_details=managers_only)), "permission_settings.modify_space_details"),
        grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    changed = await update(server, alice, Space(name=space.name, permission_settings=Space.PermissionSettings(
        modify_space_details=managers_only, toggle_history=managers_only)),
        "permission_settings.modifySpaceDetails", "permission_settings.toggle_history")
    assert not changed.permission_settings.modify_space_details.members_allowed
    assert changed.permission_settings.modify_space_details.assistant_managers_allowed  # kept when unset
    assert changed.permission_settings.manage_apps.members_allowed  # untouched
    # Now the settings keep Bob out.
    details = await failure(update(server, bob, Space(name=space.name, display_name="Again"), "display_name"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "PERMISSION_SETTING_DENIES"
    await failure(update(server, bob, Space(name=space.name, space_history_state=HISTORY_OFF), "space_history_state"),
                  grpc.StatusCode.PERMISSION_DENIED)
    # A path without a value, and a predefined set.
    details = await failure(update(server, alice, Space(name=space.name), "permission_settings.manage_apps"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.permission_settings.manage_apps"]
    changed = await update(server, alice, Space(
        name=space.name, predefined_permission_settings=Space.PredefinedPermissionSettings.ANNOUNCEMENT_SPACE),
        "predefined_permission_settings")
    assert not changed.permission_settings.post_messages.members_allowed
    assert changed.permission_settings.reply_messages.members_allowed
    # Group chats have no permission settings.
    chat = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    details = await failure(update(server, alice, Space(name=chat.name, permission_settings=Space.PermissionSettings(
        manage_apps=managers_only)), "permission_settings.manage_apps"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.permission_settings"]


async def test_target_audience(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    space = await new_space(server, alice)
    assert space.access_settings.access_state == Space.AccessSettings.AccessState.PRIVATE
    await add_member(server, alice, space.name, "bob@example.com")
    open_space = Space(name=space.name, access_settings=Space.AccessSettings(audience="audiences/default"))
    changed = await update(server, alice, open_space, "access_settings.audience")
    assert changed.access_settings.access_state == Space.AccessSettings.AccessState.DISCOVERABLE
    assert changed.access_settings.audience == "audiences/default"
    details = await failure(update(server, bob, open_space, "access_settings.audience"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_MANAGER"
    details = await failure(update(server, alice, Space(name=space.name, access_settings=Space.AccessSettings(
        audience="everyone")), "access_settings.audience"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.access_settings.audience"]
    details = await failure(update(server, admin(server), open_space, "access_settings.audience", admin_access=True),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]
    # Leaving the value out makes the space private again.
    changed = await update(server, alice, Space(name=space.name), "access_settings.audience")
    assert changed.access_settings.access_state == Space.AccessSettings.AccessState.PRIVATE


async def test_access_permission_settings(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice)

    def setting(*audiences):
        return Space.AccessPermissionSetting(principals=[Space.Principal(audience={"name": a}) for a in audiences])

    settings = Space.AccessPermissionSettings(discover_space_setting=setting("audiences/a", "audiences/b"),
                                              join_space_setting=setting("audiences/a"))
    changed = await update(server, alice, Space(name=space.name, access_settings=Space.AccessSettings(
        access_permission_settings=settings)), "access_settings.access_permission_settings")
    assert changed.access_settings.access_permission_settings == settings
    bad = Space.AccessPermissionSettings(join_space_setting=setting("audiences/c"))
    details = await failure(update(server, alice, Space(name=space.name, access_settings=Space.AccessSettings(
        access_permission_settings=bad)), "access_settings.access_permission_settings.join_space_setting"),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.access_settings.access_permission_settings.join_space_setting"]
    # Viewing the membership goes with the matching permission setting.
    view = Space(name=space.name, access_settings=Space.AccessSettings(access_permission_settings=Space.
                 AccessPermissionSettings(view_space_membership_setting=setting("audiences/a"))),
                 permission_settings=Space.PermissionSettings(view_space_membership=Setting(
                     managers_allowed=True, members_allowed=True)))
    changed = await update(server, alice, view,
                           "access_settings.access_permission_settings.view_space_membership_setting",
                           "permission_settings.view_space_membership")
    assert len(changed.access_settings.access_permission_settings.view_space_membership_setting.principals) == 1


async def test_group_chat_becomes_a_space(server):
    alice, bob = user(server, "alice@example.com"), user(server, "bob@example.com")
    chat = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"), member("users/carol@example.com"))
    details = await failure(update(server, bob, Space(name=chat.name, space_type=SPACE), "space_type"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]
    details = await failure(update(server, bob, Space(name=chat.name, display_name="Named"), "display_name"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.display_name"]
    details = await failure(update(server, bob, Space(name=chat.name, space_type=GROUP_CHAT, display_name="x"),
                                   "space_type", "display_name"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_type"]
    converted = await update(server, bob, Space(name=chat.name, space_type=SPACE, display_name="Now a space"),
                             "space_type", "display_name")
    assert converted.space_type == SPACE and converted.display_name == "Now a space"
    assert converted.permission_settings.manage_members_and_groups.managers_allowed
    roles = {m.member.name: m.role for m in await members_of(server, alice, chat.name)}
    assert sorted(roles.values()) == [Role.ROLE_MEMBER, Role.ROLE_MEMBER, Role.ROLE_MANAGER]
    # The name is now claimed, and a space cannot go back.
    await failure(new_space(server, alice, "now a SPACE"), grpc.StatusCode.ALREADY_EXISTS)
    details = await failure(update(server, alice, Space(name=chat.name, space_type=GROUP_CHAT), "space_type"),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["space.space_type"]
    # Administrators cannot change types.
    details = await failure(update(server, admin(server), Space(name=chat.name, space_type=SPACE), "space_type",
                                   admin_access=True), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]


async def test_admin_and_app_updates(server):
    alice = user(server, "alice@example.com")
    space = await new_space(server, alice, "Org space")
    boss = admin(server)
    await failure(update(server, boss, Space(name=space.name, display_name="Renamed"), "display_name"),
                  grpc.StatusCode.NOT_FOUND)
    changed = await update(server, boss, Space(name=space.name, display_name="Renamed"), "display_name",
                           admin_access=True)
    assert changed.display_name == "Renamed"
    details = await failure(update(server, boss, Space(name=space.name, space_history_state=HISTORY_OFF),
                                   "space_history_state", admin_access=True), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]

    bot, other = app(server), app(server, "other-bot")
    own = await new_space(server, bot, "App space", customer="customers/my_customer")
    managers_only = Setting(managers_allowed=True, members_allowed=False)
    changed = await update(server, bot, Space(name=own.name, permission_settings=Space.PermissionSettings(
        manage_apps=managers_only)), "permission_settings.manage_apps")
    assert not changed.permission_settings.manage_apps.members_allowed
    details = await failure(update(server, bot, Space(name=own.name, access_settings=Space.AccessSettings(
        audience="audiences/default")), "access_settings.audience"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "USER_AUTHENTICATION_REQUIRED"
    # Another app, even as a member, cannot change the settings of a space it did not create.
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": "users/app"})),
        metadata=server.md(user="alice@example.com", app="other-bot", scopes=["chat.memberships.app"]))
    details = await failure(update(server, other, Space(name=space.name, permission_settings=Space.PermissionSettings(
        manage_apps=managers_only)), "permission_settings.manage_apps"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_SPACE_CREATOR"


async def test_update_not_found(server):
    alice, eve = user(server, "alice@example.com"), user(server, "eve@example.com")
    space = await new_space(server, alice)
    for md, name in ((eve, space.name), (alice, "spaces/AAAAmissing")):
        details = await failure(update(server, md, Space(name=name, display_name="x"), "display_name"),
                                grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    assert (await get(server, alice, space.name)).display_name == space.display_name
