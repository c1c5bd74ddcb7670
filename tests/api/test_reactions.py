"""Reactions over gRPC: the lifecycle, one reaction per user per emoji, custom emoji, the summaries messages
are read with (exact, and without N+1 queries), the events they leave, and the error cases."""
import asyncio
import re

import grpc
import pytest
from google.chat.v1 import message_pb2, reaction_pb2
from sqlalchemy import insert, update

from chatsvc.aip import ids
from chatsvc.domain.events import EventType
from chatsvc.domain.models import CustomEmoji
from chatsvc.storage.tables import messages, reactions
from tests.api import test_messages
from tests.api.test_events_recorded import recorded
from tests.api.test_messages import get, list_messages, post
from tests.api.test_pagination import StatementCounter, seed
from tests.helpers import failure, field_of, user

room, bot_room = test_messages.room, test_messages.bot_room
REACTION_NAME = re.compile(r"^spaces/[A-Za-z0-9]+/messages/[A-Za-z0-9]+/reactions/[A-Za-z0-9]+$")


def react(server, md, parent, unicode="🙂", *, uid=None):
    emoji = reaction_pb2.Emoji(custom_emoji=reaction_pb2.CustomEmoji(uid=uid)) if uid else reaction_pb2.Emoji(
        unicode=unicode)
    return server.chat.CreateReaction(reaction_pb2.CreateReactionRequest(
        parent=parent, reaction=reaction_pb2.Reaction(emoji=emoji)), metadata=md)


def list_reactions(server, md, parent, **request):
    return server.chat.ListReactions(reaction_pb2.ListReactionsRequest(parent=parent, **request), metadata=md)


def unreact(server, md, name):
    return server.chat.DeleteReaction(reaction_pb2.DeleteReactionRequest(name=name), metadata=md)


def summaries(message) -> list[tuple[str, int]]:
    return [(s.emoji.unicode or s.emoji.custom_emoji.uid, s.reaction_count) for s in message.emoji_reaction_summaries]


async def add_custom_emoji(server, name=":party-parrot:") -> CustomEmoji:
    """A custom emoji written straight into the store (its own RPCs are tested with them)."""
    emoji = CustomEmoji(id=ids.opaque_id(), uid=ids.opaque_id(16), emoji_name=name, creator_id="1",
                        content_type="image/png", size_bytes=1, blob_key="", create_time_us=1,
                        customer="customers/my_customer")
    async with server.running.db.transaction(write=True) as repos:
        await repos.custom_emojis.add(emoji)
    return emoji


@pytest.fixture
async def chat(server, room):
    """`room` and a message of alice's in it: (space, alice, bob, bob's user name, the message)."""
    space, alice, bob, bob_name = room
    message = await post(server, alice, space, "react to me")
    return space, alice, bob, bob_name, message


async def test_reaction_lifecycle(server, chat):
    space, alice, bob, bob_name, message = chat
    smile = await react(server, bob, message.name, "🙂")
    assert REACTION_NAME.match(smile.name) and smile.name.startswith(message.name + "/reactions/")
    assert smile.user.name == bob_name and smile.user.type == 1
    assert smile.emoji == reaction_pb2.Emoji(unicode="🙂")
    assert list((await list_reactions(server, alice, message.name)).reactions) == [smile]
    assert summaries(await get(server, alice, message.name)) == [("🙂", 1)]

    alice_smile = await react(server, alice, message.name, "🙂")
    thumbs = await react(server, alice, message.name, "👍")
    listed = await list_reactions(server, bob, message.name)
    assert [r.name for r in listed.reactions] == [smile.name, alice_smile.name, thumbs.name]
    assert not listed.next_page_token
    # Summaries: one per emoji, in the order each was first used, on GetMessage and ListMessages alike.
    assert summaries(await get(server, bob, message.name)) == [("🙂", 2), ("👍", 1)]
    [listed_message] = (await list_messages(server, bob, space)).messages
    assert summaries(listed_message) == [("🙂", 2), ("👍", 1)]

    await unreact(server, bob, smile.name)
    assert [r.name for r in (await list_reactions(server, alice, message.name)).reactions] == [
        alice_smile.name, thumbs.name]
    assert summaries(await get(server, alice, message.name)) == [("🙂", 1), ("👍", 1)]
    await unreact(server, alice, alice_smile.name)
    await unreact(server, alice, thumbs.name)
    assert summaries(await get(server, alice, message.name)) == []
    assert not (await list_reactions(server, alice, message.name)).reactions

    events = [e for e in await recorded(server, space.name) if "reaction" in e[0]]
    assert events == [
        (EventType.REACTION_CREATED.value, smile.name), (EventType.REACTION_CREATED.value, alice_smile.name),
        (EventType.REACTION_CREATED.value, thumbs.name), (EventType.REACTION_DELETED.value, smile.name),
        (EventType.REACTION_DELETED.value, alice_smile.name), (EventType.REACTION_DELETED.value, thumbs.name)]


async def test_a_repeated_reaction_is_the_first_one(server, chat):
    space, alice, bob, _, message = chat
    first = await react(server, bob, message.name, "🎉")
    again = await react(server, bob, message.name, "🎉")
    assert again == first
    assert summaries(await get(server, alice, message.name)) == [("🎉", 1)]
    assert len([e for e in await recorded(server, space.name) if e[0] == EventType.REACTION_CREATED.value]) == 1
    # After removing it, reacting again makes a new reaction.
    await unreact(server, bob, first.name)
    renewed = await react(server, bob, message.name, "🎉")
    assert renewed.name != first.name


async def test_concurrent_repeats_make_one_reaction(server, chat):
    _, alice, bob, _, message = chat
    made = await asyncio.gather(*(react(server, bob, message.name, "🔥") for _ in range(8)))
    assert len({r.name for r in made}) == 1
    assert summaries(await get(server, alice, message.name)) == [("🔥", 1)]


async def test_reacting_by_client_assigned_message_id(server, chat):
    space, alice, bob, _, _ = chat
    named = await post(server, alice, space, "mine", message_id="client-named")
    reaction = await react(server, bob, f"{space.name}/messages/client-named", "👀")
    assert reaction.name.startswith(named.name + "/reactions/")  # canonical names only
    listed = await list_reactions(server, alice, f"{space.name}/messages/client-named")
    assert [r.name for r in listed.reactions] == [reaction.name]
    await unreact(server, bob, f"{space.name}/messages/client-named/reactions/{reaction.name.rsplit('/', 1)[1]}")
    assert not (await list_reactions(server, alice, named.name)).reactions


async def test_custom_emoji_reactions(server, chat):
    space, alice, bob, bob_name, message = chat
    parrot = await add_custom_emoji(server)
    reaction = await react(server, bob, message.name, uid=parrot.uid)
    assert reaction.emoji.custom_emoji == reaction_pb2.CustomEmoji(
        uid=parrot.uid, name=f"customEmojis/{parrot.id}", emoji_name=":party-parrot:")
    assert await react(server, bob, message.name, uid=parrot.uid) == reaction
    await react(server, alice, message.name, "🙂")
    await react(server, alice, message.name, uid=parrot.uid)
    got = await get(server, alice, message.name)
    assert summaries(got) == [(parrot.uid, 2), ("🙂", 1)]
    assert got.emoji_reaction_summaries[0].emoji.custom_emoji.emoji_name == ":party-parrot:"

    details = await failure(react(server, bob, message.name, uid="no-such-uid"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "CUSTOM_EMOJI_NOT_FOUND"


async def test_only_the_reacting_user_deletes(server, chat):
    _, alice, bob, _, message = chat
    reaction = await react(server, bob, message.name)
    # Not even the message's sender, who is also the space's manager.
    details = await failure(unreact(server, alice, reaction.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_REACTION_CREATOR"
    await unreact(server, bob, reaction.name)
    details = await failure(unreact(server, bob, reaction.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "REACTION_NOT_FOUND"
    await failure(unreact(server, bob, message.name + "/reactions/nothere"), grpc.StatusCode.NOT_FOUND)


async def test_invalid_arguments_name_the_field(server, chat):
    space, alice, _, _, message = chat
    chat_ = server.chat
    cases = [
        (react(server, alice, space.name), "parent"),
        (react(server, alice, "spaces/x/messages/"), "parent"),
        (react(server, alice, message.name, "abc"), "reaction.emoji.unicode"),
        (react(server, alice, message.name, "🙂 "), "reaction.emoji.unicode"),
        (react(server, alice, message.name, "🙂" * 40), "reaction.emoji.unicode"),
        (chat_.CreateReaction(reaction_pb2.CreateReactionRequest(parent=message.name), metadata=alice),
         "reaction.emoji"),
        (chat_.CreateReaction(reaction_pb2.CreateReactionRequest(parent=message.name, reaction=reaction_pb2.Reaction(
            emoji=reaction_pb2.Emoji(custom_emoji=reaction_pb2.CustomEmoji(emoji_name=":x:")))), metadata=alice),
         "reaction.emoji.custom_emoji.uid"),
        (list_reactions(server, alice, space.name), "parent"),
        (list_reactions(server, alice, message.name, page_size=-1), "page_size"),
        (list_reactions(server, alice, message.name, page_token="forged"), "page_token"),
        (unreact(server, alice, message.name), "name"),
        (unreact(server, alice, message.name + "/reactions/a/b"), "name"),
    ]
    for call, field in cases:
        details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], field


async def test_reactions_need_a_message_that_exists(server, chat):
    space, alice, bob, _, message = chat
    missing = f"{space.name}/messages/nothere"
    for call in (react(server, bob, missing), list_reactions(server, bob, missing),
                 unreact(server, bob, missing + "/reactions/abc")):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    reaction = await react(server, bob, message.name)
    await server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=message.name), metadata=alice)
    for call in (react(server, bob, message.name), list_reactions(server, bob, message.name),
                 unreact(server, bob, reaction.name)):
        await failure(call, grpc.StatusCode.NOT_FOUND)
    [tombstone] = (await list_messages(server, bob, space, show_deleted=True)).messages
    assert tombstone.HasField("delete_time") and not tombstone.emoji_reaction_summaries


async def test_private_messages_are_reacted_to_by_their_viewer_only(server, bot_room):
    space, alice, bob, bob_name, bot = bot_room
    private = await post(server, bot, space, message=message_pb2.Message(
        text="only for bob", private_message_viewer={"name": bob_name}))
    await react(server, bob, private.name, "👍")
    for call in (react(server, alice, private.name), list_reactions(server, alice, private.name)):
        await failure(call, grpc.StatusCode.NOT_FOUND)


async def test_chat_import_alone_reaches_import_mode_spaces_only(server, chat):
    _, _, _, _, message = chat
    importer = server.md(user="alice@example.com", scopes=("chat.import",))
    details = await failure(react(server, importer, message.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_MODE_SPACE_REQUIRED"


async def seed_reactions(server, message_name: str, count: int, *, per_message: int = 0) -> None:
    """`count` reactions by different (made-up) users with one emoji, written straight into the store."""
    space_id, message_id = message_name.split("/")[1], message_name.split("/")[3]
    rows = [dict(space_id=space_id, message_id=message_id, id=ids.opaque_id(), user_id=str(10**20 + n),
                 emoji_kind=1, emoji="🙂" if n % 2 else "👍", create_time_us=1_700_000_000_000_000 + n)
            for n in range(count)]
    async with server.running.db.engine.begin() as conn:
        await conn.execute(insert(reactions), rows)
        # Written behind the API's back: the message's stored snapshot no longer counts them, so it goes, and the
        # message is built from its columns when read (as a message stored before snapshots is).
        await conn.execute(update(messages).where(messages.c.space_id == space_id, messages.c.id == message_id)
                           .values(snapshot=None))


async def test_pages_of_reactions(server, chat):
    space, alice, bob, _, message = chat
    await seed_reactions(server, message.name, 230)
    first = await list_reactions(server, alice, message.name)
    assert len(first.reactions) == 25 and first.next_page_token  # the default page size
    capped = await list_reactions(server, alice, message.name, page_size=1000)
    assert len(capped.reactions) == 200  # the maximum
    seen, token = [], ""
    while True:
        page = await list_reactions(server, alice, message.name, page_size=70, page_token=token)
        seen += [r.name for r in page.reactions]
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) == 230
    assert seen[:200] == [r.name for r in capped.reactions]
    # The token is bound to the filter.
    details = await failure(list_reactions(server, alice, message.name, page_token=first.next_page_token,
                                           filter='emoji.unicode = "🙂"'), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["page_token"]
    assert summaries(await get(server, alice, message.name)) == [("👍", 115), ("🙂", 115)]


async def test_summaries_cost_one_query_per_page(server):
    alice = user(server, "alice@example.com")
    space = await test_messages.new_space(server, alice)
    await seed(server, space.name, senders=120)
    page = await list_messages(server, alice, space, page_size=120)
    for message in page.messages:
        await seed_reactions(server, message.name, 3)
    counts = {}
    for size in (10, 100):
        with StatementCounter(server) as counter:
            listed = await list_messages(server, alice, space, page_size=size)
        assert all(summaries(m) == [("👍", 2), ("🙂", 1)] for m in listed.messages)
        counts[size] = len(counter.statements)
    assert counts[10] == counts[100], counts


async def test_a_non_member_learns_nothing(server, chat):
    space, _, bob, _, message = chat
    reaction = await react(server, bob, message.name)
    mallory = user(server, "mallory@example.com")
    missing = "spaces/AAAAmissing/messages/x"
    for real, absent in ((react(server, mallory, message.name), react(server, mallory, missing)),
                         (list_reactions(server, mallory, message.name), list_reactions(server, mallory, missing)),
                         (unreact(server, mallory, reaction.name), unreact(server, mallory, missing + "/reactions/y"))):
        seen = await failure(real, grpc.StatusCode.NOT_FOUND)
        expected = await failure(absent, grpc.StatusCode.NOT_FOUND)
        assert seen["ErrorInfo"].reason == expected["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    assert len((await list_reactions(server, bob, message.name)).reactions) == 1
