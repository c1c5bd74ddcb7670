"""google.chat.v1 message pin RPCs: parse the request, call the domain, return protos."""
from __future__ import annotations

from google.chat.v1 import message_pin_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import MessagePin
from chatsvc.domain.principal import current_principal

# Google: at most 100 pins a page, and 100 when unspecified (a space holds no more than 100 pins anyway).
_PAGE_SIZE = 100


def pin_proto(pin: MessagePin) -> message_pin_pb2.MessagePin:
    return message_pin_pb2.MessagePin(name=names.message_pin_name(pin.space_id, pin.message_id),
                                      message=names.message_name(pin.space_id, pin.message_id))


class PinsApi:
    """Mixed into the ChatService servicer; `self.pins` and `self.pager` come from it."""

    async def CreateMessagePin(self, request, context):
        space_id = names.space(request.parent, "parent")
        if not request.message_pin.message:
            raise InvalidArgument.field("message_pin.message", "is required: the name of the message to pin")
        message_space, message_id = names.message(request.message_pin.message, "message_pin.message")
        if message_space != space_id:
            raise InvalidArgument.field("message_pin.message", "must name a message of the space in `parent`")
        return pin_proto(await self.pins.create(current_principal(), space_id, message_id))

    async def ListMessagePins(self, request, context):
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        size = page_size(request.page_size, default=_PAGE_SIZE, maximum=_PAGE_SIZE)
        after = self.pager.position(request.page_token, "ListMessagePins", principal, request.parent)
        page = await self.pins.list(principal, space_id, after=after, limit=size)
        return message_pin_pb2.ListMessagePinsResponse(
            message_pins=[pin_proto(p) for p in page.items],
            next_page_token=self.pager.token(page.next_position, "ListMessagePins", principal, request.parent))

    async def DeleteMessagePin(self, request, context):
        space_id, message_id = names.message_pin(request.name)
        await self.pins.delete(current_principal(), space_id, message_id)
        return empty_pb2.Empty()
