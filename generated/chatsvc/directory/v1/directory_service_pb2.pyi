from chatsvc.directory.v1 import directory_pb2 as _directory_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateBrandRequest(_message.Message):
    __slots__ = ("brand",)
    BRAND_FIELD_NUMBER: _ClassVar[int]
    brand: _directory_pb2.Brand
    def __init__(self, brand: _Optional[_Union[_directory_pb2.Brand, _Mapping]] = ...) -> None: ...

class GetBrandRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListBrandsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBrandsResponse(_message.Message):
    __slots__ = ("brands", "next_page_token")
    BRANDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    brands: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Brand]
    next_page_token: str
    def __init__(self, brands: _Optional[_Iterable[_Union[_directory_pb2.Brand, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteBrandRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CreateMemberRequest(_message.Message):
    __slots__ = ("parent", "member")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    member: _directory_pb2.Member
    def __init__(self, parent: _Optional[str] = ..., member: _Optional[_Union[_directory_pb2.Member, _Mapping]] = ...) -> None: ...

class GetMemberRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListMembersRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMembersResponse(_message.Message):
    __slots__ = ("members", "next_page_token")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Member]
    next_page_token: str
    def __init__(self, members: _Optional[_Iterable[_Union[_directory_pb2.Member, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteMemberRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CreateContactRequest(_message.Message):
    __slots__ = ("parent", "contact")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    contact: _directory_pb2.Contact
    def __init__(self, parent: _Optional[str] = ..., contact: _Optional[_Union[_directory_pb2.Contact, _Mapping]] = ...) -> None: ...

class GetContactRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListContactsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "filter")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    filter: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class ListContactsResponse(_message.Message):
    __slots__ = ("contacts", "next_page_token")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Contact]
    next_page_token: str
    def __init__(self, contacts: _Optional[_Iterable[_Union[_directory_pb2.Contact, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteContactRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ImportContactsRequest(_message.Message):
    __slots__ = ("parent", "contacts")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    contacts: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Contact]
    def __init__(self, parent: _Optional[str] = ..., contacts: _Optional[_Iterable[_Union[_directory_pb2.Contact, _Mapping]]] = ...) -> None: ...

class ImportContactsResponse(_message.Message):
    __slots__ = ("contacts",)
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[_directory_pb2.Contact]
    def __init__(self, contacts: _Optional[_Iterable[_Union[_directory_pb2.Contact, _Mapping]]] = ...) -> None: ...

class CreateContactListRequest(_message.Message):
    __slots__ = ("parent", "contact_list")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_LIST_FIELD_NUMBER: _ClassVar[int]
    parent: str
    contact_list: _directory_pb2.ContactList
    def __init__(self, parent: _Optional[str] = ..., contact_list: _Optional[_Union[_directory_pb2.ContactList, _Mapping]] = ...) -> None: ...

class GetContactListRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListContactListsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListContactListsResponse(_message.Message):
    __slots__ = ("contact_lists", "next_page_token")
    CONTACT_LISTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contact_lists: _containers.RepeatedCompositeFieldContainer[_directory_pb2.ContactList]
    next_page_token: str
    def __init__(self, contact_lists: _Optional[_Iterable[_Union[_directory_pb2.ContactList, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteContactListRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...
