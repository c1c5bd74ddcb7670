"""Who may add, remove and re-role whom in a space, as Google documents it.

Roles rank owner (ROLE_MANAGER) > manager (ROLE_ASSISTANT_MANAGER) > member. Adding and removing others
follows the space's permission settings (manage_members_and_groups, manage_apps); removing an owner takes
an owner, removing a manager takes at least a manager. Owners change any role; managers move people between
member and manager but never touch owners. Administrators (admin access), the Chat app that created a space
(app authentication) and the creator of an import-mode space act with an owner's powers without
necessarily holding the role.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.domain import permissions
from chatsvc.domain.errors import FailedPrecondition, PermissionDenied
from chatsvc.domain.models import Membership, MembershipRole, Space, SpaceType, User
from chatsvc.domain.permissions import Permission
from chatsvc.domain.principal import Principal

_SCOPE_PREFIX = "https://www.googleapis.com/auth/"
_RANK = {MembershipRole.UNSPECIFIED: 0, MembershipRole.MEMBER: 1, MembershipRole.ASSISTANT_MANAGER: 2,
         MembershipRole.MANAGER: 3}


@dataclass(frozen=True)
class Actor:
    principal: Principal
    user: User
    membership: Membership | None  # the caller's joined membership, if any
    admin: bool = False

    def privileged(self, space: Space) -> bool:
        """Owner's powers without (necessarily) the owner's role."""
        creator = space.creator_id == self.user.id
        return self.admin or (creator and (self.principal.is_app or space.import_mode))

    def role(self, space: Space) -> MembershipRole:
        if self.privileged(space):
            return MembershipRole.MANAGER
        return self.membership.role if self.membership else MembershipRole.UNSPECIFIED

    def may(self, space: Space, permission: Permission) -> bool:
        return self.privileged(space) or permissions.allowed(space, self.membership, permission)


def require_scope(actor: Actor, space: Space, *accepted: str, import_mode: bool = True) -> None:
    """User authentication only: the token must carry one of `accepted`, or `chat.import` when the space is
    in import mode (Google: chat.import serves import-mode spaces only). The interceptor has already checked
    the RPC's scopes as a whole; this narrows them to what this particular request does."""
    principal = actor.principal
    if principal.is_app or actor.admin:
        return
    wanted = {_SCOPE_PREFIX + s for s in accepted}
    if import_mode and space.import_mode:
        wanted.add(_SCOPE_PREFIX + "chat.import")
    if not principal.scopes & wanted:
        raise PermissionDenied(f"Request had insufficient authentication scopes: this request needs "
                               f"{' or '.join(sorted(s.removeprefix(_SCOPE_PREFIX) for s in wanted))}.",
                               reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")


def check_view(actor: Actor, space: Space) -> None:
    if not actor.may(space, Permission.VIEW_SPACE_MEMBERSHIP):
        raise PermissionDenied("The space's permission settings don't let you view its members.",
                               reason="SPACE_PERMISSION_DENIED")


def check_add(actor: Actor, space: Space, *, app: bool) -> None:
    permission = Permission.MANAGE_APPS if app else Permission.MANAGE_MEMBERS_AND_GROUPS
    if not actor.may(space, permission):
        what = "add Chat apps to" if app else "add members to"
        raise PermissionDenied(f"The space's permission settings don't let you {what} this space.",
                               reason="SPACE_PERMISSION_DENIED")


def check_remove(actor: Actor, space: Space, target: Membership, *, leaving: bool, app: bool) -> None:
    """`leaving`: the caller removes itself, which needs no permission."""
    if leaving:
        return
    permission = Permission.MANAGE_APPS if app else Permission.MANAGE_MEMBERS_AND_GROUPS
    if not actor.may(space, permission):
        what = "remove Chat apps from" if app else "remove members from"
        raise PermissionDenied(f"The space's permission settings don't let you {what} this space.",
                               reason="SPACE_PERMISSION_DENIED")
    if _RANK[actor.role(space)] < _RANK[target.role]:
        if target.role == MembershipRole.MANAGER:
            raise PermissionDenied("Only space owners (ROLE_MANAGER) can remove a space owner.",
                                   reason="NOT_SPACE_OWNER")
        raise PermissionDenied("Only space managers can remove a space manager.", reason="NOT_SPACE_MANAGER")


def check_role_change(actor: Actor, space: Space, target: Membership, role: MembershipRole) -> None:
    if space.space_type != SpaceType.SPACE:
        raise FailedPrecondition("Roles exist only in spaces of type SPACE; in group chats and direct messages "
                                 "everyone is a member.", reason="ROLES_NOT_SUPPORTED")
    acting = actor.role(space)
    if acting == MembershipRole.MANAGER:
        return
    if acting != MembershipRole.ASSISTANT_MANAGER:
        raise PermissionDenied("Only space owners and managers can change roles.", reason="NOT_SPACE_MANAGER")
    if MembershipRole.MANAGER in (target.role, role):
        raise PermissionDenied("Only space owners (ROLE_MANAGER) can make someone an owner or change an "
                               "owner's role.", reason="NOT_SPACE_OWNER")
