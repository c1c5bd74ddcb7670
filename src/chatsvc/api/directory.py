"""The chatsvc.directory.v1.DirectoryService servicer: brands, members, contacts and CRM lists.

Proto in -> a Brands or Contacts use case -> proto out. Page tokens are bound to the method, the caller and
every request parameter but the page size.
"""
from __future__ import annotations

from google.protobuf import empty_pb2

from chatsvc.aip.pagination import page_size
from chatsvc.api.directory_protos import (
    brand_proto,
    contact_draft,
    contact_list_proto,
    contact_proto,
    member_proto,
    role,
)
from chatsvc.api.pages import Pager
from chatsvc.api.unimplemented import fill_unimplemented
from chatsvc.directory.v1 import directory_service_pb2 as pb
from chatsvc.directory.v1 import directory_service_pb2_grpc
from chatsvc.domain.brands import Brands
from chatsvc.domain.contacts import Contacts
from chatsvc.domain.principal import current_principal

SERVICE = pb.DESCRIPTOR.services_by_name["DirectoryService"]
MAX_PAGE = 1000


class DirectoryService(directory_service_pb2_grpc.DirectoryServiceServicer):
    brands: Brands
    contacts: Contacts
    pager: Pager

    def __init__(self, **services):
        for name, service in services.items():
            setattr(self, name, service)

    def _page(self, request, method: str, default: int, *params) -> tuple[tuple | None, int]:
        size = page_size(request.page_size, default=default, maximum=MAX_PAGE)
        return self.pager.position(request.page_token, method, current_principal(), *params), size

    def _next(self, page, method: str, *params) -> str:
        return self.pager.token(page.next_position, method, current_principal(), *params)

    # ---- brands

    async def CreateBrand(self, request, context):
        return brand_proto(await self.brands.create(current_principal(), request.brand.display_name))

    async def GetBrand(self, request, context):
        return brand_proto(await self.brands.get(current_principal(), request.name))

    async def ListBrands(self, request, context):
        after, size = self._page(request, "ListBrands", 50)
        page = await self.brands.list(current_principal(), after, size)
        return pb.ListBrandsResponse(brands=[brand_proto(b) for b in page.items],
                                     next_page_token=self._next(page, "ListBrands"))

    async def DeleteBrand(self, request, context):
        await self.brands.delete(current_principal(), request.name)
        return empty_pb2.Empty()

    # ---- members

    async def CreateMember(self, request, context):
        m = request.member
        member = await self.brands.add_member(current_principal(), request.parent, m.user, role(m.role),
                                              m.display_name, m.email_signature)
        return member_proto(member)

    async def GetMember(self, request, context):
        return member_proto(await self.brands.get_member(current_principal(), request.name))

    async def ListMembers(self, request, context):
        after, size = self._page(request, "ListMembers", 100, request.parent)
        page = await self.brands.list_members(current_principal(), request.parent, after, size)
        return pb.ListMembersResponse(members=[member_proto(m) for m in page.items],
                                      next_page_token=self._next(page, "ListMembers", request.parent))

    async def DeleteMember(self, request, context):
        await self.brands.remove_member(current_principal(), request.name)
        return empty_pb2.Empty()

    # ---- contacts

    async def CreateContact(self, request, context):
        contact = await self.contacts.create(current_principal(), request.parent, contact_draft(request.contact))
        return contact_proto(contact)

    async def GetContact(self, request, context):
        return contact_proto(await self.contacts.get(current_principal(), request.name))

    async def ListContacts(self, request, context):
        params = (request.parent, request.filter)
        after, size = self._page(request, "ListContacts", 100, *params)
        page = await self.contacts.list(current_principal(), request.parent, request.filter, after, size)
        return pb.ListContactsResponse(contacts=[contact_proto(c) for c in page.items],
                                       next_page_token=self._next(page, "ListContacts", *params))

    async def DeleteContact(self, request, context):
        await self.contacts.delete(current_principal(), request.name)
        return empty_pb2.Empty()

    async def ImportContacts(self, request, context):
        created = await self.contacts.import_contacts(current_principal(), request.parent,
                                                      [contact_draft(c) for c in request.contacts])
        return pb.ImportContactsResponse(contacts=[contact_proto(c) for c in created])

    # ---- CRM lists

    async def CreateContactList(self, request, context):
        created = await self.contacts.create_list(current_principal(), request.parent,
                                                  request.contact_list.display_name)
        return contact_list_proto(created)

    async def GetContactList(self, request, context):
        return contact_list_proto(await self.contacts.get_list(current_principal(), request.name))

    async def ListContactLists(self, request, context):
        after, size = self._page(request, "ListContactLists", 100, request.parent)
        page = await self.contacts.list_lists(current_principal(), request.parent, after, size)
        return pb.ListContactListsResponse(contact_lists=[contact_list_proto(c) for c in page.items],
                                           next_page_token=self._next(page, "ListContactLists", request.parent))

    async def DeleteContactList(self, request, context):
        await self.contacts.delete_list(current_principal(), request.name)
        return empty_pb2.Empty()


IMPLEMENTED = fill_unimplemented(DirectoryService, directory_service_pb2_grpc.DirectoryServiceServicer, SERVICE)
