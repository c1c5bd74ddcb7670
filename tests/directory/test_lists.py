"""CreateContactList, GetContactList, ListContactLists, DeleteContactList; and the readonly scope."""
from __future__ import annotations

import grpc

from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as pb
from tests.directory.support import READONLY, make_brand, md, stub
from tests.helpers import failure, field_of


def create(parent: str, display_name: str) -> pb.CreateContactListRequest:
    return pb.CreateContactListRequest(parent=parent, contact_list=directory_pb2.ContactList(display_name=display_name))


async def test_list_lifecycle(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["agent@example.com"])
    agent = made.md("agent@example.com")
    created = await directory.CreateContactList(create(made.name, "  Newsletter "), metadata=agent)
    assert created.name.startswith(f"{made.name}/lists/") and created.display_name == "Newsletter"
    assert created.contact_count == 0 and created.create_time.seconds > 0
    on_it = await directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=[
        directory_pb2.Contact(emails=[f"c{i}@example.com"], lists=[created.name]) for i in range(3)]), metadata=agent)
    got = await directory.GetContactList(pb.GetContactListRequest(name=created.name), metadata=made.md())
    assert (got.name, got.display_name, got.contact_count) == (created.name, "Newsletter", 3)
    await directory.DeleteContactList(pb.DeleteContactListRequest(name=created.name), metadata=agent)
    details = await failure(directory.GetContactList(pb.GetContactListRequest(name=created.name), metadata=agent),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "CONTACT_LIST_NOT_FOUND"
    await failure(directory.DeleteContactList(pb.DeleteContactListRequest(name=created.name), metadata=agent),
                  grpc.StatusCode.NOT_FOUND)
    # Its contacts stay, off the list.
    for contact in on_it.contacts:
        kept = await directory.GetContact(pb.GetContactRequest(name=contact.name), metadata=agent)
        assert list(kept.emails) == list(contact.emails) and not kept.lists


async def test_list_errors_and_visibility(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", lists=["L"])
    other = await make_brand(server, "alice@example.com")
    for request, field in [(create(made.name, ""), "contact_list.display_name"),
                           (create(made.name, "  "), "contact_list.display_name"),
                           (create(made.name, "x" * 257), "contact_list.display_name"),
                           (create("brands/", "x"), "parent")]:
        details = await failure(directory.CreateContactList(request, metadata=made.md()),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    the_list = made.lists["L"].name
    stranger = md(server, "mallory@example.com")
    for call in (directory.GetContactList(pb.GetContactListRequest(name=the_list), metadata=stranger),
                 directory.DeleteContactList(pb.DeleteContactListRequest(name=the_list), metadata=stranger),
                 directory.ListContactLists(pb.ListContactListsRequest(parent=made.name), metadata=stranger),
                 directory.CreateContactList(create(made.name, "x"), metadata=stranger)):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    moved = f"{other.name}/lists/{the_list.split('/')[3]}"
    for call in (directory.GetContactList(pb.GetContactListRequest(name=moved), metadata=made.md()),
                 directory.DeleteContactList(pb.DeleteContactListRequest(name=moved), metadata=made.md())):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "CONTACT_LIST_NOT_FOUND"
    for name in ("", made.name, f"{made.name}/lists", f"{made.name}/contacts/x"):
        details = await failure(directory.GetContactList(pb.GetContactListRequest(name=name), metadata=made.md()),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_list_contact_lists_pages_with_counts(server):
    directory = stub(server)
    names = [f"L{i}" for i in range(5)]
    made = await make_brand(server, "alice@example.com", lists=names, contacts=[
        {"emails": [f"c{i}@example.com"], "lists": names[:i]} for i in range(5)])
    seen, token = [], ""
    for _ in range(10):
        page = await directory.ListContactLists(pb.ListContactListsRequest(parent=made.name, page_size=2,
                                                                           page_token=token), metadata=made.md())
        seen += [(c.display_name, c.contact_count) for c in page.contact_lists]
        token = page.next_page_token
        if not token:
            break
    assert seen == [("L0", 4), ("L1", 3), ("L2", 2), ("L3", 1), ("L4", 0)]
    first = await directory.ListContactLists(pb.ListContactListsRequest(parent=made.name, page_size=2),
                                             metadata=made.md())
    other = await make_brand(server, "alice@example.com")
    for request in (pb.ListContactListsRequest(parent=other.name, page_token=first.next_page_token),
                    pb.ListContactListsRequest(parent=made.name, page_size=-1),
                    pb.ListContactListsRequest(parent="")):
        details = await failure(directory.ListContactLists(request, metadata=made.md()),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details)[0] in ("page_token", "page_size", "parent")


async def test_readonly_scope_reads_but_does_not_write(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["agent@example.com"], lists=["L"],
                            contacts=[{"emails": ["c@example.com"]}])
    reader = made.md(scopes=READONLY)
    contact, the_list, agent = made.contacts[0].name, made.lists["L"].name, made.members["agent@example.com"].name
    reads = [
        directory.GetBrand(pb.GetBrandRequest(name=made.name), metadata=reader),
        directory.ListBrands(pb.ListBrandsRequest(), metadata=reader),
        directory.GetMember(pb.GetMemberRequest(name=agent), metadata=reader),
        directory.ListMembers(pb.ListMembersRequest(parent=made.name), metadata=reader),
        directory.GetContact(pb.GetContactRequest(name=contact), metadata=reader),
        directory.ListContacts(pb.ListContactsRequest(parent=made.name), metadata=reader),
        directory.GetContactList(pb.GetContactListRequest(name=the_list), metadata=reader),
        directory.ListContactLists(pb.ListContactListsRequest(parent=made.name), metadata=reader),
    ]
    for call in reads:
        await call
    writes = [
        directory.CreateBrand(pb.CreateBrandRequest(brand=directory_pb2.Brand(display_name="x")), metadata=reader),
        directory.DeleteBrand(pb.DeleteBrandRequest(name=made.name), metadata=reader),
        directory.CreateMember(pb.CreateMemberRequest(parent=made.name, member=directory_pb2.Member(
            user="users/x@example.com")), metadata=reader),
        directory.DeleteMember(pb.DeleteMemberRequest(name=agent), metadata=reader),
        directory.CreateContact(pb.CreateContactRequest(parent=made.name, contact=directory_pb2.Contact()),
                                metadata=reader),
        directory.DeleteContact(pb.DeleteContactRequest(name=contact), metadata=reader),
        directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=[directory_pb2.Contact()]),
                                 metadata=reader),
        directory.CreateContactList(create(made.name, "x"), metadata=reader),
        directory.DeleteContactList(pb.DeleteContactListRequest(name=the_list), metadata=reader),
    ]
    for call in writes:
        await failure(call, grpc.StatusCode.PERMISSION_DENIED)
    # Other services' scopes give no access to the directory; nothing was changed.
    await failure(directory.GetBrand(pb.GetBrandRequest(name=made.name),
                                     metadata=made.md(scopes=("chat.spaces",))), grpc.StatusCode.PERMISSION_DENIED)
    assert len((await directory.ListMembers(pb.ListMembersRequest(parent=made.name), metadata=reader)).members) == 2
