"""The chatsvc.apps.v1.InteractionService servicer: a Chat client's interactions with an app's cards and commands.

Proto in -> a chatsvc.domain.app_interactions.AppInteractions use case -> InteractionResponse out.
"""
from __future__ import annotations

from google.chat.v1 import message_pb2

from chatsvc.aip import names
from chatsvc.api.chat_apps import parse_app_name
from chatsvc.domain.app_interactions import AppInteractions, DialogEvent, InteractionResult
from chatsvc.domain.chat_apps import app_resource_name
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal
from chatsvc.interactions.v1 import interaction_service_pb2 as pb
from chatsvc.interactions.v1 import interaction_service_pb2_grpc

SERVICE = pb.DESCRIPTOR.services_by_name["InteractionService"]


def _inputs(form_inputs) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(inputs.string_inputs.value)) for name, inputs in sorted(form_inputs.items()))


def _parameters(parameters) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parameters.items()))


def _app(name: str) -> str:
    return parse_app_name(name, "app") if name else ""


def _message_in(space_id: str, name: str) -> str:
    """The id of an optional `message` field, which must be a message of the request's space."""
    if not name:
        return ""
    message_space, message_id = names.message(name, "message")
    if message_space != space_id:
        raise InvalidArgument.field("message", "must name a message of `space`")
    return message_id


def response(result: InteractionResult) -> pb.InteractionResponse:
    out = pb.InteractionResponse(delivery=f"{app_resource_name(result.app_name)}/deliveries/{result.delivery_id}",
                                 app=app_resource_name(result.app_name), message=result.message_name)
    if result.reply_type is not None:
        out.action_response.CopyFrom(message_pb2.ActionResponse.FromString(result.action_response))
    return out


class InteractionService(interaction_service_pb2_grpc.InteractionServiceServicer):
    def __init__(self, interactions: AppInteractions):
        self.interactions = interactions

    async def ClickCardAction(self, request, context):
        space_id, message_id = names.message(request.message, "message")
        result = await self.interactions.click(current_principal(), space_id, message_id, request.function,
                                               _parameters(request.parameters), _inputs(request.form_inputs))
        return response(result)

    async def SubmitDialog(self, request, context):
        space_id = names.space(request.space, "space")
        result = await self.interactions.dialog(
            current_principal(), space_id, DialogEvent.SUBMIT_DIALOG, app_name=_app(request.app),
            message_id=_message_in(space_id, request.message), function=request.function,
            parameters=_parameters(request.parameters), form_inputs=_inputs(request.form_inputs))
        return response(result)

    async def CancelDialog(self, request, context):
        space_id = names.space(request.space, "space")
        result = await self.interactions.dialog(
            current_principal(), space_id, DialogEvent.CANCEL_DIALOG, app_name=_app(request.app),
            message_id=_message_in(space_id, request.message))
        return response(result)

    async def AutocompleteWidget(self, request, context):
        space_id = names.space(request.space, "space")
        result = await self.interactions.autocomplete(
            current_principal(), space_id, request.widget, request.value, app_name=_app(request.app),
            message_id=_message_in(space_id, request.message), function=request.function,
            form_inputs=_inputs(request.form_inputs))
        return response(result)

    async def RunQuickCommand(self, request, context):
        space_id = names.space(request.space, "space")
        if not request.app:
            raise InvalidArgument.field("app", "is required: `apps/{app}`")
        result = await self.interactions.quick_command(current_principal(), space_id, _app(request.app),
                                                       request.command_id)
        return response(result)
