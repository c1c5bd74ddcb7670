"""google.chat.v1.Space <-> the domain: the space as Chat returns it, and what a request asks for."""
from __future__ import annotations

from google.chat.v1 import audience_pb2, space_pb2

from chatsvc.aip import names
from chatsvc.api.convert import micros, timestamp
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import HistoryState, Space, SpaceType
from chatsvc.domain.permissions import Permission, Preset, setting
from chatsvc.domain.space_drafts import SpaceDraft
from chatsvc.domain.space_rules import ACCESS_PERMISSIONS
from chatsvc.domain.space_updates import SpacePatch

Proto = space_pb2.Space
_AccessState = Proto.AccessSettings.AccessState


def space_proto(space: Space, *, permissions: bool = False, access: bool = True) -> space_pb2.Space:
    """The space as Google returns it. `permissions`: include permission_settings (GetSpace and the
    responses of create / update, never lists); `access`: include access_settings (not for apps that read
    with the chat.bot scope)."""
    dm = space.space_type == SpaceType.DIRECT_MESSAGE
    proto = Proto(
        name=names.space_name(space.id),
        type=Proto.Type.DM if dm else Proto.Type.ROOM,
        space_type=int(space.space_type),
        single_user_bot_dm=space.single_user_bot_dm,
        display_name=space.display_name,
        external_user_allowed=space.external_user_allowed,
        space_threading_state=int(space.threading_state),
        space_history_state=int(space.history_state),
        import_mode=space.import_mode,
        last_active_time=timestamp(space.last_active_time_us),
        membership_count=Proto.MembershipCount(joined_direct_human_user_count=space.joined_humans,
                                               joined_group_count=space.joined_groups),
        space_uri=f"https://chat.google.com/{'dm' if space.space_type != SpaceType.SPACE else 'room'}/{space.id}",
    )
    if not dm:  # Google leaves both out of direct messages
        proto.create_time.CopyFrom(timestamp(space.create_time_us))
        if space.customer:
            proto.customer = space.customer
    if space.description or space.guidelines:
        proto.space_details.description = space.description
        proto.space_details.guidelines = space.guidelines
    if space.space_type == SpaceType.SPACE:
        if access:
            proto.access_settings.CopyFrom(_access_settings(space))
        if permissions:
            for permission in Permission:
                rule = setting(space, permission)
                getattr(proto.permission_settings, permission.value).CopyFrom(Proto.PermissionSetting(
                    managers_allowed=rule.managers_allowed, members_allowed=rule.members_allowed,
                    assistant_managers_allowed=rule.assistant_managers_allowed))
    if space.import_mode and space.import_mode_expire_time_us:
        proto.import_mode_expire_time.CopyFrom(timestamp(space.import_mode_expire_time_us))
    return proto


def _access_settings(space: Space) -> space_pb2.Space.AccessSettings:
    settings = Proto.AccessSettings(access_state=_AccessState.DISCOVERABLE if space.audience else _AccessState.PRIVATE,
                                    audience=space.audience)
    for name in ACCESS_PERMISSIONS:
        if name in space.access_permissions:
            getattr(settings.access_permission_settings, name).CopyFrom(Proto.AccessPermissionSetting(
                principals=[Proto.Principal(audience=audience_pb2.Audience(name=a))
                            for a in space.access_permissions[name]]))
    return settings


def _enum(value: int, kind, field: str):
    if value not in kind._value2member_map_:
        raise InvalidArgument.field(field, f"`{value}` is not a known value")
    return kind(value)


def _access_permissions(proto: space_pb2.Space) -> dict:
    given = proto.access_settings.access_permission_settings
    return {name: tuple(p.audience.name for p in getattr(given, name).principals)
            for name in ACCESS_PERMISSIONS if given.HasField(name)}


def space_draft(proto: space_pb2.Space, *, unset_type: SpaceType = SpaceType.UNSPECIFIED) -> SpaceDraft:
    """What a new space should be. `unset_type`: the type assumed when the request names none."""
    space_type = _enum(proto.space_type, SpaceType, "space.space_type")
    chosen = proto.WhichOneof("space_permission_settings")
    preset, refused = None, ""
    if chosen == "predefined_permission_settings":
        preset = Preset(_enum(proto.predefined_permission_settings, Preset, "space.predefined_permission_settings"))
    elif chosen == "permission_settings":
        refused = "space.permission_settings"  # new spaces take predefined_permission_settings
    return SpaceDraft(
        space_type=space_type if space_type != SpaceType.UNSPECIFIED else unset_type,
        display_name=proto.display_name,
        description=proto.space_details.description,
        guidelines=proto.space_details.guidelines,
        external_user_allowed=proto.external_user_allowed,
        import_mode=proto.import_mode,
        single_user_bot_dm=proto.single_user_bot_dm,
        customer=proto.customer if proto.HasField("customer") else "",
        history_state=_enum(proto.space_history_state, HistoryState, "space.space_history_state"),
        create_time_us=micros(proto.create_time) if proto.HasField("create_time") else 0,
        preset=preset,
        audience=proto.access_settings.audience,
        access_permissions=_access_permissions(proto),
        refused_field=refused,
    )


def space_patch(request: space_pb2.UpdateSpaceRequest) -> SpacePatch:
    proto = request.space
    permissions = {}
    for permission in Permission:
        if proto.permission_settings.HasField(permission.value):
            given = getattr(proto.permission_settings, permission.value)
            assistants = given.assistant_managers_allowed if given.HasField("assistant_managers_allowed") else None
            permissions[permission] = (given.managers_allowed, given.members_allowed, assistants)
    preset = None
    if proto.WhichOneof("space_permission_settings") == "predefined_permission_settings":
        preset = Preset(_enum(proto.predefined_permission_settings, Preset, "space.predefined_permission_settings"))
    return SpacePatch(
        paths=tuple(request.update_mask.paths),
        space_type=_enum(proto.space_type, SpaceType, "space.space_type"),
        display_name=proto.display_name,
        description=proto.space_details.description,
        guidelines=proto.space_details.guidelines,
        history_state=_enum(proto.space_history_state, HistoryState, "space.space_history_state"),
        audience=proto.access_settings.audience,
        access_permissions=_access_permissions(proto),
        permissions=permissions,
        preset=preset,
    )
