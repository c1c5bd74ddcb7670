"""google.chat.v1 reaction RPCs: parse the request, call the domain, return protos."""
from __future__ import annotations

from google.chat.v1 import reaction_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.reaction_protos import emoji_of, reaction_proto
from chatsvc.domain import reaction_filter
from chatsvc.domain.principal import current_principal


class ReactionsApi:
    """Mixed into the ChatService servicer; `self.reactions` and `self.pager` come from it."""

    async def CreateReaction(self, request, context):
        space_id, message_id = names.message(request.parent, "parent")
        reaction = await self.reactions.create(current_principal(), space_id, message_id,
                                               emoji_of(request.reaction))
        return reaction_proto(reaction)

    async def ListReactions(self, request, context):
        principal = current_principal()
        space_id, message_id = names.message(request.parent, "parent")
        query = reaction_filter.parse(request.filter)
        size = page_size(request.page_size, default=25, maximum=200)
        params = (request.parent, request.filter)
        after = self.pager.position(request.page_token, "ListReactions", principal, *params)
        page = await self.reactions.list(principal, space_id, message_id, query, after=after, limit=size)
        return reaction_pb2.ListReactionsResponse(
            reactions=[reaction_proto(r) for r in page.items],
            next_page_token=self.pager.token(page.next_position, "ListReactions", principal, *params))

    async def DeleteReaction(self, request, context):
        space_id, message_id, reaction_id = names.reaction(request.name)
        await self.reactions.delete(current_principal(), space_id, message_id, reaction_id)
        return empty_pb2.Empty()
