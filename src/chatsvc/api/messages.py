"""google.chat.v1 message RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import message_pb2, space_pb2
from google.protobuf import field_mask_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp, user
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.messages import MessageDraft, ReplyOption
from chatsvc.domain.models import Message
from chatsvc.domain.principal import current_principal

Proto = message_pb2.Message
# Content the domain stores without interpreting it, kept as an encoded Message holding only these fields.
_KEPT = field_mask_pb2.FieldMask(paths=["cards", "cards_v2", "fallback_text", "accessory_widgets",
                                         "private_message_viewer"])
_CARD_FIELDS = ("cards", "cards_v2")
# Fields only a Chat app may send, as Google documents for user authentication.
_APP_ONLY_FIELDS = ("cards", "cards_v2", "accessory_widgets", "private_message_viewer")


def message_proto(message: Message) -> message_pb2.Message:
    proto = Proto(
        name=names.message_name(message.space_id, message.id),
        sender=user(message.sender),
        create_time=timestamp(message.create_time_us),
        text=message.text,
        formatted_text=message.text,
        argument_text=message.text,
        thread=message_pb2.Thread(name=names.thread_name(message.space_id, message.thread_id)),
        space=space_pb2.Space(name=names.space_name(message.space_id)),
        client_assigned_message_id=message.client_id,
    )
    if message.last_update_time_us:
        proto.last_update_time.CopyFrom(timestamp(message.last_update_time_us))
    if message.delete_time_us:
        proto.delete_time.CopyFrom(timestamp(message.delete_time_us))
    if message.extras:
        proto.MergeFromString(message.extras)
    return proto


def message_draft(request: message_pb2.CreateMessageRequest) -> MessageDraft:
    message = request.message
    kept = Proto()
    _KEPT.MergeMessage(message, kept)
    thread_id = ""
    if message.thread.name:
        space_id, thread_id = names.thread(message.thread.name, "message.thread.name")
        if names.space_name(space_id) != request.parent:
            raise InvalidArgument.field("message.thread.name", "must name a thread of the space in `parent`")
    if request.message_reply_option not in ReplyOption._value2member_map_:
        raise InvalidArgument.field("message_reply_option", "is not a known reply option")
    present = {field.name for field, _ in message.ListFields()}
    app_only = next((f for f in _APP_ONLY_FIELDS if f in present), "")
    return MessageDraft(
        text=message.text,
        extras=kept.SerializeToString(deterministic=True),
        content_bytes=len(message.text.encode()) + sum(c.ByteSize() for f in _CARD_FIELDS
                                                       for c in getattr(message, f)),
        has_rich_content=any(len(getattr(message, f)) for f in _CARD_FIELDS),
        app_only_field=app_only,
        thread_id=thread_id,
        thread_key=message.thread.thread_key or request.thread_key,
        reply_option=ReplyOption(request.message_reply_option),
        client_id=request.message_id,
        request_id=request.request_id,
    )


def _descending(order_by: str) -> bool:
    words = order_by.split()
    if not words:
        return False
    if len(words) <= 2 and words[0] == "create_time" and (len(words) == 1 or words[1].upper() in ("ASC", "DESC")):
        return len(words) == 2 and words[1].upper() == "DESC"
    raise InvalidArgument.field("order_by", "must be `create_time ASC` or `create_time DESC`")


class MessagesApi:
    """Mixed into the ChatService servicer; `self.messages` and `self.pager` come from it."""

    async def CreateMessage(self, request, context):
        space_id = names.space(request.parent, "parent")
        created = await self.messages.create(current_principal(), space_id, message_draft(request))
        proto = message_proto(created.message)
        proto.thread_reply = created.thread_reply
        return proto

    async def GetMessage(self, request, context):
        space_id, message_id = names.message(request.name)
        return message_proto(await self.messages.get(current_principal(), space_id, message_id))

    async def ListMessages(self, request, context):
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        if request.filter:
            raise InvalidArgument.field("filter", "filtering messages is not supported yet")
        descending = _descending(request.order_by)
        size = page_size(request.page_size, default=25, maximum=1000)
        params = (request.parent, request.filter, request.order_by, request.show_deleted)
        after = self.pager.position(request.page_token, "ListMessages", principal, *params)
        page = await self.messages.list(principal, space_id, after=after, limit=size, descending=descending,
                                        show_deleted=request.show_deleted)
        return message_pb2.ListMessagesResponse(
            messages=[message_proto(m) for m in page.items],
            next_page_token=self.pager.token(page.next_position, "ListMessages", principal, *params))
