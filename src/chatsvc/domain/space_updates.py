"""UpdateSpace: which update_mask paths exist, which go together, and who may change what.

Google's rules, in short: display name, details and the group-chat-to-space conversion may be changed
together; history, the target audience and the permission settings each on their own (access permission
settings may join `permission_settings.view_space_membership`); administrators may not change the type,
the history or the access settings; permission settings belong to managers (for an app: to the app that
created the space); the target audience to managers, under user authentication only.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from chatsvc.aip.filters import snake
from chatsvc.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from chatsvc.domain.models import HistoryState, Membership, MembershipRole, Space, SpaceType, User
from chatsvc.domain.permissions import Permission, PermissionSetting, Preset, allowed, preset
from chatsvc.domain.principal import Principal
from chatsvc.domain.space_rules import (
    ACCESS_PERMISSIONS,
    DEFAULT_CUSTOMER,
    check_access_permissions,
    check_audience,
    check_display_name,
    check_space_details,
)

_ACCESS = "access_settings.access_permission_settings"
_VIEW_SETTING = f"{_ACCESS}.view_space_membership_setting"
_VIEW_PERMISSION = "permission_settings.view_space_membership"
_SETTABLE = tuple(p for p in Permission if p != Permission.POST_MESSAGES)  # post_messages is output only

_GROUPS = {
    "display_name": "details", "space_type": "details", "space_details": "details",
    "space_details.description": "details", "space_details.guidelines": "details",
    "space_history_state": "history",
    "access_settings.audience": "audience",
    _ACCESS: "access", **{f"{_ACCESS}.{name}": "access" for name in ACCESS_PERMISSIONS},
    "permission_settings": "permissions", "predefined_permission_settings": "permissions",
    **{f"permission_settings.{p.value}": "permissions" for p in _SETTABLE},
}
_NOT_FOR_ADMINS = {"space_type", "space_history_state", "access_settings.audience", _ACCESS,
                   *(f"{_ACCESS}.{name}" for name in ACCESS_PERMISSIONS)}


@dataclass(frozen=True)
class SpacePatch:
    """The request's update_mask paths (as sent) and the values of every field they may name."""

    paths: tuple[str, ...]
    space_type: SpaceType = SpaceType.UNSPECIFIED
    display_name: str = ""
    description: str = ""
    guidelines: str = ""
    history_state: HistoryState = HistoryState.UNSPECIFIED
    audience: str = ""
    # Access permission setting name -> audience names, for the settings present in the request.
    access_permissions: dict = field(default_factory=dict)
    # Permission -> (managers_allowed, members_allowed, assistant_managers_allowed or None when unset), for
    # the settings present in the request.
    permissions: dict = field(default_factory=dict)
    preset: Preset | None = None


def apply_patch(space: Space, patch: SpacePatch, *, principal: Principal, caller: User,
                membership: Membership | None, admin_access: bool) -> tuple[Space, bool]:
    """The space as the patch leaves it, and whether the caller becomes its manager (a group chat the caller
    turned into a space). Raises if the mask or a value is invalid or the caller may not make the change."""
    paths = _paths(patch, space)
    _check_combination(paths, admin_access)
    # The creator of an import-mode space is the only one who sees it, and acts on it as its owner.
    acting = _Authority(space, membership, principal, caller, admin_access or space.import_mode)
    updated, promote = replace(space), False
    if "space_type" in paths:
        updated, promote = _convert(updated, patch, paths, acting)
    if "display_name" in paths:
        if updated.space_type != SpaceType.SPACE:
            raise InvalidArgument.field("space.display_name", "only spaces of type SPACE have a display name to change")
        check_display_name(patch.display_name)
        acting.require(Permission.MODIFY_SPACE_DETAILS, "change the space's name and details")
        updated.display_name = patch.display_name
    details = {"space_details", "space_details.description", "space_details.guidelines"} & paths
    if details:
        acting.require(Permission.MODIFY_SPACE_DETAILS, "change the space's name and details")
        if details & {"space_details", "space_details.description"}:
            updated.description = patch.description
        if details & {"space_details", "space_details.guidelines"}:
            updated.guidelines = patch.guidelines
        check_space_details(updated.description, updated.guidelines)
    if "space_history_state" in paths:
        if patch.history_state not in (HistoryState.HISTORY_ON, HistoryState.HISTORY_OFF):
            raise InvalidArgument.field("space.space_history_state", "must be HISTORY_ON or HISTORY_OFF")
        acting.require(Permission.TOGGLE_HISTORY, "turn history on or off")
        updated.history_state = patch.history_state
    if "access_settings.audience" in paths:
        _named_and_live(space, "space.access_settings.audience")
        if principal.is_app:
            raise PermissionDenied("Changing the target audience needs user authentication.",
                                   reason="USER_AUTHENTICATION_REQUIRED")
        acting.require_role((MembershipRole.MANAGER,), "change who can discover the space")
        check_audience(patch.audience)
        updated.audience = patch.audience
    if any(_GROUPS[p] == "access" for p in paths):
        _named_and_live(space, "space.access_settings.access_permission_settings")
        acting.require_role((MembershipRole.MANAGER, MembershipRole.ASSISTANT_MANAGER),
                            "change the space's access permission settings")
        updated.access_permissions = _access_permissions(space, patch, paths)
    if any(_GROUPS[p] == "permissions" for p in paths):
        if space.space_type != SpaceType.SPACE:
            raise InvalidArgument.field("space.permission_settings", "only spaces of type SPACE have permission "
                                                                      "settings")
        acting.require_owner()
        updated.permissions = _permissions(space, patch, paths)
    view = updated.access_permissions.get("view_space_membership_setting", ())
    if view and not updated.permissions.get(Permission.VIEW_SPACE_MEMBERSHIP, PermissionSetting()).members_allowed:
        raise InvalidArgument.field(_VIEW_PERMISSION, "must let members view the membership when an audience may")
    return updated, promote


def _paths(patch: SpacePatch, space: Space) -> set[str]:
    if not patch.paths:
        raise InvalidArgument.field("update_mask", "is required: name the fields to update")
    paths = {".".join(snake(part) for part in path.strip().split(".")) for path in patch.paths}
    if "*" in paths:
        if len(paths) > 1:
            raise InvalidArgument.field("update_mask", "`*` must be the only path")
        # Every field that can change together: the details, the name of a named space, and the type when
        # the request turns a group chat into a space.
        paths = {"space_details"}
        converting = space.space_type == SpaceType.GROUP_CHAT and patch.space_type == SpaceType.SPACE
        if converting:
            paths.add("space_type")
        if space.space_type == SpaceType.SPACE or converting:
            paths.add("display_name")
    for path in sorted(paths):
        if path not in _GROUPS:
            raise InvalidArgument.field("update_mask", f"`{path}` is not a field UpdateSpace can change")
    return paths


def _check_combination(paths: set[str], admin_access: bool) -> None:
    groups = {_GROUPS[p] for p in paths}
    for alone in ("space_history_state", "access_settings.audience"):
        if alone in paths and len(paths) > 1:
            raise InvalidArgument.field("update_mask", f"`{alone}` must be updated on its own")
    if groups & {"access", "permissions"} and "details" in groups:
        raise InvalidArgument.field("update_mask", "permission and access settings are updated on their own")
    if groups == {"access", "permissions"} and not (
            paths - {_VIEW_PERMISSION} <= {_VIEW_SETTING} and _VIEW_PERMISSION in paths):
        raise InvalidArgument.field("update_mask", f"access permission settings go with permission settings only as "
                                                   f"`{_VIEW_SETTING}` with `{_VIEW_PERMISSION}`")
    if _VIEW_SETTING in paths and _VIEW_PERMISSION not in paths:
        raise InvalidArgument.field("update_mask", f"`{_VIEW_SETTING}` needs `{_VIEW_PERMISSION}` in the same mask")
    if admin_access:
        refused = sorted(paths & _NOT_FOR_ADMINS)
        if refused:
            raise InvalidArgument.field("update_mask", f"`{refused[0]}` cannot be updated with `use_admin_access`")


def _convert(space: Space, patch: SpacePatch, paths: set[str], acting: _Authority) -> tuple[Space, bool]:
    """`space_type`: only a group chat may change, and only into a SPACE with a display name."""
    if patch.space_type != SpaceType.SPACE:
        raise InvalidArgument.field("space.space_type", "can only be changed to SPACE")
    if space.space_type == SpaceType.SPACE:
        return space, False
    if space.space_type != SpaceType.GROUP_CHAT:
        raise InvalidArgument.field("space.space_type", "only a group chat can become a space")
    if "display_name" not in paths:
        raise InvalidArgument.field("update_mask", "turning a group chat into a space needs `display_name` too")
    acting.require(Permission.MODIFY_SPACE_DETAILS, "turn the group chat into a space")
    converted = replace(space, space_type=SpaceType.SPACE, customer=space.customer or DEFAULT_CUSTOMER,
                        permissions=preset(Preset.COLLABORATION_SPACE))
    member = acting.membership
    promote = not acting.principal.is_app and member is not None and member.role != MembershipRole.MANAGER
    return converted, promote


def _named_and_live(space: Space, field_name: str) -> None:
    if space.space_type != SpaceType.SPACE:
        raise InvalidArgument.field(field_name, "applies only to spaces of type SPACE")
    if space.import_mode:
        raise FailedPrecondition("Access settings cannot change while the space is in import mode.",
                                 reason="SPACE_IN_IMPORT_MODE")


def _access_permissions(space: Space, patch: SpacePatch, paths: set[str]) -> dict:
    settings = dict(space.access_permissions)
    for name in ACCESS_PERMISSIONS:
        if _ACCESS in paths or f"{_ACCESS}.{name}" in paths:
            audiences = tuple(patch.access_permissions.get(name, ()))
            if audiences:
                settings[name] = audiences
            else:
                settings.pop(name, None)
    check_access_permissions(settings)
    return settings


def _permissions(space: Space, patch: SpacePatch, paths: set[str]) -> dict:
    if "predefined_permission_settings" in paths:
        if patch.preset is None:
            raise InvalidArgument.field("space.predefined_permission_settings", "must be COLLABORATION_SPACE or "
                                                                                "ANNOUNCEMENT_SPACE")
        return preset(patch.preset)
    settings = dict(space.permissions) or preset(Preset.COLLABORATION_SPACE)
    named = _SETTABLE if "permission_settings" in paths else [
        p for p in _SETTABLE if f"permission_settings.{p.value}" in paths]
    for permission in named:
        given = patch.permissions.get(permission)
        if given is None:
            if "permission_settings" in paths:
                continue  # the whole message: settings left out keep their value
            raise InvalidArgument.field(f"space.permission_settings.{permission.value}",
                                        "is in update_mask but has no value")
        managers, members, assistants = given
        if assistants is None:
            assistants = settings[permission].assistant_managers_allowed
        settings[permission] = PermissionSetting(managers_allowed=managers, members_allowed=members,
                                                 assistant_managers_allowed=assistants)
    return settings


@dataclass(frozen=True)
class _Authority:
    """Who is changing the space, and the checks each kind of change needs."""

    space: Space
    membership: Membership | None
    principal: Principal
    caller: User
    unrestricted: bool  # administrator access, or the creator of a space in import mode

    def require(self, permission: Permission, what: str) -> None:
        if not self.unrestricted and not allowed(self.space, self.membership, permission):
            raise PermissionDenied(f"The space's permission settings do not let you {what}.",
                                   reason="PERMISSION_SETTING_DENIES")

    def require_role(self, roles: tuple[MembershipRole, ...], what: str) -> None:
        if self.unrestricted:
            return
        if self.membership is None or self.membership.role not in roles:
            raise PermissionDenied(f"Only space managers can {what}.", reason="NOT_SPACE_MANAGER")

    def require_owner(self) -> None:
        """Permission settings: managers; for an app, the app that created the space."""
        if self.unrestricted:
            return
        if self.principal.is_app:
            if self.space.creator_id != self.caller.id:
                raise PermissionDenied("A Chat app can change the permission settings only of spaces it created.",
                                       reason="NOT_SPACE_CREATOR")
            return
        self.require_role((MembershipRole.MANAGER,), "change the space's permission settings")
