"""google.chat.v1 membership RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import group_pb2, membership_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import micros, timestamp, user
from chatsvc.domain import membership_filter
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.memberships import MemberDraft, MemberView
from chatsvc.domain.models import MembershipRole, UserType
from chatsvc.domain.principal import current_principal

# UpdateMembership: the only path Google supports, and `*` which means the same.
_UPDATABLE = {"role", "*"}
_ROLES = {MembershipRole.MEMBER, MembershipRole.MANAGER, MembershipRole.ASSISTANT_MANAGER}


def membership_proto(view: MemberView) -> membership_pb2.Membership:
    m = view.membership
    proto = membership_pb2.Membership(
        name=names.membership_name(m.space_id, m.member_id),
        state=int(m.state),
        role=int(m.role),
        create_time=timestamp(m.create_time_us),
    )
    if m.delete_time_us:
        proto.delete_time.CopyFrom(timestamp(m.delete_time_us))
    if m.is_group:
        proto.group_member.CopyFrom(group_pb2.Group(name=names.group_name(m.member_id)))
    else:
        proto.member.CopyFrom(user(view.user))
    return proto


def _draft(membership: membership_pb2.Membership) -> MemberDraft:
    which = membership.WhichOneof("memberType")
    if which == "member":
        ref = names.user(membership.member.name, "membership.member.name")
        if membership.member.type not in UserType._value2member_map_:
            raise InvalidArgument.field("membership.member.type", "must be HUMAN or BOT")
        declared = UserType(membership.member.type)
    elif which == "group_member":
        ref, declared = names.member(membership.group_member.name, "membership.group_member.name"), UserType.UNSPECIFIED
        if not ref.is_group:
            raise InvalidArgument.field("membership.group_member.name", "must have the form `groups/{group}`")
    else:
        raise InvalidArgument.field("membership.member",
                                    "a user (`member`) or a Google Group (`group_member`) is required")
    # Output only, except in import-mode spaces, where the domain reads them.
    return MemberDraft(
        member=ref, declared_type=declared,
        create_time_us=micros(membership.create_time) if membership.HasField("create_time") else 0,
        delete_time_us=micros(membership.delete_time) if membership.HasField("delete_time") else 0)


def _role_update(request: membership_pb2.UpdateMembershipRequest) -> MembershipRole:
    paths = list(request.update_mask.paths)
    if not paths:
        raise InvalidArgument.field("update_mask", "is required; the supported path is `role`")
    for path in paths:
        if path not in _UPDATABLE:
            raise InvalidArgument.field("update_mask", f"`{path}` can't be updated; the supported path is `role`")
    if request.membership.role not in {int(r) for r in _ROLES}:
        raise InvalidArgument.field("membership.role",
                                    "must be ROLE_MEMBER, ROLE_MANAGER or ROLE_ASSISTANT_MANAGER")
    return MembershipRole(request.membership.role)


class MembershipsApi:
    """Mixed into the ChatService servicer; `self.memberships` and `self.pager` come from it."""

    async def CreateMembership(self, request, context):
        # `membership.role` is ignored here: Google takes it as input only in UpdateMembership.
        view = await self.memberships.create(
            current_principal(), names.space(request.parent, "parent"), _draft(request.membership),
            admin_access=request.use_admin_access)
        return membership_proto(view)

    async def GetMembership(self, request, context):
        space_id, member = names.membership(request.name, "name")
        view = await self.memberships.get(current_principal(), space_id, member,
                                          admin_access=request.use_admin_access)
        return membership_proto(view)

    async def UpdateMembership(self, request, context):
        space_id, member = names.membership(request.membership.name, "membership.name")
        role = _role_update(request)
        view = await self.memberships.update_role(current_principal(), space_id, member, role,
                                                  admin_access=request.use_admin_access)
        return membership_proto(view)

    async def DeleteMembership(self, request, context):
        space_id, member = names.membership(request.name, "name")
        view = await self.memberships.delete(current_principal(), space_id, member,
                                             admin_access=request.use_admin_access)
        return membership_proto(view)

    async def ListMemberships(self, request, context):
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        size = page_size(request.page_size, default=100, maximum=1000)
        condition = membership_filter.parse(request.filter, admin_access=request.use_admin_access)
        if principal.is_app and request.show_invited:
            raise InvalidArgument.field("show_invited", "requires user authentication")
        if principal.is_app and request.show_groups:
            raise InvalidArgument.field("show_groups", "Google Group memberships require user authentication")
        params = (request.parent, request.filter, request.show_groups, request.show_invited,
                  request.use_admin_access)
        after = self.pager.position(request.page_token, "ListMemberships", principal, *params)
        page = await self.memberships.list(
            principal, space_id, after=after[0] if after else None, limit=size, condition=condition,
            show_invited=request.show_invited, show_groups=request.show_groups,
            admin_access=request.use_admin_access)
        return membership_pb2.ListMembershipsResponse(
            memberships=[membership_proto(v) for v in page.items],
            next_page_token=self.pager.token(page.next_position, "ListMemberships", principal, *params))
