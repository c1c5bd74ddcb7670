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

class Provider(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROVIDER_UNSPECIFIED: _ClassVar[Provider]
    PROVIDER_GOOGLE: _ClassVar[Provider]
    PROVIDER_MICROSOFT: _ClassVar[Provider]

class CredentialView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CREDENTIAL_VIEW_UNSPECIFIED: _ClassVar[CredentialView]
    CREDENTIAL_VIEW_BASIC: _ClassVar[CredentialView]
    CREDENTIAL_VIEW_FULL: _ClassVar[CredentialView]
PROVIDER_UNSPECIFIED: Provider
PROVIDER_GOOGLE: Provider
PROVIDER_MICROSOFT: Provider
CREDENTIAL_VIEW_UNSPECIFIED: CredentialView
CREDENTIAL_VIEW_BASIC: CredentialView
CREDENTIAL_VIEW_FULL: CredentialView

class CredentialJob(_message.Message):
    __slots__ = ("id", "kind", "state", "start_time", "end_time", "error")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[CredentialJob.Kind]
        KIND_CONNECT: _ClassVar[CredentialJob.Kind]
        KIND_SYNC: _ClassVar[CredentialJob.Kind]
    KIND_UNSPECIFIED: CredentialJob.Kind
    KIND_CONNECT: CredentialJob.Kind
    KIND_SYNC: CredentialJob.Kind
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[CredentialJob.State]
        STATE_RUNNING: _ClassVar[CredentialJob.State]
        STATE_SUCCEEDED: _ClassVar[CredentialJob.State]
        STATE_FAILED: _ClassVar[CredentialJob.State]
    STATE_UNSPECIFIED: CredentialJob.State
    STATE_RUNNING: CredentialJob.State
    STATE_SUCCEEDED: CredentialJob.State
    STATE_FAILED: CredentialJob.State
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: CredentialJob.Kind
    state: CredentialJob.State
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    error: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[CredentialJob.Kind, str]] = ..., state: _Optional[_Union[CredentialJob.State, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class Credential(_message.Message):
    __slots__ = ("name", "provider", "brand", "email", "resource_name", "display_name", "first_name", "last_name", "photo", "scope", "scope_summary", "revoked", "messages_total", "threads_total", "history_id", "cgroups_sync_token", "other_contacts_sync_token", "last_daily_sync", "sync_state", "sync_error", "profile_image_url", "synced_calendars", "create_time", "update_time", "delete_time", "people_apis_enabled", "jobs")
    class SyncState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SYNC_STATE_UNSPECIFIED: _ClassVar[Credential.SyncState]
        SYNC_STATE_RUNNING: _ClassVar[Credential.SyncState]
        SYNC_STATE_SUCCEEDED: _ClassVar[Credential.SyncState]
        SYNC_STATE_FAILED: _ClassVar[Credential.SyncState]
    SYNC_STATE_UNSPECIFIED: Credential.SyncState
    SYNC_STATE_RUNNING: Credential.SyncState
    SYNC_STATE_SUCCEEDED: Credential.SyncState
    SYNC_STATE_FAILED: Credential.SyncState
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_TOTAL_FIELD_NUMBER: _ClassVar[int]
    THREADS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    HISTORY_ID_FIELD_NUMBER: _ClassVar[int]
    CGROUPS_SYNC_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OTHER_CONTACTS_SYNC_TOKEN_FIELD_NUMBER: _ClassVar[int]
    LAST_DAILY_SYNC_FIELD_NUMBER: _ClassVar[int]
    SYNC_STATE_FIELD_NUMBER: _ClassVar[int]
    SYNC_ERROR_FIELD_NUMBER: _ClassVar[int]
    PROFILE_IMAGE_URL_FIELD_NUMBER: _ClassVar[int]
    SYNCED_CALENDARS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DELETE_TIME_FIELD_NUMBER: _ClassVar[int]
    PEOPLE_APIS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    name: str
    provider: Provider
    brand: str
    email: str
    resource_name: str
    display_name: str
    first_name: str
    last_name: str
    photo: str
    scope: _containers.RepeatedScalarFieldContainer[str]
    scope_summary: _containers.RepeatedScalarFieldContainer[str]
    revoked: bool
    messages_total: int
    threads_total: int
    history_id: int
    cgroups_sync_token: str
    other_contacts_sync_token: str
    last_daily_sync: _timestamp_pb2.Timestamp
    sync_state: Credential.SyncState
    sync_error: str
    profile_image_url: str
    synced_calendars: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    delete_time: _timestamp_pb2.Timestamp
    people_apis_enabled: bool
    jobs: _containers.RepeatedCompositeFieldContainer[CredentialJob]
    def __init__(self, name: _Optional[str] = ..., provider: _Optional[_Union[Provider, str]] = ..., brand: _Optional[str] = ..., email: _Optional[str] = ..., resource_name: _Optional[str] = ..., display_name: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., photo: _Optional[str] = ..., scope: _Optional[_Iterable[str]] = ..., scope_summary: _Optional[_Iterable[str]] = ..., revoked: _Optional[bool] = ..., messages_total: _Optional[int] = ..., threads_total: _Optional[int] = ..., history_id: _Optional[int] = ..., cgroups_sync_token: _Optional[str] = ..., other_contacts_sync_token: _Optional[str] = ..., last_daily_sync: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sync_state: _Optional[_Union[Credential.SyncState, str]] = ..., sync_error: _Optional[str] = ..., profile_image_url: _Optional[str] = ..., synced_calendars: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., people_apis_enabled: _Optional[bool] = ..., jobs: _Optional[_Iterable[_Union[CredentialJob, _Mapping]]] = ...) -> None: ...

class Calendar(_message.Message):
    __slots__ = ("id", "name", "description", "time_zone", "permission", "already_synced")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    ALREADY_SYNCED_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    time_zone: str
    permission: str
    already_synced: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., time_zone: _Optional[str] = ..., permission: _Optional[str] = ..., already_synced: _Optional[bool] = ...) -> None: ...

class BusinessAccount(_message.Message):
    __slots__ = ("name", "account_name", "account_type", "role", "verification_state")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_STATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    account_name: str
    account_type: str
    role: str
    verification_state: str
    def __init__(self, name: _Optional[str] = ..., account_name: _Optional[str] = ..., account_type: _Optional[str] = ..., role: _Optional[str] = ..., verification_state: _Optional[str] = ...) -> None: ...
