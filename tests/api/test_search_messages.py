"""SearchMessages over gRPC: lifecycle (the index follows creates, edits and deletes), `parent`, what is left
out of results, visibility, ordering, pages, views and markup. The query grammar is in
test_search_messages_filter.py, the index itself in test_search_messages_index.py."""
import uuid

import grpc
import pytest
from google.chat.v1 import (
    markup_syntax_pb2,
    membership_pb2,
    message_pb2,
    reaction_pb2,
    space_notification_setting_pb2,
    space_pb2,
    space_read_state_pb2,
    space_setup_pb2,
    user_pb2,
)
from google.protobuf import field_mask_pb2

from tests import helpers
from tests.api.test_pagination import StatementCounter, seed
from tests.helpers import USER_SCOPES, failure, field_of

ALL = "spaces/-"
APP_SCOPES = ("chat.app.spaces", "chat.app.memberships", "chat.bot")
View = message_pb2.SearchMessagesRequest.SearchMessagesView
Mute = space_notification_setting_pb2.SpaceNotificationSetting.MuteSetting


def caller(server, email, *extra_scopes):
    return server.md(user=email, scopes=(*USER_SCOPES, "chat.delete", *extra_scopes))


def search(server, md, query, parent=ALL, **request):
    return server.chat.SearchMessages(message_pb2.SearchMessagesRequest(parent=parent, filter=query, **request),
                                      metadata=md)


async def found(server, md, query, **request) -> list[str]:
    """The texts of every result, newest (or most relevant) first."""
    response = await search(server, md, query, page_size=100, **request)
    assert not response.next_page_token
    return [r.message.text for r in response.results]


async def new_space(server, md, display_name=None, **fields):
    return await helpers.new_space(server, md, display_name or f"Search {uuid.uuid4().hex[:8]}", **fields)


async def add_member(server, md, space, name):
    return await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name=name))), metadata=md)


def post(server, md, space, text="hello", **message):
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text=text, **message)), metadata=md)


def edit(server, md, message, text):
    return server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message_pb2.Message(name=message.name, text=text),
        update_mask=field_mask_pb2.FieldMask(paths=["text"])), metadata=md)


def delete(server, md, message):
    return server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=message.name), metadata=md)


def set_mute(server, email, space, mute):
    return server.chat.UpdateSpaceNotificationSetting(
        space_notification_setting_pb2.UpdateSpaceNotificationSettingRequest(
            space_notification_setting=space_notification_setting_pb2.SpaceNotificationSetting(
                name=f"users/me/{space.name}/spaceNotificationSetting", mute_setting=mute),
            update_mask=field_mask_pb2.FieldMask(paths=["mute_setting"])),
        metadata=server.md(user=email, scopes=("chat.users.spacesettings",)))


def mark_read(server, email, space, message):
    return server.chat.UpdateSpaceReadState(space_read_state_pb2.UpdateSpaceReadStateRequest(
        space_read_state=space_read_state_pb2.SpaceReadState(
            name=f"users/me/{space.name}/spaceReadState", last_read_time=message.create_time),
        update_mask=field_mask_pb2.FieldMask(paths=["last_read_time"])),
        metadata=server.md(user=email, scopes=("chat.users.readstate",)))


@pytest.fixture
async def team(server):
    """Alice's space "Launch team" with Bob: (space, alice's metadata, bob's metadata)."""
    alice, bob = caller(server, "alice@example.com"), caller(server, "bob@example.com")
    space = await new_space(server, alice, "Launch team")
    await add_member(server, alice, space, "users/bob@example.com")
    return space, alice, bob


# --- lifecycle ------------------------------------------------------------------------------------------

async def test_lifecycle_the_index_follows_creates_edits_and_deletes(server, team):
    space, alice, bob = team
    first = await post(server, alice, space, "The launch checklist is ready")
    second = await post(server, bob, space, "Checklist reviewed, looks good")
    response = await search(server, alice, "checklist")
    assert [r.message.name for r in response.results] == [second.name, first.name]  # newest first
    result = response.results[1].message
    assert result.name.startswith(space.name + "/messages/")
    assert (result.text, result.sender.name, result.space.name, result.thread.name) == (
        first.text, first.sender.name, space.name, first.thread.name)
    assert result.sender.type == user_pb2.User.Type.HUMAN
    assert not response.results[1].HasField("read") and not response.next_page_token
    # Results carry what GetMessage shows, reactions included.
    for md in (alice, bob):
        await server.chat.CreateReaction(reaction_pb2.CreateReactionRequest(
            parent=first.name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode="🎉"))), metadata=md)
    result = (await search(server, bob, "launch")).results[0].message
    assert result == await server.chat.GetMessage(message_pb2.GetMessageRequest(name=first.name), metadata=bob)
    assert [(s.emoji.unicode, s.reaction_count) for s in result.emoji_reaction_summaries] == [("🎉", 2)]

    await edit(server, alice, first, "The launch plan is ready")
    assert await found(server, alice, "checklist") == [second.text]
    assert await found(server, bob, "plan") == ["The launch plan is ready"]
    await delete(server, bob, second)
    assert await found(server, alice, "checklist") == []
    assert await found(server, alice, "looks") == []
    await server.chat.DeleteSpace(space_pb2.DeleteSpaceRequest(name=space.name), metadata=alice)
    assert await found(server, alice, "plan") == []


@pytest.mark.parametrize("parent", ["", "spaces/AAAAAAAAAAA", "spaces/*", "spaces/-/messages", "spaces/ -", "-"])
async def test_parent_must_be_every_space(server, parent):
    details = await failure(search(server, caller(server, "alice@example.com"), "hello", parent=parent),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["parent"]


# --- what is searched -----------------------------------------------------------------------------------

async def test_only_spaces_the_caller_has_joined(server, team):
    space, alice, bob = team
    await post(server, alice, space, "quarterly numbers")
    carol = caller(server, "carol@example.com")
    assert await found(server, carol, "quarterly") == []
    # Naming a space one cannot read finds nothing, and tells nothing (no NOT_FOUND).
    assert await found(server, carol, f'quarterly space.name = "{space.name}"') == []
    membership = await add_member(server, alice, space, "users/carol@example.com")
    assert await found(server, carol, "quarterly") == ["quarterly numbers"]
    await server.chat.DeleteMembership(membership_pb2.DeleteMembershipRequest(name=membership.name), metadata=alice)
    assert await found(server, carol, "quarterly") == []


async def test_documented_exclusions(server, team):
    space, alice, bob = team
    bob_name = (await server.chat.GetMembership(membership_pb2.GetMembershipRequest(
        name=f"{space.name}/members/bob@example.com"), metadata=alice)).member.name
    via_bot = server.md(user="alice@example.com", app="helper-bot", scopes=(*USER_SCOPES, "chat.memberships.app"))
    await add_member(server, via_bot, space, "users/app")
    bot = server.md(app="helper-bot", scopes=APP_SCOPES)
    await post(server, alice, space, "zebra from alice")
    await post(server, bot, space, "zebra from the app")  # a Chat app's message
    await post(server, bot, space, "zebra just for bob", private_message_viewer=user_pb2.User(name=bob_name))
    gone = await post(server, bob, space, "zebra deleted")
    await delete(server, bob, gone)
    # A DM with the Chat app.
    app_dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=via_bot)
    await post(server, alice, app_dm, "zebra in the app DM")
    await post(server, bot, app_dm, "zebra answer from the app")
    assert await found(server, bob, "zebra") == ["zebra from alice"]  # not even his own private message
    assert await found(server, alice, "zebra") == ["zebra from alice"]

    # A space the caller muted is left out until unmuted.
    other = await new_space(server, alice, "Other")
    await post(server, alice, other, "zebra elsewhere")
    assert await found(server, alice, "zebra") == ["zebra elsewhere", "zebra from alice"]
    await set_mute(server, "alice@example.com", other, Mute.MUTED)
    assert await found(server, alice, "zebra") == ["zebra from alice"]
    assert await found(server, alice, f'zebra space.name = "{other.name}"') == []
    await set_mute(server, "alice@example.com", other, Mute.UNMUTED)
    assert await found(server, alice, "zebra") == ["zebra elsewhere", "zebra from alice"]


async def test_spaces_in_import_mode_are_not_searched(server):
    importer = server.md(user="alice@example.com", scopes=("chat.import",))
    imported = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Imported", import_mode=True)), metadata=importer)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=imported.name, membership=membership_pb2.Membership(member={"name": "users/bob@example.com"})),
        metadata=importer)
    await post(server, importer, imported, "imported history")
    assert await found(server, caller(server, "bob@example.com"), "history") == []
    assert await found(server, caller(server, "alice@example.com"), "history") == []
    await server.chat.CompleteImportSpace(space_pb2.CompleteImportSpaceRequest(name=imported.name),
                                          metadata=importer)
    assert await found(server, caller(server, "bob@example.com"), "history") == ["imported history"]


async def test_a_non_member_learns_nothing(server, team):
    space, alice, bob = team
    first = await post(server, alice, space, "secret plans <users/bob@example.com> http://example.com")
    await mark_read(server, "bob@example.com", space, first)
    outsider = caller(server, "mallory@example.com", "chat.users.readstate")
    bob = caller(server, "bob@example.com", "chat.users.readstate")
    for query in ("secret", f'space.name = "{space.name}"', 'sender.name = "users/alice@example.com"',
                  "annotations.user_mentions.user.name:users/bob@example.com", "has_link()",
                  'create_time >= "2000-01-01T00:00:00Z"', "is_unread()", 'space.display_name:"Launch"',
                  'space.space_type = "SPACE"'):
        assert await found(server, outsider, query) == [], query
        assert len(await found(server, bob, query)) == (0 if query == "is_unread()" else 1), query


# --- order, pages ---------------------------------------------------------------------------------------

async def test_newest_first_or_most_relevant_first(server, team):
    space, alice, bob = team
    texts = ["apple", "apple apple apple", "pear and apple", "no fruit here"]
    for text in texts:
        await post(server, alice, space, text)
    newest_first = ["pear and apple", "apple apple apple", "apple"]
    assert await found(server, alice, "apple") == newest_first
    assert await found(server, alice, "apple", order_by="create_time desc") == newest_first
    assert await found(server, alice, "apple", order_by="createTime DESC") == newest_first
    by_relevance = await found(server, alice, "apple", order_by="relevance desc")
    assert by_relevance[0] == "apple apple apple" and sorted(by_relevance) == sorted(newest_first)
    # Without search words every message is as relevant as any other: newest first.
    assert await found(server, alice, 'sender.name = "users/me"', order_by="relevance desc") == texts[::-1]
    for order in ("create_time", "create_time asc", "relevance", "relevance asc", "update_time desc",
                  "create_time desc, relevance desc", "desc"):
        details = await failure(search(server, alice, "apple", order_by=order), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["order_by"], order


async def _walk(server, md, query, size, **request) -> list[str]:
    names, token, pages = [], "", 0
    while True:
        response = await search(server, md, query, page_size=size, page_token=token, **request)
        assert len(response.results) <= size
        names += [r.message.name for r in response.results]
        token, pages = response.next_page_token, pages + 1
        if not token:
            return names


async def test_pages(server, team):
    space, alice, bob = team
    await seed(server, space.name, senders=3, messages_per_sender=40)  # "seeded n/k", straight into the store
    await post(server, alice, space, "seeded seeded seeded by hand")
    assert len((await search(server, alice, "seeded")).results) == 25  # default page size
    assert len((await search(server, alice, "seeded", page_size=1000)).results) == 100  # the maximum
    everything = await _walk(server, alice, "seeded", 100)
    assert len(everything) == len(set(everything)) == 121
    assert await _walk(server, alice, "seeded", 7) == everything
    by_relevance = await _walk(server, alice, "seeded", 9, order_by="relevance desc")
    assert sorted(by_relevance) == sorted(everything) and len(set(by_relevance)) == 121
    assert by_relevance[0] == everything[0]  # the message saying it three times

    details = await failure(search(server, alice, "seeded", page_size=-1), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_size"]
    token = (await search(server, alice, "seeded", page_size=5)).next_page_token
    assert len((await search(server, alice, "seeded", page_size=50, page_token=token)).results) == 50
    changed = [(alice, "seeded by", {}), (alice, "seeded", dict(order_by="relevance desc")),
               (alice, "seeded", dict(view=View.SEARCH_MESSAGES_VIEW_FULL)),
               (alice, "seeded", dict(markup_syntax=markup_syntax_pb2.MARKUP_SYNTAX_MARKDOWN)),
               (bob, "seeded", {})]
    for md, query, request in changed:  # a token is bound to the caller and every parameter but the size
        details = await failure(search(server, md, query, page_token=token, **request),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"], (query, request)
    for forged in ("not-a-token", token[:-2], token + "x"):
        details = await failure(search(server, alice, "seeded", page_token=forged), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["page_token"], forged


async def test_a_page_costs_a_bounded_number_of_statements(server, team):
    space, alice, bob = team
    await seed(server, space.name, senders=60)
    full = caller(server, "alice@example.com", "chat.users.readstate", "chat.spaces")
    query = ('seeded (sender.name = "users/alice@example.com" OR sender.name = "users/me" OR '
             'sender.name = "users/bob@example.com")')
    await search(server, full, "seeded", page_size=1)  # warm the caller lookup
    for size in (5, 60):
        with StatementCounter(server) as counter:
            await search(server, full, "seeded", page_size=size, view=View.SEARCH_MESSAGES_VIEW_FULL)
        # BEGIN, the search, the results' reaction counts, COMMIT (or fewer)
        assert len(counter.statements) <= 4, counter.statements
        with StatementCounter(server) as counter:
            await search(server, full, query, page_size=size)
        assert len(counter.statements) <= 5, counter.statements  # + the email lookup


# --- views, markup --------------------------------------------------------------------------------------

async def test_full_view_tells_read_and_mute_with_their_scopes(server, team):
    space, alice, bob = team
    early = await post(server, alice, space, "status early")
    late = await post(server, alice, space, "status late")
    own = await post(server, bob, space, "status mine")
    await mark_read(server, "bob@example.com", space, early)
    full = View.SEARCH_MESSAGES_VIEW_FULL
    everything = caller(server, "bob@example.com", "chat.users.readstate.readonly", "chat.users.spacesettings")
    response = await search(server, everything, "status", view=full)
    assert [(r.message.name, r.read, r.space_mute_setting) for r in response.results] == [
        (own.name, True, Mute.UNMUTED), (late.name, False, Mute.UNMUTED), (early.name, True, Mute.UNMUTED)]
    for md, view in ((bob, full), (everything, View.SEARCH_MESSAGES_VIEW_BASIC),
                     (everything, View.SEARCH_MESSAGES_VIEW_UNSPECIFIED)):
        response = await search(server, md, "status", view=view)
        assert len(response.results) == 3
        assert not any(r.HasField("read") or r.space_mute_setting for r in response.results)
    details = await failure(search(server, bob, "status", view=7), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["view"]


async def test_markdown_markup_syntax(server, team):
    space, alice, bob = team
    text = "*bold* _it_ ~gone~ <https://example.com|the site> `*code*` <users/bob@example.com> *"
    await post(server, alice, space, text)
    chat = (await search(server, alice, "bold")).results[0].message
    markdown = (await search(server, alice, "bold", markup_syntax=markup_syntax_pb2.MARKUP_SYNTAX_MARKDOWN)
                ).results[0].message
    mention = chat.annotations[0].user_mention.user.name
    assert chat.formatted_text == f"*bold* _it_ ~gone~ <https://example.com|the site> `*code*` <{mention}> *"
    assert markdown.formatted_text == f"**bold** _it_ ~~gone~~ [the site](https://example.com) `*code*` <{mention}> *"
    assert markdown.text == chat.text
    details = await failure(search(server, alice, "bold", markup_syntax=9), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["markup_syntax"]
