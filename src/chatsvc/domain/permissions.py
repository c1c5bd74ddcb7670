"""Who in a space may do what: Google's permission settings, with the two predefined sets.

A space keeps one PermissionSetting per Permission. Collaboration spaces (the default) let managers and
members do everything; announcement spaces keep everything to managers except replying and seeing the
member list. Group chats and direct messages have no settings: every member may do everything.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Space, SpaceType


class Permission(str, Enum):
    """Named as the fields of google.chat.v1.Space.PermissionSettings."""

    MANAGE_MEMBERS_AND_GROUPS = "manage_members_and_groups"
    MODIFY_SPACE_DETAILS = "modify_space_details"
    TOGGLE_HISTORY = "toggle_history"
    USE_AT_MENTION_ALL = "use_at_mention_all"
    MANAGE_APPS = "manage_apps"
    MANAGE_WEBHOOKS = "manage_webhooks"
    POST_MESSAGES = "post_messages"
    REPLY_MESSAGES = "reply_messages"
    VIEW_SPACE_MEMBERSHIP = "view_space_membership"


@dataclass(frozen=True)
class PermissionSetting:
    managers_allowed: bool = True
    members_allowed: bool = True
    assistant_managers_allowed: bool = True


class Preset(int, Enum):
    """google.chat.v1.Space.PredefinedPermissionSettings, by value."""

    COLLABORATION_SPACE = 1
    ANNOUNCEMENT_SPACE = 2


_EVERYONE = PermissionSetting()
_MANAGERS = PermissionSetting(members_allowed=False)


def preset(kind: Preset) -> dict[Permission, PermissionSetting]:
    if kind == Preset.COLLABORATION_SPACE:
        return {p: _EVERYONE for p in Permission}
    everyone = {Permission.REPLY_MESSAGES, Permission.VIEW_SPACE_MEMBERSHIP}
    return {p: _EVERYONE if p in everyone else _MANAGERS for p in Permission}


# The default of a named space's settings, built once: GetSpace reads it for every permission it answers.
_COLLABORATION_DEFAULTS = preset(Preset.COLLABORATION_SPACE)


def setting(space: Space, permission: Permission) -> PermissionSetting:
    if space.space_type != SpaceType.SPACE:
        return _EVERYONE
    return space.permissions.get(permission) or _COLLABORATION_DEFAULTS[permission]


def allowed(space: Space, membership: Membership | None, permission: Permission) -> bool:
    """Whether a joined member may act; callers check visibility first, so a non-member is refused."""
    if membership is None or membership.state != MembershipState.JOINED:
        return False
    rule = setting(space, permission)
    if membership.role == MembershipRole.MANAGER:
        return rule.managers_allowed
    if membership.role == MembershipRole.ASSISTANT_MANAGER:
        return rule.assistant_managers_allowed
    return rule.members_allowed
