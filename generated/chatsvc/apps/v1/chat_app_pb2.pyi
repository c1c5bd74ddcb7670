import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChatApp(_message.Message):
    __slots__ = ("name", "display_name", "avatar_url", "description", "endpoint_url", "pubsub_topic", "authentication_audience", "event_format", "commands", "link_preview_patterns", "direct_messages_enabled", "spaces_enabled", "user", "creator", "create_time", "update_time")
    class EventFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        EVENT_FORMAT_UNSPECIFIED: _ClassVar[ChatApp.EventFormat]
        CHAT: _ClassVar[ChatApp.EventFormat]
        ADDON: _ClassVar[ChatApp.EventFormat]
    EVENT_FORMAT_UNSPECIFIED: ChatApp.EventFormat
    CHAT: ChatApp.EventFormat
    ADDON: ChatApp.EventFormat
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    AVATAR_URL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_URL_FIELD_NUMBER: _ClassVar[int]
    PUBSUB_TOPIC_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATION_AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    EVENT_FORMAT_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    LINK_PREVIEW_PATTERNS_FIELD_NUMBER: _ClassVar[int]
    DIRECT_MESSAGES_ENABLED_FIELD_NUMBER: _ClassVar[int]
    SPACES_ENABLED_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    avatar_url: str
    description: str
    endpoint_url: str
    pubsub_topic: str
    authentication_audience: str
    event_format: ChatApp.EventFormat
    commands: _containers.RepeatedCompositeFieldContainer[AppCommand]
    link_preview_patterns: _containers.RepeatedCompositeFieldContainer[LinkPreviewPattern]
    direct_messages_enabled: bool
    spaces_enabled: bool
    user: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., avatar_url: _Optional[str] = ..., description: _Optional[str] = ..., endpoint_url: _Optional[str] = ..., pubsub_topic: _Optional[str] = ..., authentication_audience: _Optional[str] = ..., event_format: _Optional[_Union[ChatApp.EventFormat, str]] = ..., commands: _Optional[_Iterable[_Union[AppCommand, _Mapping]]] = ..., link_preview_patterns: _Optional[_Iterable[_Union[LinkPreviewPattern, _Mapping]]] = ..., direct_messages_enabled: _Optional[bool] = ..., spaces_enabled: _Optional[bool] = ..., user: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AppCommand(_message.Message):
    __slots__ = ("command_id", "command_type", "name", "description", "opens_dialog")
    class CommandType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        COMMAND_TYPE_UNSPECIFIED: _ClassVar[AppCommand.CommandType]
        SLASH_COMMAND: _ClassVar[AppCommand.CommandType]
        QUICK_COMMAND: _ClassVar[AppCommand.CommandType]
    COMMAND_TYPE_UNSPECIFIED: AppCommand.CommandType
    SLASH_COMMAND: AppCommand.CommandType
    QUICK_COMMAND: AppCommand.CommandType
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    COMMAND_TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OPENS_DIALOG_FIELD_NUMBER: _ClassVar[int]
    command_id: int
    command_type: AppCommand.CommandType
    name: str
    description: str
    opens_dialog: bool
    def __init__(self, command_id: _Optional[int] = ..., command_type: _Optional[_Union[AppCommand.CommandType, str]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., opens_dialog: _Optional[bool] = ...) -> None: ...

class LinkPreviewPattern(_message.Message):
    __slots__ = ("host_pattern", "path_prefix")
    HOST_PATTERN_FIELD_NUMBER: _ClassVar[int]
    PATH_PREFIX_FIELD_NUMBER: _ClassVar[int]
    host_pattern: str
    path_prefix: str
    def __init__(self, host_pattern: _Optional[str] = ..., path_prefix: _Optional[str] = ...) -> None: ...
