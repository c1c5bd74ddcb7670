import datetime

from chatsvc.campaigns.v1 import campaign_pb2 as _campaign_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Association(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSOCIATION_UNSPECIFIED: _ClassVar[Association]
    ASSOCIATION_EMAILS: _ClassVar[Association]
ASSOCIATION_UNSPECIFIED: Association
ASSOCIATION_EMAILS: Association

class UploadAttachmentMetadata(_message.Message):
    __slots__ = ("parent", "origin", "filename", "mime_type")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    origin: _campaign_pb2.Origin
    filename: str
    mime_type: str
    def __init__(self, parent: _Optional[str] = ..., origin: _Optional[_Union[_campaign_pb2.Origin, str]] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ...) -> None: ...

class UploadAttachmentRequest(_message.Message):
    __slots__ = ("metadata", "chunk")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    metadata: UploadAttachmentMetadata
    chunk: bytes
    def __init__(self, metadata: _Optional[_Union[UploadAttachmentMetadata, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class CreateEmailCampaignRequest(_message.Message):
    __slots__ = ("parent", "email_campaign", "email_campaign_id", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    EMAIL_CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    email_campaign: _campaign_pb2.EmailCampaign
    email_campaign_id: str
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., email_campaign: _Optional[_Union[_campaign_pb2.EmailCampaign, _Mapping]] = ..., email_campaign_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpdateEmailCampaignRequest(_message.Message):
    __slots__ = ("email_campaign", "update_mask")
    EMAIL_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    email_campaign: _campaign_pb2.EmailCampaign
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, email_campaign: _Optional[_Union[_campaign_pb2.EmailCampaign, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class SetCampaignNotificationsRequest(_message.Message):
    __slots__ = ("name", "enabled")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    name: str
    enabled: bool
    def __init__(self, name: _Optional[str] = ..., enabled: _Optional[bool] = ...) -> None: ...

class GetEmailCampaignRequest(_message.Message):
    __slots__ = ("name", "associations")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    associations: _containers.RepeatedScalarFieldContainer[Association]
    def __init__(self, name: _Optional[str] = ..., associations: _Optional[_Iterable[_Union[Association, str]]] = ...) -> None: ...

class ListEmailCampaignsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "associations")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATIONS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    associations: _containers.RepeatedScalarFieldContainer[Association]
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., associations: _Optional[_Iterable[_Union[Association, str]]] = ...) -> None: ...

class ListEmailCampaignsResponse(_message.Message):
    __slots__ = ("email_campaigns", "next_page_token", "total_size")
    EMAIL_CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    email_campaigns: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.EmailCampaign]
    next_page_token: str
    total_size: int
    def __init__(self, email_campaigns: _Optional[_Iterable[_Union[_campaign_pb2.EmailCampaign, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class DeleteEmailCampaignRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCampaignEmailsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "skip", "order_by")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SKIP_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    skip: int
    order_by: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., skip: _Optional[int] = ..., order_by: _Optional[str] = ...) -> None: ...

class ListCampaignEmailsResponse(_message.Message):
    __slots__ = ("emails", "next_page_token", "total_size")
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    emails: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.CampaignEmail]
    next_page_token: str
    total_size: int
    def __init__(self, emails: _Optional[_Iterable[_Union[_campaign_pb2.CampaignEmail, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetEmailQuotaRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RecordDeliveryEventRequest(_message.Message):
    __slots__ = ("name", "event_type", "event_id", "event_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    event_type: _campaign_pb2.DeliveryEventType
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., event_type: _Optional[_Union[_campaign_pb2.DeliveryEventType, str]] = ..., event_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetMailboxMessageReadRequest(_message.Message):
    __slots__ = ("credential", "message_id", "read")
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    credential: str
    message_id: str
    read: bool
    def __init__(self, credential: _Optional[str] = ..., message_id: _Optional[str] = ..., read: _Optional[bool] = ...) -> None: ...

class BatchSetMailboxMessagesReadRequest(_message.Message):
    __slots__ = ("credential", "message_ids", "read")
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    credential: str
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    read: bool
    def __init__(self, credential: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ..., read: _Optional[bool] = ...) -> None: ...

class BatchTrashMailboxMessagesRequest(_message.Message):
    __slots__ = ("credential", "message_ids")
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    credential: str
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, credential: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchArchiveMailboxMessagesRequest(_message.Message):
    __slots__ = ("credential", "message_ids")
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    credential: str
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, credential: _Optional[str] = ..., message_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateSendingDomainRequest(_message.Message):
    __slots__ = ("sending_domain",)
    SENDING_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    sending_domain: _campaign_pb2.SendingDomain
    def __init__(self, sending_domain: _Optional[_Union[_campaign_pb2.SendingDomain, _Mapping]] = ...) -> None: ...

class GetSendingDomainRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class VerifySendingDomainRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class VerifySendingDomainResponse(_message.Message):
    __slots__ = ("sending_domain", "missing_records")
    SENDING_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    MISSING_RECORDS_FIELD_NUMBER: _ClassVar[int]
    sending_domain: _campaign_pb2.SendingDomain
    missing_records: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.DnsRecord]
    def __init__(self, sending_domain: _Optional[_Union[_campaign_pb2.SendingDomain, _Mapping]] = ..., missing_records: _Optional[_Iterable[_Union[_campaign_pb2.DnsRecord, _Mapping]]] = ...) -> None: ...
