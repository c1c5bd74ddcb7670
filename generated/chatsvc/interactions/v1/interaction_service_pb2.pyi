from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.chat.v1 import message_pb2 as _message_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Inputs(_message.Message):
    __slots__ = ("string_inputs",)
    STRING_INPUTS_FIELD_NUMBER: _ClassVar[int]
    string_inputs: StringInputs
    def __init__(self, string_inputs: _Optional[_Union[StringInputs, _Mapping]] = ...) -> None: ...

class StringInputs(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, value: _Optional[_Iterable[str]] = ...) -> None: ...

class ClickCardActionRequest(_message.Message):
    __slots__ = ("message", "function", "parameters", "form_inputs")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class FormInputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Inputs
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Inputs, _Mapping]] = ...) -> None: ...
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    FORM_INPUTS_FIELD_NUMBER: _ClassVar[int]
    message: str
    function: str
    parameters: _containers.ScalarMap[str, str]
    form_inputs: _containers.MessageMap[str, Inputs]
    def __init__(self, message: _Optional[str] = ..., function: _Optional[str] = ..., parameters: _Optional[_Mapping[str, str]] = ..., form_inputs: _Optional[_Mapping[str, Inputs]] = ...) -> None: ...

class SubmitDialogRequest(_message.Message):
    __slots__ = ("space", "app", "message", "function", "parameters", "form_inputs")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class FormInputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Inputs
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Inputs, _Mapping]] = ...) -> None: ...
    SPACE_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    FORM_INPUTS_FIELD_NUMBER: _ClassVar[int]
    space: str
    app: str
    message: str
    function: str
    parameters: _containers.ScalarMap[str, str]
    form_inputs: _containers.MessageMap[str, Inputs]
    def __init__(self, space: _Optional[str] = ..., app: _Optional[str] = ..., message: _Optional[str] = ..., function: _Optional[str] = ..., parameters: _Optional[_Mapping[str, str]] = ..., form_inputs: _Optional[_Mapping[str, Inputs]] = ...) -> None: ...

class CancelDialogRequest(_message.Message):
    __slots__ = ("space", "app", "message")
    SPACE_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    space: str
    app: str
    message: str
    def __init__(self, space: _Optional[str] = ..., app: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class AutocompleteWidgetRequest(_message.Message):
    __slots__ = ("space", "message", "app", "widget", "value", "function", "form_inputs")
    class FormInputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Inputs
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Inputs, _Mapping]] = ...) -> None: ...
    SPACE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    WIDGET_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    FORM_INPUTS_FIELD_NUMBER: _ClassVar[int]
    space: str
    message: str
    app: str
    widget: str
    value: str
    function: str
    form_inputs: _containers.MessageMap[str, Inputs]
    def __init__(self, space: _Optional[str] = ..., message: _Optional[str] = ..., app: _Optional[str] = ..., widget: _Optional[str] = ..., value: _Optional[str] = ..., function: _Optional[str] = ..., form_inputs: _Optional[_Mapping[str, Inputs]] = ...) -> None: ...

class RunQuickCommandRequest(_message.Message):
    __slots__ = ("space", "app", "command_id")
    SPACE_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    space: str
    app: str
    command_id: int
    def __init__(self, space: _Optional[str] = ..., app: _Optional[str] = ..., command_id: _Optional[int] = ...) -> None: ...

class InteractionResponse(_message.Message):
    __slots__ = ("delivery", "app", "action_response", "message")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    ACTION_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    delivery: str
    app: str
    action_response: _message_pb2.ActionResponse
    message: str
    def __init__(self, delivery: _Optional[str] = ..., app: _Optional[str] = ..., action_response: _Optional[_Union[_message_pb2.ActionResponse, _Mapping]] = ..., message: _Optional[str] = ...) -> None: ...
