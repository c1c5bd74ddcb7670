"""Sections over gRPC: the system sections every user has, custom sections' lifecycle, positions, page sizes
and tokens, and the rule that only the calling user reaches their sections."""
from __future__ import annotations

import asyncio

import grpc
import pytest
from google.chat.v1 import section_pb2
from google.protobuf import field_mask_pb2

from chatsvc.domain.section_models import Section as StoredSection
from chatsvc.domain.section_models import SectionType
from chatsvc.domain.sections import MAX_CUSTOM_SECTIONS
from tests.helpers import failure, field_of

Section = section_pb2.Section
CUSTOM, DMS, SPACES, APPS = (Section.SectionType.CUSTOM_SECTION, Section.SectionType.DEFAULT_DIRECT_MESSAGES,
                             Section.SectionType.DEFAULT_SPACES, Section.SectionType.DEFAULT_APPS)
Position = section_pb2.PositionSectionRequest.Position
SCOPES = ("chat.users.sections", "chat.spaces", "chat.memberships", "chat.messages", "chat.delete")


def caller(server, email="alice@example.com"):
    return server.md(user=email, scopes=SCOPES)


def create(server, md, display_name="Projects", parent="users/me", **fields):
    fields.setdefault("type", CUSTOM)
    return server.chat.CreateSection(section_pb2.CreateSectionRequest(
        parent=parent, section=Section(display_name=display_name, **fields)), metadata=md)


def rename(server, md, name, display_name, *paths, **fields):
    return server.chat.UpdateSection(section_pb2.UpdateSectionRequest(
        section=Section(name=name, display_name=display_name, **fields),
        update_mask=field_mask_pb2.FieldMask(paths=list(paths or ["display_name"]))), metadata=md)


def position(server, md, name, **how):
    return server.chat.PositionSection(section_pb2.PositionSectionRequest(name=name, **how), metadata=md)


def delete(server, md, name):
    return server.chat.DeleteSection(section_pb2.DeleteSectionRequest(name=name), metadata=md)


def list_page(server, md, parent="users/me", **request):
    return server.chat.ListSections(section_pb2.ListSectionsRequest(parent=parent, **request), metadata=md)


async def listed(server, md, parent="users/me") -> list[tuple[str, int]]:
    """(section id, sort order) of every section, in list order, following page tokens."""
    found, token = [], ""
    while True:
        page = await list_page(server, md, parent, page_size=2, page_token=token)
        found += [(s.name.split("/")[-1], s.sort_order) for s in page.sections]
        token = page.next_page_token
        if not token:
            return found


def user_part(name: str) -> str:
    return name.split("/sections/")[0]


async def test_every_user_starts_with_the_three_system_sections(server):
    alice = caller(server)
    page = await list_page(server, alice)
    assert [(s.name.split("/")[-1], s.type, s.sort_order, s.display_name) for s in page.sections] == [
        ("default-direct-messages", DMS, 1, ""), ("default-spaces", SPACES, 2, ""), ("default-apps", APPS, 3, "")]
    assert not page.next_page_token
    # Canonical names: users/{id}, whichever alias the request used.
    assert all(s.name.startswith("users/") and "@" not in s.name and "/me/" not in s.name for s in page.sections)
    by_email = await list_page(server, alice, "users/alice@example.com")
    user_name = user_part(page.sections[0].name)
    by_id = await list_page(server, alice, user_name)
    assert by_email == page == by_id
    # Paging through the implied sections works like paging through stored ones.
    assert await listed(server, alice) == [("default-direct-messages", 1), ("default-spaces", 2), ("default-apps", 3)]


async def test_custom_section_lifecycle(server):
    alice = caller(server)
    projects = await create(server, alice, "Projects", name="users/me/sections/ignored", sort_order=42)
    assert projects.type == CUSTOM and projects.display_name == "Projects"
    assert projects.sort_order == 4  # appended after the system sections; `sort_order` is output only
    section_id = projects.name.split("/")[-1]
    assert projects.name.startswith("users/") and section_id not in ("ignored", "me")
    people = await create(server, alice, "People")
    assert people.sort_order == 5

    renamed = await rename(server, alice, projects.name, "Current projects")
    assert renamed.name == projects.name and renamed.display_name == "Current projects" and renamed.sort_order == 4
    # `*` means the one updatable field; the name may use the users/me alias.
    alias = f"users/me/sections/{section_id}"
    assert (await rename(server, alice, alias, "Projects", "*")).display_name == "Projects"

    page = await list_page(server, alice)
    assert [(s.display_name, s.sort_order) for s in page.sections][3:] == [("Projects", 4), ("People", 5)]

    await delete(server, alice, projects.name)
    # The remaining sections close the gap.
    assert await listed(server, alice) == [("default-direct-messages", 1), ("default-spaces", 2),
                                           ("default-apps", 3), (people.name.split("/")[-1], 4)]
    await failure(delete(server, alice, projects.name), grpc.StatusCode.NOT_FOUND)
    await failure(rename(server, alice, projects.name, "Back"), grpc.StatusCode.NOT_FOUND)


async def test_position_section_by_sort_order_and_relative_position(server):
    alice = caller(server)
    a = (await create(server, alice, "A")).name
    b = (await create(server, alice, "B")).name
    labels = {a.split("/")[-1]: "A", b.split("/")[-1]: "B", "default-direct-messages": "dms",
              "default-spaces": "spaces", "default-apps": "apps"}

    async def order():
        return [labels[section_id] for section_id, _ in await listed(server, alice)]

    assert await order() == ["dms", "spaces", "apps", "A", "B"]
    moved = await position(server, alice, b, relative_position=Position.START)
    assert moved.section.name == b and moved.section.sort_order == 1 and moved.section.display_name == "B"
    assert await order() == ["B", "dms", "spaces", "apps", "A"]
    # Inserted at position 3: the section there and those after it move down one.
    assert (await position(server, alice, a, sort_order=3)).section.sort_order == 3
    assert await order() == ["B", "dms", "A", "spaces", "apps"]
    # Past the end: appended.
    assert (await position(server, alice, b, sort_order=99)).section.sort_order == 5
    assert await order() == ["dms", "A", "spaces", "apps", "B"]
    # System sections can be positioned too.
    spaces = f"{user_part(moved.section.name)}/sections/default-spaces"
    assert (await position(server, alice, spaces, relative_position=Position.START)).section.sort_order == 1
    assert await order() == ["spaces", "dms", "A", "apps", "B"]
    assert (await position(server, alice, "users/me/sections/default-spaces",
                            relative_position=Position.END)).section.sort_order == 5
    assert await order() == ["dms", "A", "apps", "B", "spaces"]
    # Where it already is: nothing changes.
    assert (await position(server, alice, a, sort_order=2)).section.sort_order == 2
    assert await order() == ["dms", "A", "apps", "B", "spaces"]
    # The orders stay dense.
    assert [o for _, o in await listed(server, alice)] == [1, 2, 3, 4, 5]


async def test_a_user_who_only_positions_a_system_section_keeps_all_three(server):
    alice = caller(server)
    moved = await position(server, alice, "users/me/sections/default-apps", sort_order=1)
    assert moved.section.type == APPS and moved.section.sort_order == 1
    assert await listed(server, alice) == [("default-apps", 1), ("default-direct-messages", 2),
                                           ("default-spaces", 3)]


async def test_concurrent_changes_keep_sort_orders_dense(server):
    alice = caller(server)
    created = await asyncio.gather(*(create(server, alice, f"C{n}") for n in range(8)))
    assert sorted(s.sort_order for s in created) == list(range(4, 12))
    await asyncio.gather(*(position(server, alice, s.name, relative_position=Position.START) for s in created[:3]),
                         *(position(server, alice, s.name, sort_order=2) for s in created[3:5]),
                         *(delete(server, alice, s.name) for s in created[5:7]))
    assert [order for _, order in await listed(server, alice)] == list(range(1, 10))


async def test_create_section_errors(server):
    alice = caller(server)
    for fields, field in ((dict(display_name=""), "section.display_name"),
                          (dict(display_name="   "), "section.display_name"),
                          (dict(display_name="x" * 81), "section.display_name"),
                          (dict(type=Section.SectionType.SECTION_TYPE_UNSPECIFIED), "section.type"),
                          (dict(type=SPACES), "section.type"),
                          (dict(type=17), "section.type"),
                          (dict(parent="spaces/AAAA"), "parent"),
                          (dict(parent="users/me/sections"), "parent")):
        request = dict(display_name="Fine") | fields
        details = await failure(create(server, alice, **request), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], fields
    assert (await create(server, alice, "x" * 80)).display_name == "x" * 80
    assert (await create(server, alice, "Emoji 🎉" * 10)).display_name == "Emoji 🎉" * 10  # 80 characters
    # The caller's own email and id are the caller too; anyone else is refused.
    mine = await create(server, alice, "By email", parent="users/ALICE@example.com")
    assert (await create(server, alice, "By id", parent=user_part(mine.name))).sort_order == 7
    for other in ("users/bob@example.com", "users/123456789", "users/app"):
        details = await failure(create(server, alice, parent=other), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "NOT_CALLING_USER"


async def test_update_section_errors(server):
    alice = caller(server)
    section = await create(server, alice, "Mine")
    details = await failure(rename(server, alice, section.name, "New", "sort_order"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]
    details = await failure(server.chat.UpdateSection(section_pb2.UpdateSectionRequest(
        section=Section(name=section.name, display_name="New")), metadata=alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["update_mask"]
    for display_name in ("", "y" * 81):
        details = await failure(rename(server, alice, section.name, display_name), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["section.display_name"]
    details = await failure(rename(server, alice, section.name, "New", type=SPACES), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["section.type"]
    assert (await rename(server, alice, section.name, "Same type", type=CUSTOM)).display_name == "Same type"
    for system in ("default-spaces", "default-direct-messages", "default-apps"):
        details = await failure(rename(server, alice, f"users/me/sections/{system}", "Renamed"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["section.name"]
    details = await failure(rename(server, alice, "users/me/sections/nope", "X"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SECTION_NOT_FOUND"
    details = await failure(rename(server, alice, "users/me", "X"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["section.name"]


async def test_delete_section_errors(server):
    alice = caller(server)
    for system in ("default-spaces", "default-direct-messages", "default-apps"):
        details = await failure(delete(server, alice, f"users/me/sections/{system}"), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]
    await failure(delete(server, alice, "users/me/sections/missing"), grpc.StatusCode.NOT_FOUND)
    details = await failure(delete(server, alice, "sections/x"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["name"]
    # Refusals changed nothing.
    assert len(await listed(server, alice)) == 3


async def test_position_section_errors(server):
    alice = caller(server)
    name = "users/me/sections/default-spaces"
    for how, field in ((dict(sort_order=0), "sort_order"), (dict(sort_order=-2), "sort_order"),
                       (dict(relative_position=Position.POSITION_UNSPECIFIED), "relative_position"),
                       (dict(), "sort_order")):
        details = await failure(position(server, alice, name, **how), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], how
    await failure(position(server, alice, "users/me/sections/missing", sort_order=1), grpc.StatusCode.NOT_FOUND)
    details = await failure(position(server, alice, "users/me/sections/", sort_order=1),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["name"]


async def test_list_sections_page_sizes_and_tokens(server):
    alice = caller(server)
    for n in range(12):
        await create(server, alice, f"S{n}")
    assert len((await list_page(server, alice)).sections) == 10  # default
    first = await list_page(server, alice, page_size=4)
    assert [s.sort_order for s in first.sections] == [1, 2, 3, 4] and first.next_page_token
    second = await list_page(server, alice, page_size=100, page_token=first.next_page_token)
    assert [s.sort_order for s in second.sections] == list(range(5, 16)) and not second.next_page_token
    details = await failure(list_page(server, alice, page_size=-1), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]
    details = await failure(list_page(server, alice, page_token="forged"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    # A token is bound to the request's parent and to the caller.
    details = await failure(list_page(server, alice, "users/alice@example.com", page_token=first.next_page_token),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    await failure(list_page(server, caller(server, "bob@example.com"), page_token=first.next_page_token),
                  grpc.StatusCode.INVALID_ARGUMENT)
    await failure(list_page(server, alice, "groups/x"), grpc.StatusCode.INVALID_ARGUMENT)


async def test_more_than_a_hundred_sections_are_listed_a_hundred_at_a_time(server):
    alice = caller(server)
    first = await create(server, alice, "First")
    user_id = user_part(first.name).split("/")[1]
    async with server.running.db.transaction(write=True) as repos:
        await repos.sections.add([StoredSection(user_id, f"bulk{n:03}", SectionType.CUSTOM_SECTION, 5 + n, f"B{n}")
                                  for n in range(MAX_CUSTOM_SECTIONS - 1)])
    page = await list_page(server, alice, page_size=1000)
    assert len(page.sections) == 100 and page.next_page_token
    rest = await list_page(server, alice, page_size=1000, page_token=page.next_page_token)
    assert len(rest.sections) == MAX_CUSTOM_SECTIONS + 3 - 100
    # The limit of custom sections is reached.
    details = await failure(create(server, alice, "One too many"), grpc.StatusCode.RESOURCE_EXHAUSTED)
    assert details["ErrorInfo"].reason == "SECTION_LIMIT_REACHED"
    await delete(server, alice, first.name)
    assert (await create(server, alice, "Room again")).sort_order == MAX_CUSTOM_SECTIONS + 3


async def test_only_the_calling_user_reaches_their_sections(server):
    alice, bob = caller(server), caller(server, "bob@example.com")
    mine = await create(server, alice, "Alice's")
    alice_user = user_part(mine.name)
    section_id = mine.name.split("/")[-1]
    # Bob naming Alice: refused, whatever the RPC, before anything about her sections is looked up.
    calls = {
        "ListSections": list_page(server, bob, alice_user),
        "CreateSection": create(server, bob, parent="users/alice@example.com"),
        "UpdateSection": rename(server, bob, mine.name, "Bob's now"),
        "DeleteSection": delete(server, bob, mine.name),
        "PositionSection": position(server, bob, mine.name, sort_order=1),
        "ListSectionItems": server.chat.ListSectionItems(
            section_pb2.ListSectionItemsRequest(parent=mine.name), metadata=bob),
        "MoveSectionItem": server.chat.MoveSectionItem(section_pb2.MoveSectionItemRequest(
            name=f"{alice_user}/sections/default-spaces/items/AAAAanything",
            target_section="users/me/sections/default-spaces"), metadata=bob),
    }
    for rpc, call in calls.items():
        details = await failure(call, grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "NOT_CALLING_USER", rpc
    # Bob's own users/me does not lead to Alice's sections: her section id is simply not one of his.
    for call in (rename(server, bob, f"users/me/sections/{section_id}", "x"),
                 delete(server, bob, f"users/me/sections/{section_id}"),
                 position(server, bob, f"users/me/sections/{section_id}", sort_order=1),
                 server.chat.ListSectionItems(section_pb2.ListSectionItemsRequest(
                     parent=f"users/me/sections/{section_id}"), metadata=bob)):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SECTION_NOT_FOUND"
    assert [s for s, _ in await listed(server, bob)] == ["default-direct-messages", "default-spaces",
                                                          "default-apps"]
    assert (await list_page(server, alice)).sections[3].display_name == "Alice's"


@pytest.mark.parametrize("scope", ["chat.users.sections.readonly"])
async def test_readonly_scope_lists_but_does_not_change(server, scope):
    md = server.md(user="alice@example.com", scopes=(scope,))
    assert len((await list_page(server, md)).sections) == 3
    details = await failure(create(server, md, "Nope"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
