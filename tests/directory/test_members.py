"""CreateMember, GetMember, ListMembers, DeleteMember: admins manage members; the last admin stays."""
from __future__ import annotations

import grpc

from chatsvc.directory.v1 import directory_pb2
from chatsvc.directory.v1 import directory_service_pb2 as pb
from tests.directory.support import ADMIN, AGENT, make_brand, md, stub
from tests.helpers import failure, field_of


def add(parent: str, user: str, **fields) -> pb.CreateMemberRequest:
    return pb.CreateMemberRequest(parent=parent, member=directory_pb2.Member(user=user, **fields))


async def test_member_lifecycle(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com")
    member = await directory.CreateMember(add(made.name, "users/Bob@Example.com", display_name=" Bobby ",
                                              email_signature="<b>Bob</b>"), metadata=made.md())
    bob_id = member.user.split("/")[1]
    assert member.name == f"{made.name}/members/{bob_id}"
    assert (member.email, member.display_name, member.role, member.email_signature) == (
        "bob@example.com", "Bobby", AGENT, "<b>Bob</b>")
    # By id, with the default display name (the user's) and an explicit role.
    carol = await directory.CreateMember(add(made.name, "users/carol@example.com"), metadata=made.md())
    await directory.DeleteMember(pb.DeleteMemberRequest(name=carol.name), metadata=made.md())
    again = await directory.CreateMember(add(made.name, carol.user, role=ADMIN), metadata=made.md())
    assert (again.user, again.display_name, again.role) == (carol.user, "carol", ADMIN)
    assert await directory.GetMember(pb.GetMemberRequest(name=member.name), metadata=made.md("bob@example.com")) \
        == member
    mine = await directory.GetMember(pb.GetMemberRequest(name=f"{made.name}/members/me"),
                                     metadata=made.md("bob@example.com"))
    assert mine == member
    listed = await directory.ListMembers(pb.ListMembersRequest(parent=made.name), metadata=made.md("bob@example.com"))
    assert [m.email for m in listed.members] == ["alice@example.com", "bob@example.com", "carol@example.com"]
    await directory.DeleteMember(pb.DeleteMemberRequest(name=member.name), metadata=made.md())
    details = await failure(directory.GetMember(pb.GetMemberRequest(name=member.name), metadata=made.md()),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MEMBER_NOT_FOUND"
    # Bob, no longer a member, sees no brand at all.
    details = await failure(directory.GetBrand(pb.GetBrandRequest(name=made.name), metadata=made.md("bob@example.com")),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"


async def test_create_member_errors(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["bob@example.com"])
    cases = [
        (add("", "users/x@example.com"), "parent"),
        (add("brands/a/b", "users/x@example.com"), "parent"),
        (add(made.name, ""), "member.user"),
        (add(made.name, "people/x@example.com"), "member.user"),
        (add(made.name, "users/not-an-email@"), "member.user"),
        (add(made.name, "users/x@example.com", role=7), "member.role"),
        (add(made.name, "users/x@example.com", display_name="n" * 257), "member.display_name"),
        (add(made.name, "users/x@example.com", email_signature="s" * 10_001), "member.email_signature"),
    ]
    for request, field in cases:
        details = await failure(directory.CreateMember(request, metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], request
    details = await failure(directory.CreateMember(add(made.name, "users/123456789012345678901"), metadata=made.md()),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "USER_NOT_FOUND"
    for user in ("users/bob@example.com", "users/BOB@example.com", made.members["bob@example.com"].user, "users/me"):
        details = await failure(directory.CreateMember(add(made.name, user), metadata=made.md()),
                                grpc.StatusCode.ALREADY_EXISTS)
        assert details["ErrorInfo"].reason == "MEMBER_ALREADY_EXISTS"
    # Agents may not add members; strangers do not even see the brand.
    details = await failure(directory.CreateMember(add(made.name, "users/x@example.com"),
                                                   metadata=made.md("bob@example.com")),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "BRAND_ADMIN_REQUIRED"
    details = await failure(directory.CreateMember(add(made.name, "users/x@example.com"),
                                                   metadata=md(server, "mallory@example.com")),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    signature = await directory.CreateMember(add(made.name, "users/x@example.com", email_signature="s" * 10_000),
                                             metadata=made.md())
    assert len(signature.email_signature) == 10_000


async def test_delete_member_rules(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["bob@example.com", "carol@example.com"])
    alice, bob, carol = (made.members[f"{n}@example.com"] for n in ("alice", "bob", "carol"))
    # An agent may not remove someone else, but may leave.
    details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=carol.name),
                                                   metadata=made.md("bob@example.com")),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "BRAND_ADMIN_REQUIRED"
    await directory.DeleteMember(pb.DeleteMemberRequest(name=f"{made.name}/members/me"),
                                 metadata=made.md("bob@example.com"))
    # The last admin can neither leave nor be removed.
    for name in (alice.name, f"{made.name}/members/me"):
        details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=name), metadata=made.md()),
                                grpc.StatusCode.FAILED_PRECONDITION)
        assert details["ErrorInfo"].reason == "LAST_BRAND_ADMIN"
    # With a second admin, either may go, and the one left stays.
    await directory.CreateMember(add(made.name, "users/dave@example.com", role=ADMIN), metadata=made.md())
    await directory.DeleteMember(pb.DeleteMemberRequest(name=alice.name), metadata=made.md("dave@example.com"))
    dave = md(server, "dave@example.com")
    details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=f"{made.name}/members/me"),
                                                   metadata=dave), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "LAST_BRAND_ADMIN"
    details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=bob.name), metadata=dave),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MEMBER_NOT_FOUND"
    # Alice is gone: to her the brand no longer exists.
    details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=carol.name), metadata=made.md()),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"
    for name in ("", made.name, f"{made.name}/members/a@b.c", f"{made.name}/contacts/x"):
        details = await failure(directory.DeleteMember(pb.DeleteMemberRequest(name=name), metadata=dave),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_members_of_a_brand_are_hidden_from_strangers(server):
    directory = stub(server)
    made = await make_brand(server, "alice@example.com", members=["bob@example.com"])
    bob = made.members["bob@example.com"]
    stranger = md(server, "mallory@example.com")
    for call in (directory.GetMember(pb.GetMemberRequest(name=bob.name), metadata=stranger),
                 directory.GetMember(pb.GetMemberRequest(name=f"{made.name}/members/12345"), metadata=stranger),
                 directory.ListMembers(pb.ListMembersRequest(parent=made.name), metadata=stranger),
                 directory.DeleteMember(pb.DeleteMemberRequest(name=bob.name), metadata=stranger)):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "BRAND_NOT_FOUND"


async def test_list_members_pages(server):
    directory = stub(server)
    emails = [f"agent{i}@example.com" for i in range(5)]
    made = await make_brand(server, "alice@example.com", members=emails)
    seen, token = [], ""
    for _ in range(10):
        page = await directory.ListMembers(pb.ListMembersRequest(parent=made.name, page_size=2, page_token=token),
                                           metadata=made.md())
        seen += [m.email for m in page.members]
        token = page.next_page_token
        if not token:
            break
    assert seen == ["alice@example.com", *emails]
    first = await directory.ListMembers(pb.ListMembersRequest(parent=made.name, page_size=2), metadata=made.md())
    other = await make_brand(server, "alice@example.com")
    for request in (pb.ListMembersRequest(parent=other.name, page_token=first.next_page_token),
                    pb.ListMembersRequest(parent=made.name, page_size=-3),
                    pb.ListMembersRequest(parent="brands")):
        details = await failure(directory.ListMembers(request, metadata=made.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details)[0] in ("page_token", "page_size", "parent")
