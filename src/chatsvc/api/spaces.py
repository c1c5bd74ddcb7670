"""google.chat.v1 space RPCs: CreateSpace, GetSpace, ListSpaces, UpdateSpace, DeleteSpace, CompleteImportSpace.
SetUpSpace, the find and search RPCs are in api/space_lookups.py."""
from __future__ import annotations

from google.chat.v1 import space_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.space_protos import space_draft, space_patch, space_proto
from chatsvc.auth.scopes import CHAT_RULES, expand_scope
from chatsvc.domain.models import Space, SpaceType
from chatsvc.domain.principal import Principal, current_principal
from chatsvc.domain.space_drafts import Grants
from chatsvc.domain.space_search import list_filter

_IMPORT = expand_scope("chat.import")
_APP_SPACES = expand_scope("chat.app.spaces")


def grants(principal: Principal, rpc: str) -> Grants:
    """Whether the token holds chat.import, and whether that is the only scope letting it call `rpc` (Google
    then reaches import-mode spaces only)."""
    others = {expand_scope(s) for s in CHAT_RULES[rpc].scopes if s != "chat.import"}
    has_import = _IMPORT in principal.scopes
    return Grants(import_scope=has_import, import_only=has_import and not principal.scopes & others)


class SpacesApi:
    """Mixed into the ChatService servicer; `self.spaces` and `self.pager` come from it."""

    async def _shown(self, principal: Principal, space: Space) -> space_pb2.Space:
        """A single space as Google shows it to this caller: apps see access settings only with the
        chat.app.spaces scope, and permission settings only then and only for spaces they created."""
        if not principal.is_app:
            return space_proto(space, permissions=True)
        if _APP_SPACES not in principal.scopes:
            return space_proto(space, access=False)
        creator = (await self.spaces.caller(principal)).id == space.creator_id
        return space_proto(space, permissions=creator)

    async def CreateSpace(self, request, context):
        principal = current_principal()
        space = await self.spaces.create(principal, space_draft(request.space, unset_type=SpaceType.SPACE),
                                         request.request_id, grants=grants(principal, "CreateSpace"))
        return await self._shown(principal, space)

    async def GetSpace(self, request, context):
        principal = current_principal()
        space = await self.spaces.get(principal, names.space(request.name), admin_access=request.use_admin_access)
        return await self._shown(principal, space)

    async def ListSpaces(self, request, context):
        principal = current_principal()
        types = list_filter(request.filter)
        size = page_size(request.page_size, default=100, maximum=1000)
        after = self.pager.position(request.page_token, "ListSpaces", principal, request.filter)
        page = await self.spaces.list(principal, after=after[0] if after else None, limit=size, types=types)
        # Google leaves permission settings out of listed spaces.
        access = not principal.is_app or _APP_SPACES in principal.scopes
        return space_pb2.ListSpacesResponse(
            spaces=[space_proto(s, access=access) for s in page.items],
            next_page_token=self.pager.token(page.next_position, "ListSpaces", principal, request.filter))

    async def UpdateSpace(self, request, context):
        principal = current_principal()
        space_id = names.space(request.space.name, "space.name")
        space = await self.spaces.update(principal, space_id, space_patch(request),
                                         admin_access=request.use_admin_access,
                                         grants=grants(principal, "UpdateSpace"))
        return await self._shown(principal, space)

    async def DeleteSpace(self, request, context):
        principal = current_principal()
        await self.spaces.delete(principal, names.space(request.name), admin_access=request.use_admin_access,
                                 grants=grants(principal, "DeleteSpace"))
        return empty_pb2.Empty()

    async def CompleteImportSpace(self, request, context):
        principal = current_principal()
        space = await self.spaces.complete_import(principal, names.space(request.name))
        return space_pb2.CompleteImportSpaceResponse(space=await self._shown(principal, space))
