"""The google.chat.v1.ChatService servicer: one class composed of a mixin per resource group.

Every RPC of the service is registered; those not built yet answer UNIMPLEMENTED naming the RPC.
"""
from __future__ import annotations

import grpc
from google.chat.v1 import chat_service_pb2, chat_service_pb2_grpc, message_pb2

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


# The methods whose handlers answer with stored snapshots, by their request message.
_ENCODED = {"CreateMessage": message_pb2.CreateMessageRequest, "GetMessage": message_pb2.GetMessageRequest,
            "ListMessages": message_pb2.ListMessagesRequest}


def _encoded(response) -> bytes:
    """The serializer of the message RPCs below: their handlers answer gRPC calls with bytes already encoded."""
    return response if response.__class__ is bytes else response.SerializeToString()


def add_to_server(servicer: ChatService, target) -> None:
    """add_ChatServiceServicer_to_server, with the serializers of CreateMessage, GetMessage and ListMessages letting
    the bytes their handlers encode (the messages' stored snapshots) through as they are."""
    chat_service_pb2_grpc.add_ChatServiceServicer_to_server(servicer, _EncodedMessages(target, servicer))


class _EncodedMessages:
    """Takes the generated function's two registration calls and forwards them with the handlers of _ENCODED
    replaced (same methods, same request deserializers, the serializer above)."""

    def __init__(self, target, servicer: ChatService):
        self._target = target
        self._servicer = servicer

    def add_generic_rpc_handlers(self, handlers) -> None:
        pass  # remade from the replaced handlers below

    def add_registered_method_handlers(self, service: str, handlers: dict[str, grpc.RpcMethodHandler]) -> None:
        handlers = dict(handlers, **{name: grpc.unary_unary_rpc_method_handler(
            getattr(self._servicer, name), request_deserializer=request.FromString, response_serializer=_encoded)
            for name, request in _ENCODED.items()})
        self._target.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, handlers),))
        self._target.add_registered_method_handlers(service, handlers)
