import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.chat.v1 import space_event_pb2 as _space_event_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StreamEventsRequest(_message.Message):
    __slots__ = ("resume_token",)
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    resume_token: str
    def __init__(self, resume_token: _Optional[str] = ...) -> None: ...

class LiveEvent(_message.Message):
    __slots__ = ("resume_token", "opened", "space", "event_type", "resource_name", "event_time", "space_event")
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    SPACE_EVENT_FIELD_NUMBER: _ClassVar[int]
    resume_token: str
    opened: bool
    space: str
    event_type: str
    resource_name: str
    event_time: _timestamp_pb2.Timestamp
    space_event: _space_event_pb2.SpaceEvent
    def __init__(self, resume_token: _Optional[str] = ..., opened: _Optional[bool] = ..., space: _Optional[str] = ..., event_type: _Optional[str] = ..., resource_name: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., space_event: _Optional[_Union[_space_event_pb2.SpaceEvent, _Mapping]] = ...) -> None: ...
