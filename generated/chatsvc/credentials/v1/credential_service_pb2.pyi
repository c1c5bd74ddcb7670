from chatsvc.credentials.v1 import credential_pb2 as _credential_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RequestAccessRequest(_message.Message):
    __slots__ = ("parent", "provider", "scopes", "redirect", "brand")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    parent: str
    provider: _credential_pb2.Provider
    scopes: _containers.RepeatedScalarFieldContainer[str]
    redirect: str
    brand: str
    def __init__(self, parent: _Optional[str] = ..., provider: _Optional[_Union[_credential_pb2.Provider, str]] = ..., scopes: _Optional[_Iterable[str]] = ..., redirect: _Optional[str] = ..., brand: _Optional[str] = ...) -> None: ...

class RequestAccessResponse(_message.Message):
    __slots__ = ("url", "redirect")
    URL_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_FIELD_NUMBER: _ClassVar[int]
    url: str
    redirect: str
    def __init__(self, url: _Optional[str] = ..., redirect: _Optional[str] = ...) -> None: ...

class VerifyGrantRequest(_message.Message):
    __slots__ = ("parent", "state", "code")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    state: str
    code: str
    def __init__(self, parent: _Optional[str] = ..., state: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class GetCredentialRequest(_message.Message):
    __slots__ = ("name", "view")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    name: str
    view: _credential_pb2.CredentialView
    def __init__(self, name: _Optional[str] = ..., view: _Optional[_Union[_credential_pb2.CredentialView, str]] = ...) -> None: ...

class ListCredentialsRequest(_message.Message):
    __slots__ = ("parent", "provider", "page_size", "page_token", "show_deleted", "view")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SHOW_DELETED_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    parent: str
    provider: _credential_pb2.Provider
    page_size: int
    page_token: str
    show_deleted: bool
    view: _credential_pb2.CredentialView
    def __init__(self, parent: _Optional[str] = ..., provider: _Optional[_Union[_credential_pb2.Provider, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., show_deleted: _Optional[bool] = ..., view: _Optional[_Union[_credential_pb2.CredentialView, str]] = ...) -> None: ...

class ListCredentialsResponse(_message.Message):
    __slots__ = ("credentials", "next_page_token")
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    credentials: _containers.RepeatedCompositeFieldContainer[_credential_pb2.Credential]
    next_page_token: str
    def __init__(self, credentials: _Optional[_Iterable[_Union[_credential_pb2.Credential, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteCredentialRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RevokeCredentialRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class SyncCredentialRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCalendarsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCalendarsResponse(_message.Message):
    __slots__ = ("calendars", "primary_calendar", "is_configured")
    CALENDARS_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_CALENDAR_FIELD_NUMBER: _ClassVar[int]
    IS_CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    calendars: _containers.RepeatedCompositeFieldContainer[_credential_pb2.Calendar]
    primary_calendar: _credential_pb2.Calendar
    is_configured: bool
    def __init__(self, calendars: _Optional[_Iterable[_Union[_credential_pb2.Calendar, _Mapping]]] = ..., primary_calendar: _Optional[_Union[_credential_pb2.Calendar, _Mapping]] = ..., is_configured: _Optional[bool] = ...) -> None: ...

class ConfigureCalendarsRequest(_message.Message):
    __slots__ = ("name", "to_sync", "to_stop_sync")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TO_SYNC_FIELD_NUMBER: _ClassVar[int]
    TO_STOP_SYNC_FIELD_NUMBER: _ClassVar[int]
    name: str
    to_sync: _containers.RepeatedScalarFieldContainer[str]
    to_stop_sync: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., to_sync: _Optional[_Iterable[str]] = ..., to_stop_sync: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfigureCalendarsResponse(_message.Message):
    __slots__ = ("synced_calendars",)
    SYNCED_CALENDARS_FIELD_NUMBER: _ClassVar[int]
    synced_calendars: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, synced_calendars: _Optional[_Iterable[str]] = ...) -> None: ...

class ListBusinessAccountsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListBusinessAccountsResponse(_message.Message):
    __slots__ = ("business_accounts",)
    BUSINESS_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    business_accounts: _containers.RepeatedCompositeFieldContainer[_credential_pb2.BusinessAccount]
    def __init__(self, business_accounts: _Optional[_Iterable[_Union[_credential_pb2.BusinessAccount, _Mapping]]] = ...) -> None: ...

class CheckCapabilityRequest(_message.Message):
    __slots__ = ("name", "capability")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_FIELD_NUMBER: _ClassVar[int]
    name: str
    capability: str
    def __init__(self, name: _Optional[str] = ..., capability: _Optional[str] = ...) -> None: ...

class CheckCapabilityResponse(_message.Message):
    __slots__ = ("usable", "reason")
    USABLE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    usable: bool
    reason: str
    def __init__(self, usable: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...
