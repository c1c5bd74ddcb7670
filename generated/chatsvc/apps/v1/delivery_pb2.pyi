import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Delivery(_message.Message):
    __slots__ = ("name", "event_type", "event_time", "space", "message", "user", "state", "outcome", "event_json", "request_headers", "http_status", "reply", "latency_ms", "error", "reply_message", "deliver_time")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[Delivery.State]
        QUEUED: _ClassVar[Delivery.State]
        DELIVERING: _ClassVar[Delivery.State]
        DONE: _ClassVar[Delivery.State]
    STATE_UNSPECIFIED: Delivery.State
    QUEUED: Delivery.State
    DELIVERING: Delivery.State
    DONE: Delivery.State
    class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        OUTCOME_UNSPECIFIED: _ClassVar[Delivery.Outcome]
        REPLIED: _ClassVar[Delivery.Outcome]
        NO_REPLY: _ClassVar[Delivery.Outcome]
        FAILED: _ClassVar[Delivery.Outcome]
        SKIPPED: _ClassVar[Delivery.Outcome]
    OUTCOME_UNSPECIFIED: Delivery.Outcome
    REPLIED: Delivery.Outcome
    NO_REPLY: Delivery.Outcome
    FAILED: Delivery.Outcome
    SKIPPED: Delivery.Outcome
    class RequestHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EVENT_JSON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_HEADERS_FIELD_NUMBER: _ClassVar[int]
    HTTP_STATUS_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    REPLY_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DELIVER_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    event_type: str
    event_time: _timestamp_pb2.Timestamp
    space: str
    message: str
    user: str
    state: Delivery.State
    outcome: Delivery.Outcome
    event_json: str
    request_headers: _containers.ScalarMap[str, str]
    http_status: int
    reply: str
    latency_ms: int
    error: str
    reply_message: str
    deliver_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., event_type: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., space: _Optional[str] = ..., message: _Optional[str] = ..., user: _Optional[str] = ..., state: _Optional[_Union[Delivery.State, str]] = ..., outcome: _Optional[_Union[Delivery.Outcome, str]] = ..., event_json: _Optional[str] = ..., request_headers: _Optional[_Mapping[str, str]] = ..., http_status: _Optional[int] = ..., reply: _Optional[str] = ..., latency_ms: _Optional[int] = ..., error: _Optional[str] = ..., reply_message: _Optional[str] = ..., deliver_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
