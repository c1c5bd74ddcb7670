"""CreateContact, GetContact, ListContacts (with filters), DeleteContact, ImportContacts."""
from __future__ import annotations

import grpc
from sqlalchemy import event

from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as pb
from tests.directory.support import make_brand, md, stub
from tests.helpers import failure, field_of, statement_of_a_call


def create(parent: str, **fields) -> pb.CreateContactRequest:
    return pb.CreateContactRequest(parent=parent, contact=directory_pb2.Contact(**fields))


async def test_contact_lifecycle(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["agent@example.com"], lists=["Buyers", "VIP"])
    agent = made.md("agent@example.com")
    contact = await directory.CreateContact(create(
        made.name, display_name=" Ann Lee ", emails=["Ann@Example.com", "ann@example.com", " second@example.org "],
        tags=[" Buyers ", "buyers", "EU"], lists=[made.lists["VIP"].name, made.lists["Buyers"].name,
                                                   made.lists["VIP"].name],
        name="brands/x/contacts/ignored"), metadata=agent)
    assert contact.name.startswith(f"{made.name}/contacts/") and len(contact.name.split("/")[3]) == 36
    assert contact.display_name == "Ann Lee"
    assert list(contact.emails) == ["Ann@Example.com", "second@example.org"]
    assert list(contact.tags) == ["buyers", "eu"]  # tags and lists are sets: sorted
    assert list(contact.lists) == sorted([made.lists["Buyers"].name, made.lists["VIP"].name])
    assert await directory.GetContact(pb.GetContactRequest(name=contact.name), metadata=made.md()) == contact
    bare = await directory.CreateContact(create(made.name), metadata=agent)  # every field is optional
    assert not bare.emails and not bare.tags and not bare.lists
    listed = await directory.ListContacts(pb.ListContactsRequest(parent=made.name), metadata=agent)
    assert [c.name for c in listed.contacts] == [contact.name, bare.name]
    assert (await directory.GetContactList(pb.GetContactListRequest(name=made.lists["VIP"].name),
                                           metadata=agent)).contact_count == 1
    await directory.DeleteContact(pb.DeleteContactRequest(name=contact.name), metadata=agent)
    details = await failure(directory.GetContact(pb.GetContactRequest(name=contact.name), metadata=agent),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "CONTACT_NOT_FOUND"
    await failure(directory.DeleteContact(pb.DeleteContactRequest(name=contact.name), metadata=agent),
                  grpc.StatusCode.NOT_FOUND)
    assert (await directory.GetContactList(pb.GetContactListRequest(name=made.lists["VIP"].name),
                                           metadata=agent)).contact_count == 0


async def test_create_contact_errors(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", lists=["Mine"])
    other = await make_brand(server, "alice@example.com", lists=["Theirs"])
    theirs = other.lists["Theirs"].name
    spoofed = f"{made.name}/lists/{theirs.split('/')[3]}"  # another brand's list id under this brand
    cases = [
        (create(""), "parent"),
        (create("brands/x/contacts"), "parent"),
        (create(made.name, emails=["ok@example.com", "nope"]), "contact.emails[1]"),
        (create(made.name, emails=["a b@example.com"]), "contact.emails[0]"),
        (create(made.name, emails=["a@example"]), "contact.emails[0]"),
        (create(made.name, emails=["a@-x.com"]), "contact.emails[0]"),
        (create(made.name, emails=[f"a{i}@example.com" for i in range(11)]), "contact.emails"),
        (create(made.name, tags=["ok", "   "]), "contact.tags[1]"),
        (create(made.name, tags=["t" * 101]), "contact.tags[0]"),
        (create(made.name, tags=[f"t{i}" for i in range(51)]), "contact.tags"),
        (create(made.name, display_name="n" * 257), "contact.display_name"),
        (create(made.name, lists=["lists/x"]), "contact.lists[0]"),
        (create(made.name, lists=[made.lists["Mine"].name, theirs]), "contact.lists[1]"),
        (create(made.name, lists=[spoofed]), "contact.lists[0]"),
        (create(made.name, lists=[f"{made.name}/lists/00000000-0000-4000-8000-000000000000"]), "contact.lists[0]"),
    ]
    for request, field in cases:
        details = await failure(directory.CreateContact(request, metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], request
    limits = await directory.CreateContact(create(
        made.name, emails=[f"a{i}@example.com" for i in range(10)], tags=[f"t{i}" for i in range(49)] + ["t" * 100],
        display_name="n" * 256), metadata=made.md())
    assert len(limits.emails) == 10 and len(limits.tags) == 50
    assert not (await directory.ListContacts(pb.ListContactsRequest(parent=other.name), metadata=made.md())).contacts
    listed = await directory.ListContacts(pb.ListContactsRequest(parent=made.name), metadata=made.md())
    assert [c.name for c in listed.contacts] == [limits.name]  # nothing half-written by the refused ones


async def test_contacts_are_hidden_outside_their_brand(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", contacts=[{"emails": ["c@example.com"]}])
    other = await make_brand(server, "alice@example.com")
    contact = made.contacts[0]
    stranger = md(server, "mallory@example.com")
    for call in (directory.GetContact(pb.GetContactRequest(name=contact.name), metadata=stranger),
                 directory.DeleteContact(pb.DeleteContactRequest(name=contact.name), metadata=stranger),
                 directory.ListContacts(pb.ListContactsRequest(parent=made.name), metadata=stranger),
                 directory.CreateContact(create(made.name), metadata=stranger)):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    # The contact's id under another brand of the same caller: as absent as an unknown id.
    moved = f"{other.name}/contacts/{contact.name.split('/')[3]}"
    for call in (directory.GetContact(pb.GetContactRequest(name=moved), metadata=made.md()),
                 directory.DeleteContact(pb.DeleteContactRequest(name=moved), metadata=made.md())):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "CONTACT_NOT_FOUND"
    for name in ("", made.name, f"{made.name}/contacts/", f"{made.name}/lists/x", f"{made.name}/contacts/a/b"):
        details = await failure(directory.GetContact(pb.GetContactRequest(name=name), metadata=made.md()),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_list_contacts_filters_and_pages(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", lists=["L1", "L2"], contacts=[
        {"display_name": f"c{i}", "emails": [f"c{i}@example.com"],
         "tags": ["even"] if i % 2 == 0 else ["odd"], "lists": ["L1"] if i < 3 else []} for i in range(7)])
    names = [c.name for c in made.contacts]

    async def every(filter_text: str, page_size: int = 2) -> list[str]:
        seen, token = [], ""
        for _ in range(20):
            page = await directory.ListContacts(pb.ListContactsRequest(
                parent=made.name, filter=filter_text, page_size=page_size, page_token=token), metadata=made.md())
            assert len(page.contacts) <= page_size
            seen += [c.name for c in page.contacts]
            token = page.next_page_token
            if not token:
                return seen
        raise AssertionError("too many pages")

    assert await every("") == names  # the import's order
    assert await every('tag = "even"') == names[0::2]
    assert await every('tag="ODD"', page_size=1) == names[1::2]
    assert await every("tag = odd") == names[1::2]
    assert await every('tag = "none"') == []
    assert await every(f'list = "{made.lists["L1"].name}"') == names[:3]
    assert await every(f'list = "{made.lists["L2"].name}"') == []
    other = await make_brand(server, "alice@example.com", lists=["X"])
    first = await directory.ListContacts(pb.ListContactsRequest(parent=made.name, page_size=2, filter='tag = "even"'),
                                         metadata=made.md())
    bad_filters = ['tag != "x"', 'name = "x"', 'tag = "a" AND tag = "b"', 'list = "lists/x"', "tag", 'tag = ""',
                   f'list = "{other.lists["X"].name}"', 'tag : "x"', "(", 'NOT tag = "x"']
    for text in bad_filters:
        details = await failure(directory.ListContacts(pb.ListContactsRequest(parent=made.name, filter=text),
                                                       metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], text
    for request in (pb.ListContactsRequest(parent=made.name, page_token=first.next_page_token),  # filter changed
                    pb.ListContactsRequest(parent=made.name, filter='tag = "even"',
                                           page_token="x" + first.next_page_token),
                    pb.ListContactsRequest(parent=made.name, page_size=-1)):
        details = await failure(directory.ListContacts(request, metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details)[0] in ("page_token", "page_size")


async def test_import_contacts(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["agent@example.com"], lists=["L"])
    contacts = [directory_pb2.Contact(display_name=f"p{i}", emails=[f"P{i}@Example.com"], tags=["Imported"],
                                      lists=[made.lists["L"].name]) for i in range(300)]
    imported = await directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=contacts),
                                              metadata=made.md("agent@example.com"))
    assert [c.display_name for c in imported.contacts] == [f"p{i}" for i in range(300)]
    assert all(list(c.tags) == ["imported"] and list(c.lists) == [made.lists["L"].name] for c in imported.contacts)
    listed = await directory.ListContacts(pb.ListContactsRequest(parent=made.name, page_size=1000), metadata=made.md())
    assert [c.name for c in listed.contacts] == [c.name for c in imported.contacts]
    assert (await directory.GetContactList(pb.GetContactListRequest(name=made.lists["L"].name),
                                           metadata=made.md())).contact_count == 300


async def test_import_is_all_or_nothing(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", lists=["L"])
    good = directory_pb2.Contact(emails=["good@example.com"], lists=[made.lists["L"].name])
    missing_list = f"{made.name}/lists/00000000-0000-4000-8000-000000000000"
    cases = [
        ([good, good, directory_pb2.Contact(emails=["ok@example.com", "bad"])], "contacts[2].emails[1]"),
        ([good, directory_pb2.Contact(tags=[""])], "contacts[1].tags[0]"),
        ([good, directory_pb2.Contact(lists=[made.lists["L"].name, missing_list])], "contacts[1].lists[1]"),
        ([directory_pb2.Contact(display_name="x" * 300), good], "contacts[0].display_name"),
        ([], "contacts"),
        ([good] * 1001, "contacts"),
    ]
    for contacts, field in cases:
        details = await failure(directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=contacts),
                                                         metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    assert not (await directory.ListContacts(pb.ListContactsRequest(parent=made.name), metadata=made.md())).contacts
    assert (await directory.GetContactList(pb.GetContactListRequest(name=made.lists["L"].name),
                                           metadata=made.md())).contact_count == 0
    details = await failure(directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=[good]),
                                                     metadata=md(server, "mallory@example.com")),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    full = await directory.ImportContacts(pb.ImportContactsRequest(parent=made.name, contacts=[good] * 1000),
                                          metadata=made.md())
    assert len(full.contacts) == 1000 and len({c.name for c in full.contacts}) == 1000


async def test_list_statements_do_not_grow_with_the_page(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", lists=["L"], contacts=[
        {"emails": [f"c{i}@example.com"], "tags": ["a", "b"], "lists": ["L"]} for i in range(40)])
    counted: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement_of_a_call():
            counted.append(statement)

    engine = server.running.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        per_size = {}
        for size in (2, 40):
            for request in (pb.ListContactsRequest(parent=made.name, page_size=size),
                            pb.ListContactListsRequest(parent=made.name, page_size=size)):
                counted.clear()
                if isinstance(request, pb.ListContactsRequest):
                    await directory.ListContacts(request, metadata=made.md())
                else:
                    await directory.ListContactLists(request, metadata=made.md())
                per_size[(type(request).__name__, size)] = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert per_size[("ListContactsRequest", 2)] == per_size[("ListContactsRequest", 40)]
    assert per_size[("ListContactListsRequest", 2)] == per_size[("ListContactListsRequest", 40)]
