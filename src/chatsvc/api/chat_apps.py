"""The chatsvc.apps.v1.AppService servicer: Chat apps registered with chatsvc and their configuration.

Proto in -> a chatsvc.domain.chat_apps.ChatApps use case -> proto out. `app_proto` and `app_settings` are the
conversions; `parse_app_name` reads `apps/{app}`.
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
from chatsvc.apps.v1 import app_service_pb2_grpc, chat_app_pb2
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


def parse_app_name(name: str, field: str = "name") -> str:
    """The app's name (as tokens carry it) in `apps/{app}`."""
    (app,) = names.parse(_NAME, name, field, "apps/{app}")
    return app


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
    def __init__(self, chat_apps: ChatApps, pager: Pager):
        self.chat_apps = chat_apps
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
