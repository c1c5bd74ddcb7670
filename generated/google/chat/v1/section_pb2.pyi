from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Section(_message.Message):
    __slots__ = ("name", "display_name", "sort_order", "type")
    class SectionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SECTION_TYPE_UNSPECIFIED: _ClassVar[Section.SectionType]
        CUSTOM_SECTION: _ClassVar[Section.SectionType]
        DEFAULT_DIRECT_MESSAGES: _ClassVar[Section.SectionType]
        DEFAULT_SPACES: _ClassVar[Section.SectionType]
        DEFAULT_APPS: _ClassVar[Section.SectionType]
    SECTION_TYPE_UNSPECIFIED: Section.SectionType
    CUSTOM_SECTION: Section.SectionType
    DEFAULT_DIRECT_MESSAGES: Section.SectionType
    DEFAULT_SPACES: Section.SectionType
    DEFAULT_APPS: Section.SectionType
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    sort_order: int
    type: Section.SectionType
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., sort_order: _Optional[int] = ..., type: _Optional[_Union[Section.SectionType, str]] = ...) -> None: ...

class SectionItem(_message.Message):
    __slots__ = ("name", "space")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SPACE_FIELD_NUMBER: _ClassVar[int]
    name: str
    space: str
    def __init__(self, name: _Optional[str] = ..., space: _Optional[str] = ...) -> None: ...

class CreateSectionRequest(_message.Message):
    __slots__ = ("parent", "section")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SECTION_FIELD_NUMBER: _ClassVar[int]
    parent: str
    section: Section
    def __init__(self, parent: _Optional[str] = ..., section: _Optional[_Union[Section, _Mapping]] = ...) -> None: ...

class DeleteSectionRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class UpdateSectionRequest(_message.Message):
    __slots__ = ("section", "update_mask")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    section: Section
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, section: _Optional[_Union[Section, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class ListSectionsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSectionsResponse(_message.Message):
    __slots__ = ("sections", "next_page_token")
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    sections: _containers.RepeatedCompositeFieldContainer[Section]
    next_page_token: str
    def __init__(self, sections: _Optional[_Iterable[_Union[Section, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PositionSectionRequest(_message.Message):
    __slots__ = ("name", "sort_order", "relative_position")
    class Position(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        POSITION_UNSPECIFIED: _ClassVar[PositionSectionRequest.Position]
        START: _ClassVar[PositionSectionRequest.Position]
        END: _ClassVar[PositionSectionRequest.Position]
    POSITION_UNSPECIFIED: PositionSectionRequest.Position
    START: PositionSectionRequest.Position
    END: PositionSectionRequest.Position
    NAME_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    RELATIVE_POSITION_FIELD_NUMBER: _ClassVar[int]
    name: str
    sort_order: int
    relative_position: PositionSectionRequest.Position
    def __init__(self, name: _Optional[str] = ..., sort_order: _Optional[int] = ..., relative_position: _Optional[_Union[PositionSectionRequest.Position, str]] = ...) -> None: ...

class PositionSectionResponse(_message.Message):
    __slots__ = ("section",)
    SECTION_FIELD_NUMBER: _ClassVar[int]
    section: Section
    def __init__(self, section: _Optional[_Union[Section, _Mapping]] = ...) -> None: ...

class ListSectionItemsRequest(_message.Message):
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

class ListSectionItemsResponse(_message.Message):
    __slots__ = ("section_items", "next_page_token")
    SECTION_ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    section_items: _containers.RepeatedCompositeFieldContainer[SectionItem]
    next_page_token: str
    def __init__(self, section_items: _Optional[_Iterable[_Union[SectionItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MoveSectionItemRequest(_message.Message):
    __slots__ = ("name", "target_section")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TARGET_SECTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    target_section: str
    def __init__(self, name: _Optional[str] = ..., target_section: _Optional[str] = ...) -> None: ...

class MoveSectionItemResponse(_message.Message):
    __slots__ = ("section_item",)
    SECTION_ITEM_FIELD_NUMBER: _ClassVar[int]
    section_item: SectionItem
    def __init__(self, section_item: _Optional[_Union[SectionItem, _Mapping]] = ...) -> None: ...
