"""CreateBrand, GetBrand, ListBrands, DeleteBrand: the creator is the first admin; only members see a brand."""
from __future__ import annotations

import grpc
from sqlalchemy import insert

from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as pb
from chatsvc.storage.tables_campaigns import email_campaigns
from tests.directory.support import ADMIN, make_brand, md, stub
from tests.helpers import failure, field_of


async def test_brand_lifecycle(server):
    directory = stub(server)
    alice = md(server, "alice@example.com")
    brand = await directory.CreateBrand(pb.CreateBrandRequest(brand=directory_pb2.Brand(
        display_name="  Acme Inc  ", name="brands/ignored")), metadata=alice)
    assert brand.name.startswith("brands/") and len(brand.name.split("/")[1]) == 36
    assert brand.display_name == "Acme Inc" and brand.create_time.seconds > 0
    assert await directory.GetBrand(pb.GetBrandRequest(name=brand.name), metadata=alice) == brand
    members = await directory.ListMembers(pb.ListMembersRequest(parent=brand.name), metadata=alice)
    assert [(m.email, m.role, m.display_name) for m in members.members] == [("alice@example.com", ADMIN, "alice")]
    await directory.DeleteBrand(pb.DeleteBrandRequest(name=brand.name), metadata=alice)
    details = await failure(directory.GetBrand(pb.GetBrandRequest(name=brand.name), metadata=alice),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    assert not (await directory.ListBrands(pb.ListBrandsRequest(), metadata=alice)).brands


async def test_create_brand_checks_display_name(server):
    directory = stub(server)
    alice = md(server, "alice@example.com")
    for brand in (None, directory_pb2.Brand(), directory_pb2.Brand(display_name="   "),
                  directory_pb2.Brand(display_name="x" * 257)):
        details = await failure(directory.CreateBrand(pb.CreateBrandRequest(brand=brand), metadata=alice),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["brand.display_name"]
    made = await directory.CreateBrand(pb.CreateBrandRequest(brand=directory_pb2.Brand(display_name="x" * 256)),
                                       metadata=alice)
    assert len(made.display_name) == 256


async def test_list_brands_pages_oldest_first_and_only_the_callers(server):
    directory = stub(server)
    alice = md(server, "alice@example.com")
    made = [await make_brand(server, "alice@example.com", display_name=f"B{i}") for i in range(5)]
    await make_brand(server, "bob@example.com", display_name="Bob's")
    joined = await make_brand(server, "carol@example.com", members=["alice@example.com"], display_name="Carol's")
    seen, token = [], ""
    for _ in range(10):
        page = await directory.ListBrands(pb.ListBrandsRequest(page_size=2, page_token=token), metadata=alice)
        assert len(page.brands) <= 2
        seen += [b.name for b in page.brands]
        token = page.next_page_token
        if not token:
            break
    assert seen == [m.name for m in made] + [joined.name]
    everything = await directory.ListBrands(pb.ListBrandsRequest(page_size=5000), metadata=alice)
    assert [b.name for b in everything.brands] == seen
    first = await directory.ListBrands(pb.ListBrandsRequest(page_size=2), metadata=alice)
    bob = md(server, "bob@example.com")
    for request, caller in [(pb.ListBrandsRequest(page_size=-1), alice),
                            (pb.ListBrandsRequest(page_token=first.next_page_token + "x"), alice),
                            (pb.ListBrandsRequest(page_token="garbage"), alice),
                            (pb.ListBrandsRequest(page_token=first.next_page_token), bob)]:  # another caller's
        details = await failure(directory.ListBrands(request, metadata=caller), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details)[0] in ("page_size", "page_token")


async def test_non_members_learn_nothing(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com")
    absent = "brands/00000000-0000-4000-8000-000000000000"
    stranger = md(server, "mallory@example.com")
    hidden = await failure(directory.GetBrand(pb.GetBrandRequest(name=made.name), metadata=stranger),
                           grpc.StatusCode.NOT_FOUND)
    missing = await failure(directory.GetBrand(pb.GetBrandRequest(name=absent), metadata=stranger),
                            grpc.StatusCode.NOT_FOUND)
    assert hidden["ErrorInfo"].reason == missing["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    with_id = await failure(directory.DeleteBrand(pb.DeleteBrandRequest(name=made.name), metadata=stranger),
                            grpc.StatusCode.NOT_FOUND)
    assert with_id["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    await directory.GetBrand(pb.GetBrandRequest(name=made.name), metadata=made.md())  # still there


async def test_malformed_brand_names(server):
    directory = stub(server)
    alice = md(server, "alice@example.com")
    for name in ("", "brands", "brands/", "brand/abc", "brands/a/b", "brands/" + "a" * 37, "brands/a b"):
        for call in (directory.GetBrand(pb.GetBrandRequest(name=name), metadata=alice),
                     directory.DeleteBrand(pb.DeleteBrandRequest(name=name), metadata=alice)):
            details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
            assert field_of(details) == ["name"], name


async def test_only_admins_delete_and_campaigns_keep_a_brand(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["agent@example.com"], lists=["L"],
                            contacts=[{"emails": ["c@example.com"], "tags": ["t"], "lists": ["L"]}])
    details = await failure(directory.DeleteBrand(pb.DeleteBrandRequest(name=made.name),
                                                  metadata=made.md("agent@example.com")),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "BRAND_ADMIN_REQUIRED"
    async with server.running.db.engine.begin() as conn:  # a campaign of the brand, as the campaign service stores it
        alice_id = made.user_ids["alice@example.com"]
        await conn.execute(insert(email_campaigns).values(
            id="c1", public_id="c1", brand_id=made.id, creator_id=alice_id, sender_id=alice_id, state=1, due_time_us=1,
            subject="s", create_time_us=1, update_time_us=1))
    details = await failure(directory.DeleteBrand(pb.DeleteBrandRequest(name=made.name), metadata=made.md()),
                            grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "BRAND_HAS_CAMPAIGNS"
    assert (await directory.GetContact(pb.GetContactRequest(name=made.contacts[0].name), metadata=made.md())).emails
    async with server.running.db.engine.begin() as conn:
        await conn.execute(email_campaigns.delete())
    await directory.DeleteBrand(pb.DeleteBrandRequest(name=made.name), metadata=made.md())
    # Everything in it went with it: recreating nothing, reading anything is NOT_FOUND.
    for call in (directory.GetContact(pb.GetContactRequest(name=made.contacts[0].name), metadata=made.md()),
                 directory.GetContactList(pb.GetContactListRequest(name=made.lists["L"].name), metadata=made.md())):
        await failure(call, grpc.StatusCode.NOT_FOUND)
