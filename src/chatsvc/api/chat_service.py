"""The google.chat.v1.ChatService servicer: one class composed of a mixin per resource group.

Every RPC of the service is registered; those not built yet answer UNIMPLEMENTED naming the RPC.
"""
from __future__ import annotations

from google.chat.v1 import chat_service_pb2, chat_service_pb2_grpc

from chatsvc.api.attachments import AttachmentsApi
from chatsvc.api.availability import AvailabilityApi
from chatsvc.api.custom_emojis import CustomEmojisApi
from chatsvc.api.memberships import MembershipsApi
from chatsvc.api.message_search import MessageSearchApi
from chatsvc.api.messages import MessagesApi
from chatsvc.api.notification_settings import NotificationSettingsApi
from chatsvc.api.pages import Pager
from chatsvc.api.pins import PinsApi
from chatsvc.api.reactions import ReactionsApi
from chatsvc.api.read_states import ReadStatesApi
from chatsvc.api.sections import SectionsApi
from chatsvc.api.space_events import SpaceEventsApi
from chatsvc.api.space_lookups import SpaceLookupsApi
from chatsvc.api.spaces import SpacesApi
from chatsvc.domain.errors import Unimplemented

SERVICE = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"]


class ChatService(
    SpacesApi,
    SpaceLookupsApi,
    MembershipsApi,
    MessagesApi,
    AttachmentsApi,
    CustomEmojisApi,
    MessageSearchApi,
    ReadStatesApi,
    NotificationSettingsApi,
    AvailabilityApi,
    ReactionsApi,
    PinsApi,
    SectionsApi,
    SpaceEventsApi,
    chat_service_pb2_grpc.ChatServiceServicer,
):
    def __init__(self, *, pager: Pager, **services):
        """`services` are the domain services the mixins use, by the attribute name they use."""
        self.pager = pager
        for name, service in services.items():
            setattr(self, name, service)


def _unimplemented(rpc: str):
    async def handler(self, request, context):
        raise Unimplemented(f"{SERVICE.full_name}.{rpc} is not implemented by this server yet.")

    handler.__name__ = rpc
    handler.unimplemented = True
    return handler


def _fill_unimplemented() -> None:
    base = chat_service_pb2_grpc.ChatServiceServicer
    for method in SERVICE.methods:
        if getattr(ChatService, method.name) is getattr(base, method.name):
            setattr(ChatService, method.name, _unimplemented(method.name))


_fill_unimplemented()
IMPLEMENTED = frozenset(
    m.name for m in SERVICE.methods if not getattr(getattr(ChatService, m.name), "unimplemented", False))
