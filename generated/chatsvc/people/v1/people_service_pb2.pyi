from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.rpc import status_pb2 as _status_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReadSourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    READ_SOURCE_TYPE_UNSPECIFIED: _ClassVar[ReadSourceType]
    READ_SOURCE_TYPE_PROFILE: _ClassVar[ReadSourceType]
    READ_SOURCE_TYPE_CONTACT: _ClassVar[ReadSourceType]
    READ_SOURCE_TYPE_DOMAIN_CONTACT: _ClassVar[ReadSourceType]
    READ_SOURCE_TYPE_OTHER_CONTACT: _ClassVar[ReadSourceType]
READ_SOURCE_TYPE_UNSPECIFIED: ReadSourceType
READ_SOURCE_TYPE_PROFILE: ReadSourceType
READ_SOURCE_TYPE_CONTACT: ReadSourceType
READ_SOURCE_TYPE_DOMAIN_CONTACT: ReadSourceType
READ_SOURCE_TYPE_OTHER_CONTACT: ReadSourceType

class RequestMask(_message.Message):
    __slots__ = ("include_field",)
    INCLUDE_FIELD_FIELD_NUMBER: _ClassVar[int]
    include_field: _field_mask_pb2.FieldMask
    def __init__(self, include_field: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class GetPersonRequest(_message.Message):
    __slots__ = ("resource_name", "request_mask", "person_fields", "sources")
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_MASK_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    resource_name: str
    request_mask: RequestMask
    person_fields: _field_mask_pb2.FieldMask
    sources: _containers.RepeatedScalarFieldContainer[ReadSourceType]
    def __init__(self, resource_name: _Optional[str] = ..., request_mask: _Optional[_Union[RequestMask, _Mapping]] = ..., person_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., sources: _Optional[_Iterable[_Union[ReadSourceType, str]]] = ...) -> None: ...

class GetBatchGetRequest(_message.Message):
    __slots__ = ("resource_names", "request_mask", "person_fields", "sources")
    RESOURCE_NAMES_FIELD_NUMBER: _ClassVar[int]
    REQUEST_MASK_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    resource_names: _containers.RepeatedScalarFieldContainer[str]
    request_mask: RequestMask
    person_fields: _field_mask_pb2.FieldMask
    sources: _containers.RepeatedScalarFieldContainer[ReadSourceType]
    def __init__(self, resource_names: _Optional[_Iterable[str]] = ..., request_mask: _Optional[_Union[RequestMask, _Mapping]] = ..., person_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., sources: _Optional[_Iterable[_Union[ReadSourceType, str]]] = ...) -> None: ...

class GetPeopleResponse(_message.Message):
    __slots__ = ("responses",)
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    responses: _containers.RepeatedCompositeFieldContainer[PersonResponse]
    def __init__(self, responses: _Optional[_Iterable[_Union[PersonResponse, _Mapping]]] = ...) -> None: ...

class PersonResponse(_message.Message):
    __slots__ = ("http_status_code", "person", "requested_resource_name", "status")
    HTTP_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    http_status_code: int
    person: Person
    requested_resource_name: str
    status: _status_pb2.Status
    def __init__(self, http_status_code: _Optional[int] = ..., person: _Optional[_Union[Person, _Mapping]] = ..., requested_resource_name: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class Person(_message.Message):
    __slots__ = ("resource_name", "etag", "names", "email_addresses", "photos")
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    PHOTOS_FIELD_NUMBER: _ClassVar[int]
    resource_name: str
    etag: str
    names: _containers.RepeatedCompositeFieldContainer[Name]
    email_addresses: _containers.RepeatedCompositeFieldContainer[EmailAddress]
    photos: _containers.RepeatedCompositeFieldContainer[Photo]
    def __init__(self, resource_name: _Optional[str] = ..., etag: _Optional[str] = ..., names: _Optional[_Iterable[_Union[Name, _Mapping]]] = ..., email_addresses: _Optional[_Iterable[_Union[EmailAddress, _Mapping]]] = ..., photos: _Optional[_Iterable[_Union[Photo, _Mapping]]] = ...) -> None: ...

class FieldMetadata(_message.Message):
    __slots__ = ("primary", "verified", "source", "source_primary")
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    primary: bool
    verified: bool
    source: Source
    source_primary: bool
    def __init__(self, primary: _Optional[bool] = ..., verified: _Optional[bool] = ..., source: _Optional[_Union[Source, _Mapping]] = ..., source_primary: _Optional[bool] = ...) -> None: ...

class Source(_message.Message):
    __slots__ = ("type", "id", "etag")
    class SourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SOURCE_TYPE_UNSPECIFIED: _ClassVar[Source.SourceType]
        ACCOUNT: _ClassVar[Source.SourceType]
        PROFILE: _ClassVar[Source.SourceType]
        DOMAIN_PROFILE: _ClassVar[Source.SourceType]
        CONTACT: _ClassVar[Source.SourceType]
        OTHER_CONTACT: _ClassVar[Source.SourceType]
        DOMAIN_CONTACT: _ClassVar[Source.SourceType]
    SOURCE_TYPE_UNSPECIFIED: Source.SourceType
    ACCOUNT: Source.SourceType
    PROFILE: Source.SourceType
    DOMAIN_PROFILE: Source.SourceType
    CONTACT: Source.SourceType
    OTHER_CONTACT: Source.SourceType
    DOMAIN_CONTACT: Source.SourceType
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    type: Source.SourceType
    id: str
    etag: str
    def __init__(self, type: _Optional[_Union[Source.SourceType, str]] = ..., id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class Name(_message.Message):
    __slots__ = ("metadata", "display_name", "display_name_last_first", "family_name", "given_name", "unstructured_name")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_LAST_FIRST_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    GIVEN_NAME_FIELD_NUMBER: _ClassVar[int]
    UNSTRUCTURED_NAME_FIELD_NUMBER: _ClassVar[int]
    metadata: FieldMetadata
    display_name: str
    display_name_last_first: str
    family_name: str
    given_name: str
    unstructured_name: str
    def __init__(self, metadata: _Optional[_Union[FieldMetadata, _Mapping]] = ..., display_name: _Optional[str] = ..., display_name_last_first: _Optional[str] = ..., family_name: _Optional[str] = ..., given_name: _Optional[str] = ..., unstructured_name: _Optional[str] = ...) -> None: ...

class EmailAddress(_message.Message):
    __slots__ = ("metadata", "value", "type", "formatted_type", "display_name")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FORMATTED_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    metadata: FieldMetadata
    value: str
    type: str
    formatted_type: str
    display_name: str
    def __init__(self, metadata: _Optional[_Union[FieldMetadata, _Mapping]] = ..., value: _Optional[str] = ..., type: _Optional[str] = ..., formatted_type: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class Photo(_message.Message):
    __slots__ = ("metadata", "url", "default")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    metadata: FieldMetadata
    url: str
    default: bool
    def __init__(self, metadata: _Optional[_Union[FieldMetadata, _Mapping]] = ..., url: _Optional[str] = ..., default: _Optional[bool] = ...) -> None: ...
