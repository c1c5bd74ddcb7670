"""SQL and full-text metacharacters in every filter, query, name and free-text field that reaches the
database, over gRPC: each call is refused as INVALID_ARGUMENT / NOT_FOUND or treated literally, never fails
inside, never shows another user's data, and leaves the row counts and the database's integrity unchanged.
Words with metacharacters are found as words, and LIKE wildcards match only themselves."""
from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
from google.chat.v1 import (
    membership_pb2,
    message_pb2,
    reaction_pb2,
    section_pb2,
    space_event_pb2,
    space_pb2,
)
from sqlalchemy import inspect, text

from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.storage.integrity import integrity_problems
from chatsvc.storage.search_index import DOCS, FTS
from tests.campaigns import support as campaigns
from tests.directory import support as directory
from tests.helpers import USER_SCOPES

HOSTILE = [
    "'", '"', ";", "--", "/* */", "%", "_", "\\", "' OR '1'='1", "\" OR \"1\"=\"1", '"; DROP TABLE messages; --',
    "'; DELETE FROM spaces; --", "') OR ('a'='a", "%' OR 1=1 --", "x' UNION SELECT text FROM messages --",
    "NEAR(secret payroll)", "secret*", "^secret", "secret AND payroll", "NOT secret", "text:secret",
    "{text}: secret", "secret & payroll", "secret | payroll", "!secret", "secret:*", "*", '"""', "(((",
    "a\x00b", "\x00", "payroll\u202e", "\u00e9\u00e8\u2603\U0001f4a9", "ＳＥＬＥＣＴ", "$1", ":b_space_id", "%s",
]
SECRET = "payroll secret for bob only"
TRICKY = "Note: ' OR 1=1 -- 100% of the_data; \"quoted\" /* c */ done"
ADMIN_SCOPES = (*USER_SCOPES, "chat.delete", "chat.admin.spaces", "chat.admin.memberships",
                "chat.spaces.readonly", "chat.users.readstate", "chat.customemojis", "chat.users.sections",
                "chat.messages.reactions", "chat.admin.delete")
DIRECTORY_CALLS = {"ListContacts filter", "ListContacts tag", "ListContacts list", "GetContact", "GetBrand"}
CAMPAIGN_CALLS = {"ListEmailCampaigns parent", "ListCampaignEmails order_by", "ListCampaignEmails parent",
                  "GetEmailCampaign"}
OK, REFUSED = grpc.StatusCode.OK, (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)


async def _row_counts(db) -> dict[str, int]:
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        counts = {}
        for name in names:
            if name.startswith(FTS) or name == DOCS:  # the index's own shadow tables; checked by integrity
                continue
            counts[name] = (await conn.execute(text(f'SELECT count(*) FROM "{name}"'))).scalar_one()
        await conn.rollback()
    return counts


async def _outcome(call) -> tuple:
    try:
        return OK, await call
    except grpc.aio.AioRpcError as error:
        return error.code(), error.details()


@pytest.fixture
async def world(server):
    """alice (an administrator) with a space, a tricky message, a reaction and a brand; bob with a private
    space holding a secret; eve, who belongs to nothing."""
    md = {who: server.md(user=f"{who}@example.com", scopes=ADMIN_SCOPES, admin=who == "alice")
          for who in ("alice", "bob", "eve")}
    chat = server.chat
    alpha = await chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Alpha 100% done")), metadata=md["alice"])
    tricky = await chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=alpha.name, message=message_pb2.Message(text=TRICKY), message_id="client-tricky"),
        metadata=md["alice"])
    plain = await chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=alpha.name, message=message_pb2.Message(text="Note that 100 of the data is done")),
        metadata=md["alice"])
    await chat.CreateReaction(reaction_pb2.CreateReactionRequest(parent=tricky.name, reaction=reaction_pb2.Reaction(
        emoji=reaction_pb2.Emoji(unicode="🙂"))), metadata=md["alice"])
    private = await chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Bob private")), metadata=md["bob"])
    await chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=private.name, message=message_pb2.Message(text=SECRET)), metadata=md["bob"])
    brand = await directory.make_brand(server, "alice@example.com", contacts=[
        {"emails": ["buyer@example.com"], "display_name": "O'Brien; --", "tags": ["buyers", "100%"]}], lists=["Leads"])
    campaign = await campaigns.create(server, brand.name, "alice@example.com")
    await chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md["eve"])  # eve's first call records her
    return dict(server=server, md=md, alpha=alpha, tricky=tricky, plain=plain, private=private, brand=brand,
                campaign=campaign)


def _calls(world, h: str):
    """(label, caller, call) for one hostile string in every field that takes text from callers."""
    server, alpha, tricky, brand = world["server"], world["alpha"], world["tricky"], world["brand"]
    chat = server.chat
    dirs = directory.stub(server)
    camp = campaigns.stub(server)
    quoted = h.replace("\\", "\\\\").replace('"', '\\"')
    m = message_pb2
    return [
        ("SearchMessages filter", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=h), metadata=md)),
        ("SearchMessages quoted phrase", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=f'"{quoted}"'), metadata=md)),
        ("SearchMessages display_name", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=f'space.display_name:"{quoted}"'), metadata=md)),
        ("SearchMessages sender", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=f'sender.name = "users/{quoted}"'), metadata=md)),
        ("SearchMessages space", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=f'space.name = "spaces/{quoted}"'), metadata=md)),
        ("SearchMessages mention", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter=f'annotations.user_mentions.user.name:"users/{quoted}"'), metadata=md)),
        ("SearchMessages order_by", lambda md: chat.SearchMessages(m.SearchMessagesRequest(
            parent="spaces/-", filter="note", order_by=h), metadata=md)),
        ("SearchSpaces query", lambda md: chat.SearchSpaces(space_pb2.SearchSpacesRequest(
            query=h, use_admin_access=True), metadata=md)),
        ("SearchSpaces display_name", lambda md: chat.SearchSpaces(space_pb2.SearchSpacesRequest(
            query=f'customer = "customers/my_customer" AND space_type = "SPACE" AND display_name:"{quoted}"',
            use_admin_access=True), metadata=md)),
        ("ListSpaces filter", lambda md: chat.ListSpaces(space_pb2.ListSpacesRequest(filter=h), metadata=md)),
        ("ListMessages filter", lambda md: chat.ListMessages(m.ListMessagesRequest(
            parent=alpha.name, filter=h), metadata=md)),
        ("ListMessages create_time", lambda md: chat.ListMessages(m.ListMessagesRequest(
            parent=alpha.name, filter=f'create_time > "{quoted}"'), metadata=md)),
        ("ListMessages thread", lambda md: chat.ListMessages(m.ListMessagesRequest(
            parent=alpha.name, filter=f'thread.name = "{alpha.name}/threads/{quoted}"'), metadata=md)),
        ("ListMessages order_by", lambda md: chat.ListMessages(m.ListMessagesRequest(
            parent=alpha.name, order_by=h), metadata=md)),
        ("ListMessages page_token", lambda md: chat.ListMessages(m.ListMessagesRequest(
            parent=alpha.name, page_token=h), metadata=md)),
        ("ListMemberships filter", lambda md: chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=alpha.name, filter=h), metadata=md)),
        ("ListMemberships role", lambda md: chat.ListMemberships(membership_pb2.ListMembershipsRequest(
            parent=alpha.name, filter=f'role = "{quoted}"'), metadata=md)),
        ("ListReactions filter", lambda md: chat.ListReactions(reaction_pb2.ListReactionsRequest(
            parent=tricky.name, filter=h), metadata=md)),
        ("ListReactions emoji", lambda md: chat.ListReactions(reaction_pb2.ListReactionsRequest(
            parent=tricky.name, filter=f'emoji.unicode = "{quoted}"'), metadata=md)),
        ("ListReactions user", lambda md: chat.ListReactions(reaction_pb2.ListReactionsRequest(
            parent=tricky.name, filter=f'user.name = "users/{quoted}"'), metadata=md)),
        ("ListSpaceEvents filter", lambda md: chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
            parent=alpha.name, filter=h), metadata=md)),
        ("ListSpaceEvents types", lambda md: chat.ListSpaceEvents(space_event_pb2.ListSpaceEventsRequest(
            parent=alpha.name, filter=f'event_types:"{quoted}"'), metadata=md)),
        ("ListSectionItems filter", lambda md: chat.ListSectionItems(section_pb2.ListSectionItemsRequest(
            parent="users/me/sections/-", filter=h), metadata=md)),
        ("ListCustomEmojis filter", lambda md: chat.ListCustomEmojis(reaction_pb2.ListCustomEmojisRequest(
            filter=h), metadata=md)),
        ("GetSpace name", lambda md: chat.GetSpace(space_pb2.GetSpaceRequest(name=f"spaces/{h}"), metadata=md)),
        ("GetMessage id", lambda md: chat.GetMessage(m.GetMessageRequest(
            name=f"{alpha.name}/messages/{h}"), metadata=md)),
        ("GetMessage client id", lambda md: chat.GetMessage(m.GetMessageRequest(
            name=f"{alpha.name}/messages/client-{h}"), metadata=md)),
        ("GetMembership email", lambda md: chat.GetMembership(membership_pb2.GetMembershipRequest(
            name=f"{alpha.name}/members/{h}@example.com"), metadata=md)),
        ("GetMembership id", lambda md: chat.GetMembership(membership_pb2.GetMembershipRequest(
            name=f"{alpha.name}/members/{h}"), metadata=md)),
        ("FindDirectMessage", lambda md: chat.FindDirectMessage(space_pb2.FindDirectMessageRequest(
            name=f"users/{h}@example.com"), metadata=md)),
        ("GetCustomEmoji", lambda md: chat.GetCustomEmoji(reaction_pb2.GetCustomEmojiRequest(
            name=f"customEmojis/{h}"), metadata=md)),
        ("GetSpaceEvent", lambda md: chat.GetSpaceEvent(space_event_pb2.GetSpaceEventRequest(
            name=f"{alpha.name}/spaceEvents/{h}"), metadata=md)),
        ("ListContacts filter", lambda md: dirs.ListContacts(directory_service_pb2.ListContactsRequest(
            parent=brand.name, filter=h), metadata=md)),
        ("ListContacts tag", lambda md: dirs.ListContacts(directory_service_pb2.ListContactsRequest(
            parent=brand.name, filter=f'tag = "{quoted}"'), metadata=md)),
        ("ListContacts list", lambda md: dirs.ListContacts(directory_service_pb2.ListContactsRequest(
            parent=brand.name, filter=f'list = "{brand.name}/lists/{quoted}"'), metadata=md)),
        ("GetContact", lambda md: dirs.GetContact(directory_service_pb2.GetContactRequest(
            name=f"{brand.name}/contacts/{h}"), metadata=md)),
        ("GetBrand", lambda md: dirs.GetBrand(directory_service_pb2.GetBrandRequest(name=f"brands/{h}"),
                                              metadata=md)),
        ("ListEmailCampaigns parent", lambda md: camp.ListEmailCampaigns(
            campaign_service_pb2.ListEmailCampaignsRequest(parent=f"brands/{h}"), metadata=md)),
        ("ListCampaignEmails order_by", lambda md: camp.ListCampaignEmails(
            campaign_service_pb2.ListCampaignEmailsRequest(parent=world["campaign"].name, order_by=h), metadata=md)),
        ("ListCampaignEmails parent", lambda md: camp.ListCampaignEmails(
            campaign_service_pb2.ListCampaignEmailsRequest(parent=f"{brand.name}/emailCampaigns/{h}"), metadata=md)),
        ("GetEmailCampaign", lambda md: camp.GetEmailCampaign(
            campaign_service_pb2.GetEmailCampaignRequest(name=f"{brand.name}/emailCampaigns/{h}"), metadata=md)),
    ]


def _callers(world, label: str) -> list[tuple[str, tuple]]:
    """Who makes a call: alice (a chat administrator, her brand's admin, a campaign sender) and eve, who
    belongs to nothing, each with the scopes of the call's service."""
    server = world["server"]
    if label in DIRECTORY_CALLS:
        return [("alice", world["brand"].md()), ("eve", directory.md(server, "eve@example.com"))]
    if label in CAMPAIGN_CALLS:
        return [("alice", campaigns.md(server, "alice@example.com")), ("eve", campaigns.md(server, "eve@example.com"))]
    if label.startswith(("Search", "List")):  # what could show another user's data
        return [("alice", world["md"]["alice"]), ("eve", world["md"]["eve"])]
    return [("alice", world["md"]["alice"])]


async def test_hostile_text_is_refused_or_taken_literally_everywhere(world):
    server = world["server"]
    db = server.running.db
    before = await _row_counts(db)
    private = world["private"].name.encode()
    made = [(f"{label} as {who} with {h!r}", label, call(md))
            for h in HOSTILE for label, call in _calls(world, h) for who, md in _callers(world, label)]
    outcomes = await asyncio.gather(*(_outcome(call) for _, _, call in made))
    crashes, leaks = [], []
    for (what, label, _), (code, answer) in zip(made, outcomes):
        if code not in (OK, *REFUSED, grpc.StatusCode.PERMISSION_DENIED):
            crashes.append(f"{what}: {code.name} {answer}")
        elif code == OK:
            shown = answer.SerializeToString()
            # bob's secret message shows nowhere; his space only to an administrator searching spaces
            if b"payroll" in shown or (private in shown and not label.startswith("SearchSpaces")):
                leaks.append(what)
    assert crashes == [], "\n".join(crashes)
    assert leaks == [], "\n".join(leaks)
    assert len(made) >= 2000, len(made)  # the figure reported on the issue
    assert await _row_counts(db) == before
    assert await integrity_problems(db) == []


async def _texts(world, query: str, who: str = "alice") -> list[str]:
    response = await world["server"].chat.SearchMessages(message_pb2.SearchMessagesRequest(
        parent="spaces/-", filter=query, page_size=100), metadata=world["md"][who])
    return sorted(r.message.text for r in response.results)


async def test_metacharacters_in_stored_text_are_found_as_words(world):
    # The tricky message is found by its words, and only by the words it has.
    assert await _texts(world, '"OR 1=1"') == [TRICKY]
    assert await _texts(world, '"quoted"') == [TRICKY]
    assert await _texts(world, "the_data") == sorted([TRICKY, world["plain"].text])  # `_` separates words
    assert await _texts(world, "note") == sorted([TRICKY, world["plain"].text])
    assert await _texts(world, "payroll") == []  # bob's, not alice's
    assert await _texts(world, "payroll", "bob") == [SECRET]
    # The client id with metacharacters never matched another message; the real one is found.
    got = await world["server"].chat.GetMessage(message_pb2.GetMessageRequest(
        name=f"{world['alpha'].name}/messages/client-tricky"), metadata=world["md"]["alice"])
    assert got.text == TRICKY


async def test_like_wildcards_match_only_themselves(world):
    # Display-name words (letters, digits and `_`) are matched by prefix with LIKE: `_` must match itself only.
    server, md = world["server"], world["md"]["alice"]
    org = 'customer = "customers/my_customer" AND space_type = "SPACE"'

    async def names(word: str) -> list[str]:
        response = await server.chat.SearchSpaces(space_pb2.SearchSpacesRequest(
            query=f'{org} AND display_name:"{word}"', use_admin_access=True), metadata=md)
        return sorted(s.display_name for s in response.spaces)

    tag = uuid.uuid4().hex[:6]
    for name in (f"Wild {tag}_x", f"Wild {tag}yx", f"Wild {tag}"):
        await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.SPACE, display_name=name)), metadata=md)
    assert await names(f"{tag}_") == [f"Wild {tag}_x"]  # not "{tag}yx"
    assert await names(f"{tag}__") == []
    assert await names(f"{tag}") == sorted([f"Wild {tag}_x", f"Wild {tag}yx", f"Wild {tag}"])


async def test_names_with_metacharacters_are_stored_and_returned_as_given(world):
    server, md = world["server"], world["md"]["alice"]
    for h in ('"; DROP TABLE messages; --', "' OR '1'='1", "100% _x_ \\ /* */"):
        space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.SPACE, display_name=h)), metadata=md)
        assert (await server.chat.GetSpace(space_pb2.GetSpaceRequest(name=space.name), metadata=md)).display_name == h
        message = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text=h)), metadata=md)
        assert (await server.chat.GetMessage(message_pb2.GetMessageRequest(name=message.name),
                                             metadata=md)).text == h
    assert await integrity_problems(server.running.db) == []
