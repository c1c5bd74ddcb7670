"""google.chat.v1 space RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import space_pb2
from google.protobuf import empty_pb2, field_mask_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import Space, SpaceType
from chatsvc.domain.principal import current_principal
from chatsvc.domain.spaces import SpaceDraft

Proto = space_pb2.Space
_LEGACY_TYPE = {SpaceType.DIRECT_MESSAGE: Proto.Type.DM}
# Settings kept verbatim with the space, encoded as a Space message holding only these fields.
_KEPT = field_mask_pb2.FieldMask(paths=["access_settings", "permission_settings"])


def space_proto(space: Space) -> space_pb2.Space:
    proto = Proto(
        name=names.space_name(space.id),
        type=_LEGACY_TYPE.get(space.space_type, Proto.Type.ROOM),
        space_type=int(space.space_type),
        single_user_bot_dm=space.single_user_bot_dm,
        display_name=space.display_name,
        external_user_allowed=space.external_user_allowed,
        space_threading_state=int(space.threading_state),
        space_history_state=int(space.history_state),
        import_mode=space.import_mode,
        create_time=timestamp(space.create_time_us),
        last_active_time=timestamp(space.last_active_time_us),
        membership_count=Proto.MembershipCount(joined_direct_human_user_count=space.joined_humans,
                                               joined_group_count=space.joined_groups),
        customer=space.customer,
        space_uri=f"https://chat.google.com/room/{space.id}",
    )
    if space.description or space.guidelines:
        proto.space_details.description = space.description
        proto.space_details.guidelines = space.guidelines
    if space.extras:
        proto.MergeFromString(space.extras)
    return proto


def space_draft(proto: space_pb2.Space) -> SpaceDraft:
    space_type = SpaceType(proto.space_type) if proto.space_type in SpaceType._value2member_map_ else None
    if space_type is None:
        raise InvalidArgument.field("space.space_type", "is not a known space type")
    kept = Proto()
    _KEPT.MergeMessage(proto, kept)
    return SpaceDraft(
        # Unset means SPACE: a named space is what CreateSpace makes outside import mode.
        space_type=space_type if space_type != SpaceType.UNSPECIFIED else SpaceType.SPACE,
        display_name=proto.display_name,
        description=proto.space_details.description,
        guidelines=proto.space_details.guidelines,
        external_user_allowed=proto.external_user_allowed,
        import_mode=proto.import_mode,
        customer=proto.customer if proto.HasField("customer") else "",
        extras=kept.SerializeToString(deterministic=True),
    )


class SpacesApi:
    """Mixed into the ChatService servicer; `self.spaces` and `self.pager` come from it."""

    async def CreateSpace(self, request, context):
        space = await self.spaces.create(current_principal(), space_draft(request.space), request.request_id)
        return space_proto(space)

    async def GetSpace(self, request, context):
        space = await self.spaces.get(current_principal(), names.space(request.name),
                                      admin_access=request.use_admin_access)
        return space_proto(space)

    async def ListSpaces(self, request, context):
        principal = current_principal()
        if request.filter:
            raise InvalidArgument.field("filter", "filtering spaces is not supported yet")
        size = page_size(request.page_size, default=100, maximum=1000)
        after = self.pager.position(request.page_token, "ListSpaces", principal, request.filter)
        page = await self.spaces.list(principal, after=after[0] if after else None, limit=size)
        return space_pb2.ListSpacesResponse(
            spaces=[space_proto(s) for s in page.items],
            next_page_token=self.pager.token(page.next_position, "ListSpaces", principal, request.filter))

    async def DeleteSpace(self, request, context):
        await self.spaces.delete(current_principal(), names.space(request.name),
                                 admin_access=request.use_admin_access)
        return empty_pb2.Empty()
