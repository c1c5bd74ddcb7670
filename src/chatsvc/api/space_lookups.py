"""google.chat.v1 SetUpSpace, FindDirectMessage, FindGroupChats and SearchSpaces: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import space_pb2, user_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.space_protos import space_draft, space_proto
from chatsvc.auth.scopes import expand_scope
from chatsvc.domain.errors import InvalidArgument, PermissionDenied
from chatsvc.domain.principal import current_principal
from chatsvc.domain.space_search import search_order, search_query
from chatsvc.domain.space_setup import Invitee

_READ_SPACES = frozenset(expand_scope(s) for s in ("chat.spaces", "chat.spaces.readonly"))
_View = space_pb2.SpaceView


def _invitees(request: space_pb2.SetUpSpaceRequest) -> list[Invitee]:
    invitees = []
    for i, membership in enumerate(request.memberships):
        which = membership.WhichOneof("memberType")
        if which == "member":
            field = f"memberships[{i}].member.name"
            invitees.append(Invitee(names.user(membership.member.name, field), field,
                                    typed_bot=membership.member.type == user_pb2.User.Type.BOT))
        elif which == "group_member":
            field = f"memberships[{i}].group_member.name"
            ref = names.member(membership.group_member.name, field)
            if not ref.is_group:
                raise InvalidArgument.field(field, "must have the form `groups/{group}`")
            invitees.append(Invitee(ref, field))
        else:
            raise InvalidArgument.field(f"memberships[{i}].member", "a user (`member`) or a group (`group_member`) "
                                                                    "is required")
    return invitees


class SpaceLookupsApi:
    """Mixed into the ChatService servicer; `self.spaces`, `self.pager` and `_shown` come from it."""

    async def SetUpSpace(self, request, context):
        principal = current_principal()
        space = await self.spaces.set_up(principal, space_draft(request.space), _invitees(request),
                                         request.request_id)
        return await self._shown(principal, space)

    async def FindDirectMessage(self, request, context):
        principal = current_principal()
        space = await self.spaces.find_direct_message(principal, names.user(request.name, "name"))
        return await self._shown(principal, space)

    async def FindGroupChats(self, request, context):
        principal = current_principal()
        if request.space_view not in _View.values():
            raise InvalidArgument.field("space_view", f"`{request.space_view}` is not a known view")
        expanded = request.space_view == _View.SPACE_VIEW_EXPANDED
        if expanded and not principal.scopes & _READ_SPACES:
            raise PermissionDenied("SPACE_VIEW_EXPANDED needs a scope that reads spaces (chat.spaces or "
                                   "chat.spaces.readonly).", reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")
        refs = [names.user(u, f"users[{i}]") for i, u in enumerate(request.users)]
        size = page_size(request.page_size, default=10, maximum=30)
        params = (list(request.users), request.space_view)
        after = self.pager.position(request.page_token, "FindGroupChats", principal, *params)
        page = await self.spaces.find_group_chats(principal, refs, after=after[0] if after else None, limit=size)
        return space_pb2.FindGroupChatsResponse(
            spaces=[space_proto(s) if expanded else space_pb2.Space(name=names.space_name(s.id))
                    for s in page.items],
            next_page_token=self.pager.token(page.next_position, "FindGroupChats", principal, *params))

    async def SearchSpaces(self, request, context):
        principal = current_principal()
        admin = request.use_admin_access
        query = search_query(request.query, admin=admin)
        order = search_order(request.order_by, admin=admin)
        # Admins page through up to 1,000 at a time; other callers get one page of at most 100, and Google
        # gives them no next page token nor total.
        size = page_size(request.page_size, default=100, maximum=1000 if admin else 100)
        params = (request.query, request.order_by, admin)
        after = self.pager.position(request.page_token, "SearchSpaces", principal, *params)
        page, total = await self.spaces.search(principal, query, order, after=after, limit=size, admin_access=admin)
        found = [space_proto(s) for s in page.items]
        response = space_pb2.SearchSpacesResponse(
            results=[space_pb2.SearchSpacesResponse.SearchSpaceResult(space=s) for s in found])
        if admin:
            response.spaces.extend(found)
            response.total_size = total
            response.next_page_token = self.pager.token(page.next_position, "SearchSpaces", principal, *params)
        return response
