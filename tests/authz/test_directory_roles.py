"""The authorization matrix of chatsvc.directory.v1.DirectoryService: for every RPC, a brand's admin, a plain
member (agent), a user outside the brand and an app each get exactly the designed outcome (README "Email
campaigns and the directory", domain/brand_access.py): members see and add to everything in the brand, only
admins add, remove or delete, any member may leave, to outsiders the brand does not exist (and a hidden
brand answers exactly as a missing one), apps are refused by the auth layer.

One server per backend for the module; every call is a valid request on real resources; removals get fresh
resources. One test per RPC (and backend) lists all its wrong cases.
"""
from __future__ import annotations

import uuid

import pytest

from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as pb
from tests.authz.owners_support import (
    APP_REFUSED,
    DENIED,
    HIDDEN_BRAND,
    OK,
    Attempt,
    Ok,
    Refused,
    check_designed_outcomes,
)
from tests.authz.rest_leg import rest_rpcs
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.directory.support import make_brand, stub

SERVICE = pb.DESCRIPTOR.services_by_name["DirectoryService"]
ADMIN, AGENT, SELF, OUTSIDER, APP = "brand admin", "agent", "agent leaving", "outsider", "app"
ADMIN_EMAIL, AGENT_EMAIL, OUTSIDER_EMAIL = "dir-admin@authz.example", "dir-agent@authz.example", \
    "dir-outsider@authz.example"
ADMIN_ONLY = Refused(DENIED, "BRAND_ADMIN_REQUIRED")


def _members_only(rows_field: str):
    """An outcome for list calls: OK, and what is listed belongs to the brand (never empty: it has some)."""
    return Ok(check=lambda response: len(getattr(response, rows_field)) > 0, label=f"OK with {rows_field}")


EVERY_MEMBER = {ADMIN: OK, AGENT: OK, OUTSIDER: HIDDEN_BRAND, APP: APP_REFUSED}
ADMINS = {ADMIN: OK, AGENT: ADMIN_ONLY, OUTSIDER: HIDDEN_BRAND, APP: APP_REFUSED}

# RPC -> caller -> outcome.
MATRIX: dict[str, dict[str, object]] = {
    "CreateBrand": {ADMIN: OK, AGENT: OK, OUTSIDER: OK, APP: APP_REFUSED},  # anyone starts a brand of their own
    "GetBrand": EVERY_MEMBER,
    # Everyone may list; an outsider's list lacks the brand (checked in the builder's response check).
    "ListBrands": {ADMIN: OK, AGENT: OK, OUTSIDER: OK, APP: APP_REFUSED},
    "DeleteBrand": ADMINS,
    "CreateMember": ADMINS,
    "GetMember": EVERY_MEMBER,
    "ListMembers": {ADMIN: _members_only("members"), AGENT: _members_only("members"), OUTSIDER: HIDDEN_BRAND,
                    APP: APP_REFUSED},
    "DeleteMember": {ADMIN: OK, AGENT: ADMIN_ONLY, SELF: OK, OUTSIDER: HIDDEN_BRAND, APP: APP_REFUSED},
    "CreateContact": EVERY_MEMBER,
    "GetContact": EVERY_MEMBER,
    "ListContacts": {ADMIN: _members_only("contacts"), AGENT: _members_only("contacts"), OUTSIDER: HIDDEN_BRAND,
                     APP: APP_REFUSED},
    "DeleteContact": EVERY_MEMBER,
    "ImportContacts": EVERY_MEMBER,
    "CreateContactList": EVERY_MEMBER,
    "GetContactList": EVERY_MEMBER,
    "ListContactLists": {ADMIN: _members_only("contact_lists"), AGENT: _members_only("contact_lists"),
                         OUTSIDER: HIDDEN_BRAND, APP: APP_REFUSED},
    "DeleteContactList": EVERY_MEMBER,
}


class World:
    """One brand (admin, agent, a contact on a list) on one server, and the callers' metadata."""

    def __init__(self, harness, brand):
        self.harness, self.brand = harness, brand
        self.stub = stub(harness)

    def md(self, caller: str) -> tuple:
        if caller == APP:
            return self.harness.md(app="authz-directory-app", scopes=("chatsvc.directory",))
        email = {ADMIN: ADMIN_EMAIL, AGENT: AGENT_EMAIL, OUTSIDER: OUTSIDER_EMAIL}[caller]
        return self.harness.md(user=email, scopes=("chatsvc.directory",))

    def on_brand(self, request, caller: str, brand_id: str | None = None) -> Attempt:
        return Attempt(request, self.md(caller), hidden=brand_id or self.brand.id)

    async def fresh_brand(self):
        return await make_brand(self.harness, ADMIN_EMAIL, members=[AGENT_EMAIL], display_name="Fresh")

    async def fresh_agent(self) -> tuple[str, str]:
        """A new agent of the shared brand: (member name, email)."""
        email = f"dir-{uuid.uuid4().hex[:10]}@authz.example"
        member = await self.stub.CreateMember(pb.CreateMemberRequest(
            parent=self.brand.name, member=directory_pb2.Member(user=f"users/{email}")), metadata=self.md(ADMIN))
        return member.name, email

    async def fresh_contact(self) -> str:
        return (await self.stub.CreateContact(pb.CreateContactRequest(parent=self.brand.name, contact=_contact()),
                                              metadata=self.md(ADMIN))).name

    async def fresh_list(self) -> str:
        return (await self.stub.CreateContactList(pb.CreateContactListRequest(
            parent=self.brand.name, contact_list=directory_pb2.ContactList(display_name="Fresh")),
            metadata=self.md(ADMIN))).name


def _contact() -> directory_pb2.Contact:
    return directory_pb2.Contact(display_name="Cleo", emails=[f"c-{uuid.uuid4().hex[:8]}@example.net"],
                                 tags=["vip"])


async def _delete_member(world: World, caller: str) -> Attempt:
    name, email = await world.fresh_agent()
    if caller == SELF:
        return Attempt(pb.DeleteMemberRequest(name=name), world.harness.md(user=email, scopes=("chatsvc.directory",)))
    return world.on_brand(pb.DeleteMemberRequest(name=name), caller)


async def _delete_brand(world: World, caller: str) -> Attempt:
    fresh = await world.fresh_brand()
    return world.on_brand(pb.DeleteBrandRequest(name=fresh.name), caller, fresh.id)


def _builders(world: World) -> dict:
    """RPC -> async (caller) -> Attempt: a valid call of the RPC by the caller on the world's resources."""
    brand, on = world.brand, world.on_brand
    return {
        "CreateBrand": lambda c: _done(Attempt(pb.CreateBrandRequest(brand=directory_pb2.Brand(display_name="New")),
                                               world.md(c))),
        "GetBrand": lambda c: _done(on(pb.GetBrandRequest(name=brand.name), c)),
        "ListBrands": lambda c: _done(Attempt(pb.ListBrandsRequest(page_size=1000), world.md(c))),
        "DeleteBrand": lambda c: _delete_brand(world, c),
        "CreateMember": lambda c: _done(on(pb.CreateMemberRequest(parent=brand.name, member=directory_pb2.Member(
            user=f"users/new-{uuid.uuid4().hex[:10]}@authz.example")), c)),
        "GetMember": lambda c: _done(on(pb.GetMemberRequest(name=brand.members[ADMIN_EMAIL].name), c)),
        "ListMembers": lambda c: _done(on(pb.ListMembersRequest(parent=brand.name), c)),
        "DeleteMember": lambda c: _delete_member(world, c),
        "CreateContact": lambda c: _done(on(pb.CreateContactRequest(parent=brand.name, contact=_contact()), c)),
        "GetContact": lambda c: _done(on(pb.GetContactRequest(name=brand.contacts[0].name), c)),
        "ListContacts": lambda c: _done(on(pb.ListContactsRequest(parent=brand.name), c)),
        "DeleteContact": lambda c: _fresh(world.fresh_contact, lambda name: on(pb.DeleteContactRequest(name=name), c)),
        "ImportContacts": lambda c: _done(on(pb.ImportContactsRequest(parent=brand.name,
                                                                      contacts=[_contact(), _contact()]), c)),
        "CreateContactList": lambda c: _done(on(pb.CreateContactListRequest(
            parent=brand.name, contact_list=directory_pb2.ContactList(display_name="More")), c)),
        "GetContactList": lambda c: _done(on(pb.GetContactListRequest(name=brand.lists["Buyers"].name), c)),
        "ListContactLists": lambda c: _done(on(pb.ListContactListsRequest(parent=brand.name), c)),
        "DeleteContactList": lambda c: _fresh(world.fresh_list,
                                              lambda name: on(pb.DeleteContactListRequest(name=name), c)),
    }


async def _done(attempt: Attempt) -> Attempt:
    return attempt


async def _fresh(make, build) -> Attempt:
    return build(await make())


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("authz-directory")) as url,
                serving(url, scheduler_enabled=False) as harness):
        brand = await make_brand(harness, ADMIN_EMAIL, members=[AGENT_EMAIL], lists=["Buyers"],
                                 contacts=[{"display_name": "Bo", "emails": ["bo@example.net"], "lists": ["Buyers"]}])
        yield World(harness, brand)


@pytest.mark.parametrize("rpc", [m.name for m in SERVICE.methods])
async def test_each_caller_gets_the_designed_outcome(world, rpc):
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world))


async def test_an_outsider_lists_brands_without_the_hidden_one(world):
    listed = await world.stub.ListBrands(pb.ListBrandsRequest(page_size=1000), metadata=world.md(OUTSIDER))
    assert world.brand.name not in {b.name for b in listed.brands}
    listed = await world.stub.ListBrands(pb.ListBrandsRequest(page_size=1000), metadata=world.md(AGENT))
    assert world.brand.name in {b.name for b in listed.brands}


@pytest.mark.parametrize("rpc", rest_rpcs(SERVICE))
async def test_each_caller_gets_the_designed_outcome_over_rest(world, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world), rest=(world.harness, SERVICE.full_name))
