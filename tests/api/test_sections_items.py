"""Section items over gRPC: a user's spaces in their system sections by kind, moves into and out of custom
sections, the space filter and the `-` wildcard, items following memberships and deleted spaces, and what a
user outside a space learns (nothing)."""
from __future__ import annotations

import grpc
import pytest
from google.chat.v1 import membership_pb2, section_pb2, space_pb2

from tests.api.spaces_support import DM, GROUP_CHAT, member, post, set_up
from tests.api.test_pagination import StatementCounter
from tests.api.test_sections import SCOPES, create, delete
from tests.helpers import failure, field_of, new_space


def items_page(server, md, parent, **request):
    return server.chat.ListSectionItems(section_pb2.ListSectionItemsRequest(parent=parent, **request), metadata=md)


async def items(server, md, parent, **request) -> list[tuple[str, str]]:
    """(section id, space name) of every item, following page tokens."""
    found, token = [], ""
    while True:
        page = await items_page(server, md, parent, page_size=2, page_token=token, **request)
        for item in page.section_items:
            section_id, item_id = item.name.split("/sections/")[1].split("/items/")
            assert item.space == f"spaces/{item_id}"
            found.append((section_id, item.space))
        token = page.next_page_token
        if not token:
            return sorted(found)


def move(server, md, name, target):
    return server.chat.MoveSectionItem(section_pb2.MoveSectionItemRequest(name=name, target_section=target),
                                       metadata=md)


def item(section: str, space) -> str:
    return f"users/me/sections/{section}/items/{space.name.split('/')[1]}"


@pytest.fixture
async def world(server):
    """Alice's conversations: two spaces, a group chat and a DM with bob (both with a message), a DM with her
    app (with a message), and a DM with carol nobody wrote in yet. Bob also has a space of his own."""
    alice = server.md(user="alice@example.com", app="helper-bot", scopes=SCOPES)
    bob = server.md(user="bob@example.com", scopes=SCOPES)
    w = dict(alice=alice, bob=bob)
    w["launch"] = await new_space(server, alice, "Launch")
    w["ops"] = await new_space(server, alice, "Ops")
    w["group"] = await set_up(server, alice, GROUP_CHAT, member("users/bob@example.com"),
                              member("users/carol@example.com"))
    w["dm"] = await set_up(server, alice, DM, member("users/bob@example.com"))
    w["app_dm"] = await set_up(server, alice, DM, single_user_bot_dm=True)
    w["quiet_dm"] = await set_up(server, alice, DM, member("users/carol@example.com"))
    for name in ("group", "dm", "app_dm"):
        await post(server, alice, w[name].name)
    w["bobs"] = await new_space(server, bob, "Bob's own")
    return w


async def test_spaces_sit_in_the_system_section_of_their_kind(server, world):
    alice, w = world["alice"], world
    assert await items(server, alice, "users/me/sections/default-spaces") == sorted(
        [("default-spaces", w["launch"].name), ("default-spaces", w["ops"].name)])
    # Group chats and DMs between people; one nobody wrote in is not listed yet (as in ListSpaces).
    assert await items(server, alice, "users/me/sections/default-direct-messages") == sorted(
        [("default-direct-messages", w["group"].name), ("default-direct-messages", w["dm"].name)])
    assert await items(server, alice, "users/me/sections/default-apps") == [("default-apps", w["app_dm"].name)]
    # The wildcard lists every item with the section it is in.
    everything = await items(server, alice, "users/me/sections/-")
    assert len(everything) == 5 and w["quiet_dm"].name not in {s for _, s in everything}
    # Canonical names.
    page = await items_page(server, alice, "users/alice@example.com/sections/default-spaces")
    assert all(i.name.startswith("users/") and "@" not in i.name and "/me/" not in i.name
               for i in page.section_items)
    # A space shows up when its first message does.
    await post(server, alice, w["quiet_dm"].name)
    assert ("default-direct-messages", w["quiet_dm"].name) in await items(
        server, alice, "users/me/sections/default-direct-messages")
    # A new custom section is empty.
    custom = await create(server, alice, "Empty")
    assert await items(server, alice, custom.name) == []


async def test_move_items_into_custom_sections_and_back(server, world):
    alice, w = world["alice"], world
    work = await create(server, alice, "Work")
    work_id = work.name.split("/")[-1]
    moved = await move(server, alice, item("default-spaces", w["launch"]), f"users/me/sections/{work_id}")
    assert moved.section_item.name == f"{work.name}/items/{w['launch'].name.split('/')[1]}"
    assert moved.section_item.space == w["launch"].name
    # Any kind of conversation can be filed in a custom section.
    await move(server, alice, item("default-direct-messages", w["dm"]), work.name)
    await move(server, alice, item("default-apps", w["app_dm"]), work.name)
    assert await items(server, alice, work.name) == sorted(
        [(work_id, w["launch"].name), (work_id, w["dm"].name), (work_id, w["app_dm"].name)])
    assert await items(server, alice, "users/me/sections/default-spaces") == [("default-spaces", w["ops"].name)]
    assert await items(server, alice, "users/me/sections/default-apps") == []

    # From one custom section to another.
    later = await create(server, alice, "Later")
    moved = await move(server, alice, f"users/me/sections/{work_id}/items/{w['dm'].name.split('/')[1]}", later.name)
    assert moved.section_item.name.startswith(later.name + "/items/")
    # Moving to where it is changes nothing.
    again = await move(server, alice, moved.section_item.name, later.name)
    assert again.section_item == moved.section_item
    # Back to its own system section (Google's guide writes the item as `items/spaces/{space}`).
    back = await move(server, alice, f"{work.name}/items/{w['launch'].name}", "users/me/sections/default-spaces")
    assert back.section_item.name.split("/sections/")[1] == f"default-spaces/items/{w['launch'].name.split('/')[1]}"
    # But not into another kind's system section.
    for name, target in ((f"{later.name}/items/{w['dm'].name.split('/')[1]}", "default-spaces"),
                         (item("default-spaces", w["ops"]), "default-direct-messages"),
                         (item("default-spaces", w["ops"]), "default-apps")):
        details = await failure(move(server, alice, name, f"users/me/sections/{target}"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["target_section"]
    # Deleting a section returns its spaces to their system sections; nothing else is lost.
    await delete(server, alice, work.name)
    assert await items(server, alice, "users/me/sections/default-apps") == [("default-apps", w["app_dm"].name)]
    assert len(await items(server, alice, "users/me/sections/-")) == 5
    assert await items(server, alice, later.name) == [(later.name.split("/")[-1], w["dm"].name)]


async def test_move_item_errors(server, world):
    alice, w = world["alice"], world
    work = await create(server, alice, "Work")
    launch = w["launch"]
    # The item must be in the section its name says.
    details = await failure(move(server, alice, item("default-direct-messages", launch), work.name),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SECTION_ITEM_NOT_FOUND"
    await failure(move(server, alice, f"{work.name}/items/{launch.name.split('/')[1]}", work.name),
                  grpc.StatusCode.NOT_FOUND)
    await failure(move(server, alice, "users/me/sections/nope/items/" + launch.name.split("/")[1], work.name),
                  grpc.StatusCode.NOT_FOUND)
    # A DM nobody wrote in is not an item yet.
    await failure(move(server, alice, item("default-direct-messages", w["quiet_dm"]), work.name),
                  grpc.StatusCode.NOT_FOUND)
    details = await failure(move(server, alice, item("default-spaces", launch), "users/me/sections/gone"),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SECTION_NOT_FOUND"
    for name, target, field in (("users/me/sections/default-spaces", work.name, "name"),
                                (item("-", launch), work.name, "name"),
                                (item("default-spaces", launch), "users/me/sections/-", "target_section"),
                                (item("default-spaces", launch), "", "target_section"),
                                (item("default-spaces", launch), "spaces/AAAA", "target_section")):
        details = await failure(move(server, alice, name, target), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], (name, target)
    details = await failure(move(server, alice, item("default-spaces", launch), "users/bob@example.com/sections/x"),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_CALLING_USER"
    # Nothing moved.
    assert await items(server, alice, work.name) == []


async def test_space_filter(server, world):
    alice, w = world["alice"], world
    launch, ops, dm = w["launch"].name, w["ops"].name, w["dm"].name
    assert await items(server, alice, "users/me/sections/-", filter=f"space = {launch}") == [
        ("default-spaces", launch)]
    assert await items(server, alice, "users/me/sections/-", filter=f'space = "{dm}"') == [
        ("default-direct-messages", dm)]
    assert await items(server, alice, "users/me/sections/-", filter=f"space = {launch} OR space = {dm}") == sorted(
        [("default-spaces", launch), ("default-direct-messages", dm)])
    # Within one section, only if it is there.
    assert await items(server, alice, "users/me/sections/default-spaces", filter=f"space = {ops}") == [
        ("default-spaces", ops)]
    assert await items(server, alice, "users/me/sections/default-apps", filter=f"space = {ops}") == []
    # Spaces the caller is not in, or that do not exist, match nothing.
    assert await items(server, alice, "users/me/sections/-", filter=f"space = {w['bobs'].name}") == []
    assert await items(server, alice, "users/me/sections/-", filter="space = spaces/AAAAmissing") == []
    for bad in ("space != spaces/AAAA", "name = spaces/AAAA", "space = users/me", "space = spaces/",
                f"space = {launch} AND space = {ops}", f"NOT space = {launch}", "space", "space = (",
                f"space : {launch}", 'displayName = "Launch"'):
        details = await failure(items_page(server, alice, "users/me/sections/-", filter=bad),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], bad
        assert details["ErrorInfo"].reason == "INVALID_FILTER", bad


async def test_list_section_items_pages_and_errors(server, world):
    alice = world["alice"]
    parent = "users/me/sections/-"
    assert len((await items_page(server, alice, parent)).section_items) == 5  # default page size 10
    first = await items_page(server, alice, parent, page_size=3)
    assert len(first.section_items) == 3 and first.next_page_token
    rest = await items_page(server, alice, parent, page_size=500, page_token=first.next_page_token)
    assert len(rest.section_items) == 2 and not rest.next_page_token
    assert not {i.name for i in first.section_items} & {i.name for i in rest.section_items}
    for request, field in ((dict(page_size=-1), "page_size"), (dict(page_token="nonsense"), "page_token"),
                           (dict(page_token=first.next_page_token, filter="space = spaces/AAAA"), "page_token")):
        details = await failure(items_page(server, alice, parent, **request), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    details = await failure(items_page(server, alice, "users/me/sections/default-spaces",
                                       page_token=first.next_page_token), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    for parent in ("users/me", "spaces/AAAA", "users/me/sections/x/items"):
        details = await failure(items_page(server, alice, parent), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["parent"]
    details = await failure(items_page(server, alice, "users/me/sections/missing"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "SECTION_NOT_FOUND"


async def test_items_follow_memberships_and_deleted_spaces(server, world):
    alice, bob, w = world["alice"], world["bob"], world
    # Bob joins Alice's space and files it in a section of his own.
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=w["launch"].name, membership=member("users/bob@example.com")), metadata=alice)
    bobs_section = await create(server, bob, "From Alice")
    await move(server, bob, item("default-spaces", w["launch"]), bobs_section.name)
    assert await items(server, bob, bobs_section.name) == [(bobs_section.name.split("/")[-1], w["launch"].name)]
    # Alice's filing is her own: the space is still in her default section.
    assert ("default-spaces", w["launch"].name) in await items(server, alice, "users/me/sections/default-spaces")

    # Bob leaves: the item goes, and so does where he had filed it.
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(
        name=f"{w['launch'].name}/members/bob@example.com"), metadata=bob)
    assert await items(server, bob, bobs_section.name) == []
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=w["launch"].name, membership=member("users/bob@example.com")), metadata=alice)
    assert await items(server, bob, bobs_section.name) == []
    assert ("default-spaces", w["launch"].name) in await items(server, bob, "users/me/sections/default-spaces")

    # A deleted space leaves no item behind, filed or not.
    alices_section = await create(server, alice, "Doomed")
    await move(server, alice, item("default-spaces", w["ops"]), alices_section.name)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=w["ops"].name), metadata=alice)
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=w["launch"].name), metadata=alice)
    assert await items(server, alice, alices_section.name) == []
    remaining = {s for _, s in await items(server, alice, "users/me/sections/-")}
    assert remaining == {w["group"].name, w["dm"].name, w["app_dm"].name}
    async with server.running.db.transaction() as repos:
        leftovers = await repos.sections.items(alices_section.name.split("/")[1], None, space_ids=None,
                                               after=None, limit=10)
    assert {i.space_id for i in leftovers.items} == {s.split("/")[1] for s in remaining}


async def test_someone_outside_a_space_learns_nothing_about_it(server, world):
    """Mallory is in none of Alice's spaces: moving an item for one is the same NOT_FOUND as for a space that
    does not exist, and no list or filter shows it."""
    w = world
    mallory = server.md(user="mallory@example.com", scopes=SCOPES)
    custom = await create(server, mallory, "Mine")
    missing = "AAAAmissing"

    async def not_found(space_id: str) -> str:
        details = await failure(move(server, mallory, f"users/me/sections/default-spaces/items/{space_id}",
                                     custom.name), grpc.StatusCode.NOT_FOUND)
        info = details["ErrorInfo"]
        return info.reason

    launch_id = w["launch"].name.split("/")[1]
    assert await not_found(launch_id) == await not_found(missing) == "SECTION_ITEM_NOT_FOUND"
    for parent in ("users/me/sections/-", "users/me/sections/default-spaces",
                   "users/me/sections/default-direct-messages", "users/me/sections/default-apps", custom.name):
        assert await items(server, mallory, parent) == []
        for space in ("launch", "group", "dm", "app_dm"):
            assert await items(server, mallory, parent, filter=f"space = {w[space].name}") == []


async def test_listing_items_costs_a_bounded_number_of_statements(server, world):
    alice = world["alice"]
    for n in range(30):
        await new_space(server, alice, f"Bulk {n}")
    await items_page(server, alice, "users/me/sections/-", page_size=1)  # warm the caller lookup
    counts = {}
    for size in (5, 30):
        with StatementCounter(server) as counter:
            page = await items_page(server, alice, "users/me/sections/-", page_size=size)
        assert len(page.section_items) == size
        counts[size] = len(counter.statements)
    assert counts[5] == counts[30] <= 3, counts
