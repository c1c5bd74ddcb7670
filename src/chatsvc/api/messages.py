"""google.chat.v1 message RPCs: parse the request, call the domain, return protos."""
from __future__ import annotations

from google.chat.v1 import message_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.message_protos import (
    create_draft,
    list_response_bytes,
    message_proto,
    snapshot_body,
    update_patch,
)
from chatsvc.domain import message_query
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal


def _descending(order_by: str) -> bool:
    words = order_by.split()
    if not words:
        return False
    if len(words) <= 2 and words[0] == "create_time" and (len(words) == 1 or words[1].upper() in ("ASC", "DESC")):
        return len(words) == 2 and words[1].upper() == "DESC"
    raise InvalidArgument.field("order_by", "must be `create_time ASC` or `create_time DESC`")


def _answer(context, encoded: bytes, response_class):
    """A response encoded from stored snapshots: the bytes for the gRPC server, which sends them as they are
    (chat_service.add_to_server registers the serializer that lets bytes through); the message, parsed, for
    in-process callers (REST), which take the response message itself."""
    if hasattr(context, "vouched_principal"):  # only chatsvc.api.local_calls' context has it (as auth's gate)
        return response_class.FromString(encoded)
    return encoded


class MessagesApi:
    """Mixed into the ChatService servicer; `self.messages` and `self.pager` come from it."""

    async def CreateMessage(self, request, context):
        space_id = names.space(request.parent, "parent")
        _, snapshot = await self.messages.create_encoded(current_principal(), space_id, create_draft(request))
        return _answer(context, snapshot_body(snapshot), message_pb2.Message)

    async def GetMessage(self, request, context):
        space_id, message_id = names.message(request.name)
        snapshot = await self.messages.get(current_principal(), space_id, message_id)
        return _answer(context, snapshot_body(snapshot), message_pb2.Message)

    async def ListMessages(self, request, context):
        """The page's stored message snapshots spliced into an encoded ListMessagesResponse."""
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        query = message_query.parse(request.filter, space_id)
        descending = _descending(request.order_by)
        size = page_size(request.page_size, default=25, maximum=1000)
        params = (request.parent, request.filter, request.order_by, request.show_deleted)
        after = self.pager.position(request.page_token, "ListMessages", principal, *params)
        page = await self.messages.list(principal, space_id, after=after, limit=size, descending=descending,
                                        show_deleted=request.show_deleted, query=query)
        encoded = list_response_bytes(page.items,
                                      self.pager.token(page.next_position, "ListMessages", principal, *params))
        return _answer(context, encoded, message_pb2.ListMessagesResponse)

    async def UpdateMessage(self, request, context):
        space_id, message_id = names.message(request.message.name, "message.name")
        patch = update_patch(request)
        message = await self.messages.update(current_principal(), space_id, message_id, patch,
                                             allow_missing=request.allow_missing)
        return message_proto(message)

    async def DeleteMessage(self, request, context):
        space_id, message_id = names.message(request.name)
        await self.messages.delete(current_principal(), space_id, message_id, force=request.force)
        return empty_pb2.Empty()
