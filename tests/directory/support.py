"""Helpers to set up brands over gRPC, shared with the campaign tests.

    made = await make_brand(harness, "admin@example.com", members=["agent@example.com"],
                            lists=["Buyers"], contacts=[{"emails": ["c@x.com"], "tags": ["vip"], "lists": ["Buyers"]}])
    made.name, made.id, made.md("agent@example.com"), made.user_ids["agent@example.com"], made.lists["Buyers"].name
"""
from __future__ import annotations

from dataclasses import dataclass, field

from chatsvc.directory.v1 import directory_pb2, directory_service_pb2, directory_service_pb2_grpc

DIRECTORY = ("chatsvc.directory",)
READONLY = ("https://www.googleapis.com/auth/chatsvc.directory.readonly",)
AGENT, ADMIN = directory_pb2.Member.ROLE_AGENT, directory_pb2.Member.ROLE_ADMIN


def stub(harness) -> directory_service_pb2_grpc.DirectoryServiceStub:
    return directory_service_pb2_grpc.DirectoryServiceStub(harness.channel)


def md(harness, email: str, scopes=DIRECTORY) -> tuple:
    return harness.md(user=email, scopes=scopes)


@dataclass
class MadeBrand:
    harness: object
    name: str  # brands/{id}
    id: str
    admin_email: str
    members: dict[str, directory_pb2.Member] = field(default_factory=dict)  # by email, the admin included
    lists: dict[str, directory_pb2.ContactList] = field(default_factory=dict)  # by display name
    contacts: list[directory_pb2.Contact] = field(default_factory=list)  # in the order given

    @property
    def user_ids(self) -> dict[str, str]:
        return {email: member.user.split("/")[1] for email, member in self.members.items()}

    def md(self, email: str | None = None, scopes=DIRECTORY) -> tuple:
        return md(self.harness, email or self.admin_email, scopes)


async def make_brand(harness, admin_email: str, members=(), contacts=(), lists=(),
                     display_name: str = "Acme") -> MadeBrand:
    """A brand made by `admin_email`, then its `members` (emails, or dicts of Member fields with `email`),
    `lists` (display names) and `contacts` (dicts of Contact fields or Contact protos; a `lists` entry may be
    a display name from `lists`), all over gRPC."""
    directory = stub(harness)
    admin = md(harness, admin_email)
    brand = await directory.CreateBrand(directory_service_pb2.CreateBrandRequest(
        brand=directory_pb2.Brand(display_name=display_name)), metadata=admin)
    made = MadeBrand(harness, brand.name, brand.name.split("/")[1], admin_email)
    listed = await directory.ListMembers(directory_service_pb2.ListMembersRequest(parent=brand.name), metadata=admin)
    made.members[admin_email] = listed.members[0]
    for member in members:
        fields = {"email": member} if isinstance(member, str) else dict(member)
        email = fields.pop("email")
        made.members[email] = await directory.CreateMember(directory_service_pb2.CreateMemberRequest(
            parent=brand.name, member=directory_pb2.Member(user=f"users/{email}", **fields)), metadata=admin)
    for list_name in lists:
        made.lists[list_name] = await directory.CreateContactList(directory_service_pb2.CreateContactListRequest(
            parent=brand.name, contact_list=directory_pb2.ContactList(display_name=list_name)), metadata=admin)
    if contacts:
        protos = []
        for contact in contacts:
            if not isinstance(contact, directory_pb2.Contact):
                fields = dict(contact)
                fields["lists"] = [made.lists[n].name if n in made.lists else n for n in fields.get("lists", ())]
                contact = directory_pb2.Contact(**fields)
            protos.append(contact)
        imported = await directory.ImportContacts(directory_service_pb2.ImportContactsRequest(
            parent=brand.name, contacts=protos), metadata=admin)
        made.contacts = list(imported.contacts)
    return made
