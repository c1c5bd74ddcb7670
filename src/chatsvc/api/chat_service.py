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
from chatsvc.api.unimplemented import fill_unimplemented

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


IMPLEMENTED = fill_unimplemented(ChatService, chat_service_pb2_grpc.ChatServiceServicer, SERVICE)
