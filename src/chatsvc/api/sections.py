"""google.chat.v1 section RPCs: CreateSection, UpdateSection, DeleteSection, ListSections, PositionSection,
ListSectionItems, MoveSectionItem: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import section_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names, section_names
from chatsvc.aip.pagination import page_size
from chatsvc.domain import section_filter
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal
from chatsvc.domain.section_models import Section, SectionItem, SectionType

# UpdateSection: the one path Google supports, and `*`, which here means the same.
_UPDATABLE = {"display_name", "*"}
_Position = section_pb2.PositionSectionRequest.Position


def section_proto(section: Section) -> section_pb2.Section:
    return section_pb2.Section(name=section_names.section_name(section.user_id, section.id),
                               display_name=section.display_name, sort_order=section.sort_order,
                               type=int(section.type))


def item_proto(item: SectionItem) -> section_pb2.SectionItem:
    return section_pb2.SectionItem(name=section_names.item_name(item.user_id, item.section_id, item.space_id),
                                   space=names.space_name(item.space_id))


def _section_type(value: int) -> SectionType:
    if value not in SectionType._value2member_map_:
        raise InvalidArgument.field("section.type", "is not a section type")
    return SectionType(value)


def _renamed(request: section_pb2.UpdateSectionRequest) -> str:
    paths = list(request.update_mask.paths)
    if not paths:
        raise InvalidArgument.field("update_mask", "is required; the supported path is `display_name`")
    for path in paths:
        if path not in _UPDATABLE:
            raise InvalidArgument.field("update_mask", f"`{path}` can't be updated; the supported path is "
                                                       "`display_name`")
    return request.section.display_name


def _position(request: section_pb2.PositionSectionRequest) -> dict:
    which = request.WhichOneof("position")
    if which == "sort_order":
        if request.sort_order <= 0:
            raise InvalidArgument.field("sort_order", "must be greater than 0")
        return {"sort_order": request.sort_order}
    if which == "relative_position" and request.relative_position == _Position.START:
        return {"sort_order": 1}
    if which == "relative_position" and request.relative_position == _Position.END:
        return {"at_end": True}
    if which == "relative_position":
        raise InvalidArgument.field("relative_position", "must be START or END")
    raise InvalidArgument.field("sort_order", "a position is required: set `sort_order` or `relative_position`")


class SectionsApi:
    """Mixed into the ChatService servicer; `self.sections` and `self.pager` come from it."""

    async def CreateSection(self, request, context):
        parent = names.user(request.parent, "parent")
        # `name` (server-assigned) and `sort_order` (output only) are ignored on create.
        section = await self.sections.create(current_principal(), parent, _section_type(request.section.type),
                                             request.section.display_name)
        return section_proto(section)

    async def UpdateSection(self, request, context):
        ref = section_names.section(request.section.name, "section.name")
        display_name = _renamed(request)
        section = await self.sections.rename(current_principal(), ref, display_name,
                                             section_type=_section_type(request.section.type))
        return section_proto(section)

    async def DeleteSection(self, request, context):
        await self.sections.delete(current_principal(), section_names.section(request.name, "name"))
        return empty_pb2.Empty()

    async def ListSections(self, request, context):
        principal = current_principal()
        parent = names.user(request.parent, "parent")
        size = page_size(request.page_size, default=10, maximum=100)
        after = self.pager.position(request.page_token, "ListSections", principal, request.parent)
        page = await self.sections.list(principal, parent, after=after, limit=size)
        return section_pb2.ListSectionsResponse(
            sections=[section_proto(s) for s in page.items],
            next_page_token=self.pager.token(page.next_position, "ListSections", principal, request.parent))

    async def PositionSection(self, request, context):
        ref = section_names.section(request.name, "name")
        section = await self.sections.position(current_principal(), ref, **_position(request))
        return section_pb2.PositionSectionResponse(section=section_proto(section))

    async def ListSectionItems(self, request, context):
        principal = current_principal()
        parent = section_names.section(request.parent, "parent")
        size = page_size(request.page_size, default=10, maximum=100)
        space_ids = section_filter.parse(request.filter)
        params = (request.parent, request.filter)
        after = self.pager.position(request.page_token, "ListSectionItems", principal, *params)
        page = await self.sections.list_items(principal, parent, space_ids=space_ids,
                                              after=after[0] if after else None, limit=size)
        return section_pb2.ListSectionItemsResponse(
            section_items=[item_proto(i) for i in page.items],
            next_page_token=self.pager.token(page.next_position, "ListSectionItems", principal, *params))

    async def MoveSectionItem(self, request, context):
        ref = section_names.item(request.name, "name")
        if not request.target_section:
            raise InvalidArgument.field("target_section", "is required")
        target = section_names.section(request.target_section, "target_section")
        item = await self.sections.move_item(current_principal(), ref, target)
        return section_pb2.MoveSectionItemResponse(section_item=item_proto(item))
