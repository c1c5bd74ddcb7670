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

class Origin(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORIGIN_UNSPECIFIED: _ClassVar[Origin]
    ORIGIN_GMAIL: _ClassVar[Origin]
    ORIGIN_OUTLOOK: _ClassVar[Origin]
    ORIGIN_MAILGUN: _ClassVar[Origin]

class SendType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_TYPE_UNSPECIFIED: _ClassVar[SendType]
    SEND_TYPE_TO: _ClassVar[SendType]
    SEND_TYPE_CC: _ClassVar[SendType]
    SEND_TYPE_BCC: _ClassVar[SendType]

class DeliveryEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_EVENT_TYPE_UNSPECIFIED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_ACCEPTED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_DELIVERED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_OPENED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_CLICKED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_FAILED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_REJECTED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_COMPLAINED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_UNSUBSCRIBED: _ClassVar[DeliveryEventType]
    DELIVERY_EVENT_TYPE_STORED: _ClassVar[DeliveryEventType]
ORIGIN_UNSPECIFIED: Origin
ORIGIN_GMAIL: Origin
ORIGIN_OUTLOOK: Origin
ORIGIN_MAILGUN: Origin
SEND_TYPE_UNSPECIFIED: SendType
SEND_TYPE_TO: SendType
SEND_TYPE_CC: SendType
SEND_TYPE_BCC: SendType
DELIVERY_EVENT_TYPE_UNSPECIFIED: DeliveryEventType
DELIVERY_EVENT_TYPE_ACCEPTED: DeliveryEventType
DELIVERY_EVENT_TYPE_DELIVERED: DeliveryEventType
DELIVERY_EVENT_TYPE_OPENED: DeliveryEventType
DELIVERY_EVENT_TYPE_CLICKED: DeliveryEventType
DELIVERY_EVENT_TYPE_FAILED: DeliveryEventType
DELIVERY_EVENT_TYPE_REJECTED: DeliveryEventType
DELIVERY_EVENT_TYPE_COMPLAINED: DeliveryEventType
DELIVERY_EVENT_TYPE_UNSUBSCRIBED: DeliveryEventType
DELIVERY_EVENT_TYPE_STORED: DeliveryEventType

class DeliveryCounters(_message.Message):
    __slots__ = ("accepted", "delivered", "opened", "clicked", "failed", "rejected", "complained", "unsubscribed", "stored")
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    CLICKED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    COMPLAINED_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBED_FIELD_NUMBER: _ClassVar[int]
    STORED_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    delivered: int
    opened: int
    clicked: int
    failed: int
    rejected: int
    complained: int
    unsubscribed: int
    stored: int
    def __init__(self, accepted: _Optional[int] = ..., delivered: _Optional[int] = ..., opened: _Optional[int] = ..., clicked: _Optional[int] = ..., failed: _Optional[int] = ..., rejected: _Optional[int] = ..., complained: _Optional[int] = ..., unsubscribed: _Optional[int] = ..., stored: _Optional[int] = ...) -> None: ...

class EmailFile(_message.Message):
    __slots__ = ("name", "filename", "mime_type", "size_bytes", "origin", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    filename: str
    mime_type: str
    size_bytes: int
    origin: Origin
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., filename: _Optional[str] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., origin: _Optional[_Union[Origin, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EmailRecipient(_message.Message):
    __slots__ = ("id", "recipient_type", "send_type", "email", "contact", "tag", "contact_list", "brand", "agent")
    class RecipientType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        RECIPIENT_TYPE_UNSPECIFIED: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_EMAIL: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_CONTACT: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_TAG: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_LIST: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_BRAND: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_ALL_CONTACTS: _ClassVar[EmailRecipient.RecipientType]
        RECIPIENT_TYPE_AGENT: _ClassVar[EmailRecipient.RecipientType]
    RECIPIENT_TYPE_UNSPECIFIED: EmailRecipient.RecipientType
    RECIPIENT_TYPE_EMAIL: EmailRecipient.RecipientType
    RECIPIENT_TYPE_CONTACT: EmailRecipient.RecipientType
    RECIPIENT_TYPE_TAG: EmailRecipient.RecipientType
    RECIPIENT_TYPE_LIST: EmailRecipient.RecipientType
    RECIPIENT_TYPE_BRAND: EmailRecipient.RecipientType
    RECIPIENT_TYPE_ALL_CONTACTS: EmailRecipient.RecipientType
    RECIPIENT_TYPE_AGENT: EmailRecipient.RecipientType
    ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEND_TYPE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    CONTACT_LIST_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    recipient_type: EmailRecipient.RecipientType
    send_type: SendType
    email: str
    contact: str
    tag: str
    contact_list: str
    brand: str
    agent: str
    def __init__(self, id: _Optional[str] = ..., recipient_type: _Optional[_Union[EmailRecipient.RecipientType, str]] = ..., send_type: _Optional[_Union[SendType, str]] = ..., email: _Optional[str] = ..., contact: _Optional[str] = ..., tag: _Optional[str] = ..., contact_list: _Optional[str] = ..., brand: _Optional[str] = ..., agent: _Optional[str] = ...) -> None: ...

class EmailAttachment(_message.Message):
    __slots__ = ("file", "url", "filename", "is_inline", "content_id")
    FILE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    IS_INLINE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    file: str
    url: str
    filename: str
    is_inline: bool
    content_id: str
    def __init__(self, file: _Optional[str] = ..., url: _Optional[str] = ..., filename: _Optional[str] = ..., is_inline: _Optional[bool] = ..., content_id: _Optional[str] = ...) -> None: ...

class EmailHeaders(_message.Message):
    __slots__ = ("in_reply_to", "thread_id", "message_id")
    IN_REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    in_reply_to: str
    thread_id: str
    message_id: str
    def __init__(self, in_reply_to: _Optional[str] = ..., thread_id: _Optional[str] = ..., message_id: _Optional[str] = ...) -> None: ...

class EmailCampaign(_message.Message):
    __slots__ = ("name", "creator", "sender", "state", "due_time", "execute_time", "subject", "html", "text", "headers", "tags", "recipients", "attachments", "include_signature", "individual", "notifications_enabled", "google_credential", "microsoft_credential", "counters", "sent", "recipients_count", "fail_time", "failure", "failed_within", "emails", "create_time", "update_time")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[EmailCampaign.State]
        STATE_SCHEDULED: _ClassVar[EmailCampaign.State]
        STATE_SENDING: _ClassVar[EmailCampaign.State]
        STATE_EXECUTED: _ClassVar[EmailCampaign.State]
        STATE_FAILED: _ClassVar[EmailCampaign.State]
    STATE_UNSPECIFIED: EmailCampaign.State
    STATE_SCHEDULED: EmailCampaign.State
    STATE_SENDING: EmailCampaign.State
    STATE_EXECUTED: EmailCampaign.State
    STATE_FAILED: EmailCampaign.State
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    EXECUTE_TIME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    INDIVIDUAL_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAIL_TIME_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    FAILED_WITHIN_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    creator: str
    sender: str
    state: EmailCampaign.State
    due_time: _timestamp_pb2.Timestamp
    execute_time: _timestamp_pb2.Timestamp
    subject: str
    html: str
    text: str
    headers: EmailHeaders
    tags: _containers.RepeatedScalarFieldContainer[str]
    recipients: _containers.RepeatedCompositeFieldContainer[EmailRecipient]
    attachments: _containers.RepeatedCompositeFieldContainer[EmailAttachment]
    include_signature: bool
    individual: bool
    notifications_enabled: bool
    google_credential: str
    microsoft_credential: str
    counters: DeliveryCounters
    sent: int
    recipients_count: int
    fail_time: _timestamp_pb2.Timestamp
    failure: str
    failed_within: str
    emails: _containers.RepeatedCompositeFieldContainer[CampaignEmail]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., creator: _Optional[str] = ..., sender: _Optional[str] = ..., state: _Optional[_Union[EmailCampaign.State, str]] = ..., due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., execute_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subject: _Optional[str] = ..., html: _Optional[str] = ..., text: _Optional[str] = ..., headers: _Optional[_Union[EmailHeaders, _Mapping]] = ..., tags: _Optional[_Iterable[str]] = ..., recipients: _Optional[_Iterable[_Union[EmailRecipient, _Mapping]]] = ..., attachments: _Optional[_Iterable[_Union[EmailAttachment, _Mapping]]] = ..., include_signature: _Optional[bool] = ..., individual: _Optional[bool] = ..., notifications_enabled: _Optional[bool] = ..., google_credential: _Optional[str] = ..., microsoft_credential: _Optional[str] = ..., counters: _Optional[_Union[DeliveryCounters, _Mapping]] = ..., sent: _Optional[int] = ..., recipients_count: _Optional[int] = ..., fail_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., failure: _Optional[str] = ..., failed_within: _Optional[str] = ..., emails: _Optional[_Iterable[_Union[CampaignEmail, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SentEmail(_message.Message):
    __slots__ = ("message_id", "from_address", "to", "cc", "bcc", "subject", "provider_message_id", "send_time", "address_count")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    CC_FIELD_NUMBER: _ClassVar[int]
    BCC_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SEND_TIME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_COUNT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    from_address: str
    to: _containers.RepeatedScalarFieldContainer[str]
    cc: _containers.RepeatedScalarFieldContainer[str]
    bcc: _containers.RepeatedScalarFieldContainer[str]
    subject: str
    provider_message_id: str
    send_time: _timestamp_pb2.Timestamp
    address_count: int
    def __init__(self, message_id: _Optional[str] = ..., from_address: _Optional[str] = ..., to: _Optional[_Iterable[str]] = ..., cc: _Optional[_Iterable[str]] = ..., bcc: _Optional[_Iterable[str]] = ..., subject: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., send_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., address_count: _Optional[int] = ...) -> None: ...

class CampaignEmail(_message.Message):
    __slots__ = ("name", "email_address", "send_type", "full_name", "contact", "agent", "state", "error", "counters", "email")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[CampaignEmail.State]
        STATE_PENDING: _ClassVar[CampaignEmail.State]
        STATE_SENT: _ClassVar[CampaignEmail.State]
        STATE_FAILED: _ClassVar[CampaignEmail.State]
    STATE_UNSPECIFIED: CampaignEmail.State
    STATE_PENDING: CampaignEmail.State
    STATE_SENT: CampaignEmail.State
    STATE_FAILED: CampaignEmail.State
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SEND_TYPE_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    email_address: str
    send_type: SendType
    full_name: str
    contact: str
    agent: str
    state: CampaignEmail.State
    error: str
    counters: DeliveryCounters
    email: SentEmail
    def __init__(self, name: _Optional[str] = ..., email_address: _Optional[str] = ..., send_type: _Optional[_Union[SendType, str]] = ..., full_name: _Optional[str] = ..., contact: _Optional[str] = ..., agent: _Optional[str] = ..., state: _Optional[_Union[CampaignEmail.State, str]] = ..., error: _Optional[str] = ..., counters: _Optional[_Union[DeliveryCounters, _Mapping]] = ..., email: _Optional[_Union[SentEmail, _Mapping]] = ...) -> None: ...

class EmailQuota(_message.Message):
    __slots__ = ("name", "executed", "scheduled", "quota")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    QUOTA_FIELD_NUMBER: _ClassVar[int]
    name: str
    executed: int
    scheduled: int
    quota: int
    def __init__(self, name: _Optional[str] = ..., executed: _Optional[int] = ..., scheduled: _Optional[int] = ..., quota: _Optional[int] = ...) -> None: ...

class SendingDomain(_message.Message):
    __slots__ = ("name", "domain", "mail_domain", "create_time", "enable_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    MAIL_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ENABLE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    domain: str
    mail_domain: str
    create_time: _timestamp_pb2.Timestamp
    enable_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., domain: _Optional[str] = ..., mail_domain: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., enable_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DnsRecord(_message.Message):
    __slots__ = ("name", "record_type", "desired_value", "is_active")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECORD_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESIRED_VALUE_FIELD_NUMBER: _ClassVar[int]
    IS_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    name: str
    record_type: str
    desired_value: str
    is_active: bool
    def __init__(self, name: _Optional[str] = ..., record_type: _Optional[str] = ..., desired_value: _Optional[str] = ..., is_active: _Optional[bool] = ...) -> None: ...
