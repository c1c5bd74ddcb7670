"""google.chat.v1 membership RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import group_pb2, membership_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp, user
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.memberships import MemberView
from chatsvc.domain.models import MembershipRole
from chatsvc.domain.principal import current_principal


def membership_proto(view: MemberView) -> membership_pb2.Membership:
    m = view.membership
    proto = membership_pb2.Membership(
        name=names.membership_name(m.space_id, m.member_id),
        state=int(m.state),
        role=int(m.role),
        create_time=timestamp(m.create_time_us),
    )
    if m.is_group:
        proto.group_member.CopyFrom(group_pb2.Group(name=names.group_name(m.member_id)))
    else:
        proto.member.CopyFrom(user(view.user))
    return proto


def _member_ref(membership: membership_pb2.Membership) -> names.MemberRef:
    which = membership.WhichOneof("memberType")
    if which == "member":
        return names.user(membership.member.name, "membership.member.name")
    if which == "group_member":
        return names.member(membership.group_member.name, "membership.group_member.name")
    raise InvalidArgument.field("membership.member", "a user (`member`) or a group (`group_member`) is required")


class MembershipsApi:
    """Mixed into the ChatService servicer; `self.memberships` and `self.pager` come from it."""

    async def CreateMembership(self, request, context):
        if request.membership.role not in MembershipRole._value2member_map_:
            raise InvalidArgument.field("membership.role", "is not a role that can be given")
        view = await self.memberships.create(
            current_principal(), names.space(request.parent, "parent"), _member_ref(request.membership),
            MembershipRole(request.membership.role), admin_access=request.use_admin_access)
        return membership_proto(view)

    async def ListMemberships(self, request, context):
        principal = current_principal()
        if request.filter:
            raise InvalidArgument.field("filter", "filtering memberships is not supported yet")
        space_id = names.space(request.parent, "parent")
        size = page_size(request.page_size, default=100, maximum=1000)
        params = (request.parent, request.filter, request.show_groups, request.show_invited,
                  request.use_admin_access)
        after = self.pager.position(request.page_token, "ListMemberships", principal, *params)
        page = await self.memberships.list(
            principal, space_id, after=after[0] if after else None, limit=size, show_invited=request.show_invited,
            show_groups=request.show_groups, admin_access=request.use_admin_access)
        return membership_pb2.ListMembershipsResponse(
            memberships=[membership_proto(v) for v in page.items],
            next_page_token=self.pager.token(page.next_position, "ListMemberships", principal, *params))
