"""The chatsvc.apps.v1.AppService servicer: Chat apps registered with chatsvc and their configuration.

Proto in -> a chatsvc.domain.chat_apps.ChatApps use case -> proto out. `app_proto` and `app_settings` are the
conversions; `parse_app_name` reads `apps/{app}`. An app's event deliveries (GetDelivery, ListDeliveries) come from
chatsvc.domain.app_deliveries (which redacts credentials); `delivery_proto` converts one.
"""
from __future__ import annotations

import re

from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.filters import snake
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp
from chatsvc.api.pages import Pager
from chatsvc.apps.v1 import app_service_pb2 as pb
from chatsvc.apps.v1 import app_service_pb2_grpc, chat_app_pb2, delivery_pb2
from chatsvc.domain.app_deliveries import AppDeliveries, AppDelivery, parse_filter
from chatsvc.domain.chat_apps import (
    SETTABLE,
    AppCommand,
    AppSettings,
    ChatApp,
    ChatApps,
    CommandType,
    EventFormat,
    LinkPreviewPattern,
    app_resource_name,
)
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal
from chatsvc.events.records import EventState, Outcome

SERVICE = pb.DESCRIPTOR.services_by_name["AppService"]
MAX_PAGE = 1000
_NAME = re.compile(r"^apps/([A-Za-z0-9][A-Za-z0-9._-]{0,62})\Z")
_Proto = chat_app_pb2.ChatApp
_Command = chat_app_pb2.AppCommand
_FORMATS = {_Proto.CHAT: EventFormat.CHAT, _Proto.ADDON: EventFormat.ADDON}
_FORMAT_PROTOS = {value: key for key, value in _FORMATS.items()}
_TYPES = {_Command.SLASH_COMMAND: CommandType.SLASH, _Command.QUICK_COMMAND: CommandType.QUICK}
_TYPE_PROTOS = {value: key for key, value in _TYPES.items()}
_OUTPUT_ONLY = frozenset({"name", "user", "creator", "create_time", "update_time"})
_DELIVERY = re.compile(r"^apps/([A-Za-z0-9][A-Za-z0-9._-]{0,62})/deliveries/([A-Za-z0-9]{1,32})\Z")
_Delivery = delivery_pb2.Delivery
_STATES = {EventState.QUEUED: _Delivery.QUEUED, EventState.DELIVERING: _Delivery.DELIVERING,
           EventState.DONE: _Delivery.DONE}
_OUTCOMES = {Outcome.REPLIED: _Delivery.REPLIED, Outcome.NO_REPLY: _Delivery.NO_REPLY,
             Outcome.FAILED: _Delivery.FAILED, Outcome.SKIPPED: _Delivery.SKIPPED}


def parse_app_name(name: str, field: str = "name") -> str:
    """The app's name (as tokens carry it) in `apps/{app}`."""
    (app,) = names.parse(_NAME, name, field, "apps/{app}")
    return app


def parse_delivery_name(name: str, field: str = "name") -> tuple[str, str]:
    """(app name, delivery id) of `apps/{app}/deliveries/{delivery}`."""
    app, delivery = names.parse(_DELIVERY, name, field, "apps/{app}/deliveries/{delivery}")
    return app, delivery


def delivery_proto(delivery: AppDelivery) -> delivery_pb2.Delivery:
    message = _Delivery(
        name=f"{app_resource_name(delivery.app_name)}/deliveries/{delivery.id}", event_type=delivery.event_type,
        event_time=timestamp(delivery.event_time_us), space=names.space_name(delivery.space_id),
        message=names.message_name(delivery.space_id, delivery.message_id) if delivery.message_id else "",
        user=names.user_name(delivery.user_id), state=_STATES[delivery.state],
        outcome=_OUTCOMES[delivery.outcome] if delivery.outcome else _Delivery.OUTCOME_UNSPECIFIED,
        event_json=delivery.event_json, http_status=delivery.status_code, reply=delivery.reply,
        latency_ms=delivery.latency_ms, error=delivery.error, reply_message=delivery.reply_message_name,
        request_headers=dict(delivery.request_headers))  # as shown: chatsvc.domain.app_deliveries.shown
    if delivery.delivered_time_us:
        message.deliver_time.CopyFrom(timestamp(delivery.delivered_time_us))
    return message


def app_proto(app: ChatApp) -> chat_app_pb2.ChatApp:
    message = _Proto(
        name=app_resource_name(app.name), display_name=app.display_name, avatar_url=app.avatar_url,
        description=app.description, authentication_audience=app.authentication_audience,
        event_format=_FORMAT_PROTOS[app.event_format],
        commands=[_Command(command_id=c.id, command_type=_TYPE_PROTOS[c.type], name=c.name,
                           description=c.description, opens_dialog=c.opens_dialog) for c in app.commands],
        link_preview_patterns=[chat_app_pb2.LinkPreviewPattern(host_pattern=p.host_pattern, path_prefix=p.path_prefix)
                               for p in app.link_preview_patterns],
        direct_messages_enabled=app.direct_messages_enabled, spaces_enabled=app.spaces_enabled,
        user=names.user_name(app.user_id), creator=names.user_name(app.creator_id) if app.creator_id else "",
        create_time=timestamp(app.create_time_us), update_time=timestamp(app.update_time_us))
    if app.endpoint_url:
        message.endpoint_url = app.endpoint_url
    else:
        message.pubsub_topic = app.pubsub_topic
    return message


def _event_format(value: int) -> EventFormat | None:
    if value == _Proto.EVENT_FORMAT_UNSPECIFIED:
        return None
    if value not in _FORMATS:
        raise InvalidArgument.field("app.event_format", f"{value} is not an EventFormat")
    return _FORMATS[value]


def _command(command: chat_app_pb2.AppCommand, index: int) -> AppCommand:
    kind = None
    if command.command_type != _Command.COMMAND_TYPE_UNSPECIFIED:
        kind = _TYPES.get(command.command_type)
        if kind is None:
            raise InvalidArgument.field(f"app.commands[{index}].command_type",
                                        f"{command.command_type} is not a CommandType")
    return AppCommand(command.command_id, command.name, kind, command.description, command.opens_dialog)


def app_settings(app: chat_app_pb2.ChatApp) -> AppSettings:
    return AppSettings(
        display_name=app.display_name, avatar_url=app.avatar_url, description=app.description,
        endpoint_url=app.endpoint_url, pubsub_topic=app.pubsub_topic,
        authentication_audience=app.authentication_audience, event_format=_event_format(app.event_format),
        commands=tuple(_command(command, index) for index, command in enumerate(app.commands)),
        link_preview_patterns=tuple(LinkPreviewPattern(p.host_pattern, p.path_prefix)
                                    for p in app.link_preview_patterns),
        direct_messages_enabled=app.direct_messages_enabled if app.HasField("direct_messages_enabled") else None,
        spaces_enabled=app.spaces_enabled if app.HasField("spaces_enabled") else None)


def changed_fields(paths) -> frozenset[str]:
    """The fields an update mask names (`*`: every settable one), in snake_case."""
    fields = [snake(path) for path in paths]
    if not fields:
        raise InvalidArgument.field("update_mask", f"is required: {', '.join(SETTABLE)}, or `*` for all of them")
    if "*" in fields:
        return frozenset(SETTABLE)
    for path in fields:
        if path in _OUTPUT_ONLY:
            raise InvalidArgument.field("update_mask", f"`{path}` is output only and can't be changed")
        if path not in SETTABLE:
            raise InvalidArgument.field("update_mask", f"`{path}` can't be changed; the fields that can are "
                                                       f"{', '.join(SETTABLE)} (or `*` for all of them)")
    return frozenset(fields)


def _created_name(request: pb.CreateAppRequest) -> str:
    """`app_id`, or the `{app}` of `app.name` when the id is left out; both: they must agree."""
    if request.app.name:
        named = parse_app_name(request.app.name, "app.name")
        if request.app_id and request.app_id != named:
            raise InvalidArgument.field("app_id", f"differs from `app.name` ({request.app.name})")
        return named
    if not request.app_id:
        raise InvalidArgument.field("app_id", "is required: the app's name as tokens carry it")
    return request.app_id


class AppService(app_service_pb2_grpc.AppServiceServicer):
    def __init__(self, chat_apps: ChatApps, deliveries: AppDeliveries, pager: Pager):
        self.chat_apps = chat_apps
        self.deliveries = deliveries
        self.pager = pager

    async def CreateApp(self, request, context):
        name = _created_name(request)
        return app_proto(await self.chat_apps.create(current_principal(), name, app_settings(request.app)))

    async def GetApp(self, request, context):
        return app_proto(await self.chat_apps.fetch(current_principal(), parse_app_name(request.name)))

    async def ListApps(self, request, context):
        principal = current_principal()
        size = page_size(request.page_size, default=50, maximum=MAX_PAGE)
        after = self.pager.position(request.page_token, "ListApps", principal)
        page = await self.chat_apps.list(principal, after=after, limit=size)
        return pb.ListAppsResponse(apps=[app_proto(app) for app in page.items],
                                   next_page_token=self.pager.token(page.next_position, "ListApps", principal))

    async def UpdateApp(self, request, context):
        name = parse_app_name(request.app.name, "app.name")
        changed = changed_fields(request.update_mask.paths)
        return app_proto(await self.chat_apps.update(current_principal(), name, app_settings(request.app), changed))

    async def DeleteApp(self, request, context):
        await self.chat_apps.delete(current_principal(), parse_app_name(request.name))
        return empty_pb2.Empty()

    async def GetDelivery(self, request, context):
        app_name, delivery_id = parse_delivery_name(request.name)
        return delivery_proto(await self.deliveries.get(current_principal(), app_name, delivery_id))

    async def ListDeliveries(self, request, context):
        principal = current_principal()
        app_name = parse_app_name(request.parent, "parent")
        query = parse_filter(request.filter)
        size = page_size(request.page_size, default=50, maximum=MAX_PAGE)
        bound = ("ListDeliveries", principal, app_name, request.filter)
        page = await self.deliveries.list(principal, app_name, query, after=self.pager.position(
            request.page_token, *bound), limit=size)
        return pb.ListDeliveriesResponse(deliveries=[delivery_proto(d) for d in page.items],
                                         next_page_token=self.pager.token(page.next_position, *bound))
