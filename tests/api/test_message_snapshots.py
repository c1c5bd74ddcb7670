"""Each message's stored snapshot (messages.snapshot, which ListMessages splices into its answer) equals a fresh
encoding of the message after every kind of write, and rows without a current snapshot are built on read."""
import asyncio

import grpc
from google.chat.v1 import message_pb2, reaction_pb2
from google.protobuf import field_mask_pb2
from sqlalchemy import select, update

from chatsvc.aip import names
from chatsvc.api.message_protos import MessageSnapshots, snapshot_message
from chatsvc.domain.reaction_summaries import with_summaries
from chatsvc.storage.tables import messages
from tests.api.media_support import media_room, post, upload_token, with_tokens
from tests.api.test_messages import _card
from tests.api.test_reactions import add_custom_emoji, react, unreact
from tests.helpers import failure

SNAPSHOTS = MessageSnapshots()
Reply = message_pb2.CreateMessageRequest.MessageReplyOption


async def _rows(server, space_name: str) -> dict[str, bytes | None]:
    """Every message of the space (tombstones too): id -> stored snapshot."""
    space_id = names.space(space_name)
    async with server.running.db.engine.connect() as conn:
        rows = await conn.execute(select(messages.c.id, messages.c.snapshot).where(messages.c.space_id == space_id))
        return {row.id: row.snapshot for row in rows}


async def _fresh(server, space_name: str, message_id: str) -> bytes:
    """The message's snapshot built from its columns, sender and reactions, as a message without one is read."""
    space_id = names.space(space_name)
    async with server.running.db.transaction() as repos:
        message = await repos.messages.get(space_id, message_id)
        [message] = await with_summaries(repos, [message])
        message.sender = (await repos.users.get_many({message.sender_id})).get(message.sender_id)
        return SNAPSHOTS(message)


def _listed(server, md, space, **request):
    request.setdefault("page_size", 1000)
    return server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name, show_deleted=True, **request),
                                    metadata=md)


async def _check(server, space, *callers) -> dict[str, bytes]:
    """Every stored snapshot is current and equals a fresh one; ListMessages (gRPC, spliced) and GetMessage answer
    `callers` those messages. Returns the snapshots by message id."""
    stored = await _rows(server, space.name)
    for message_id, snapshot in stored.items():
        assert snapshot is not None and snapshot.startswith(SNAPSHOTS.current), message_id
        assert snapshot == await _fresh(server, space.name, message_id), message_id
    answered = {}
    for caller in callers:  # between them, they see every message (a private one only its viewer)
        for message in (await _listed(server, caller, space)).messages:
            assert answered.setdefault(names.message(message.name)[1], message) == message
            if not message.HasField("delete_time"):
                assert await server.chat.GetMessage(message_pb2.GetMessageRequest(name=message.name),
                                                    metadata=caller) == message
    assert {i: snapshot_message(s) for i, s in stored.items()} == answered
    return stored


def _reply(server, md, space, message):
    return server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message, message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL), metadata=md)


def _update(server, md, message, mask: str):
    return server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message, update_mask=field_mask_pb2.FieldMask(paths=mask.split(","))), metadata=md)


def _delete(server, md, name, force=False):
    return server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=name, force=force), metadata=md)


async def test_snapshots_follow_every_write(server):
    space, alice, bob, bot = await media_room(server)
    bob_name = (await post(server, bob, space.name, message_pb2.Message(text="hi"))).sender.name
    seen = await _check(server, space, alice, bob)

    async def changed(name: str) -> None:
        """Checks every snapshot, and that the one of `name` changed."""
        nonlocal seen
        before = seen.get(names.message(name)[1])
        seen = await _check(server, space, alice, bob)
        assert seen[names.message(name)[1]] != before

    # Creation: plain, with a mention, a thread reply, an app's card, a private message, an attachment, a quote.
    root = await post(server, alice, space.name, message_pb2.Message(text=f"ping <{bob_name}> *now*"))
    await changed(root.name)
    reply = await _reply(server, bob, space, message_pb2.Message(text="pong", thread=root.thread))
    await changed(reply.name)
    card = await post(server, bot, space.name, message_pb2.Message(text="build", cards_v2=[_card("Build red")]))
    await changed(card.name)
    private = await post(server, bot, space.name, message_pb2.Message(
        text="just you", private_message_viewer={"name": bob_name}))
    assert names.message(private.name)[1] in await _rows(server, space.name)
    token = await upload_token(server, alice, space.name, b"%PDF-1.7", "q3.pdf", "application/pdf")
    attached = await post(server, alice, space.name, with_tokens(token, text="the report"))
    await changed(attached.name)
    quoting = await _reply(server, bob, space, message_pb2.Message(
        text="agreed", thread=root.thread, quoted_message_metadata=message_pb2.QuotedMessageMetadata(
            name=root.name, last_update_time=root.create_time)))
    await changed(quoting.name)
    upserted = await server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message_pb2.Message(name=f"{space.name}/messages/client-upsert", text="made by an update"),
        update_mask=field_mask_pb2.FieldMask(paths=["text"]), allow_missing=True), metadata=alice)
    await changed(upserted.name)

    # Edits: text (and with it the mentions), an app's cards, an attachment, a removed quote.
    await _update(server, alice, message_pb2.Message(name=root.name, text="ping again, <users/all>"), "text")
    await changed(root.name)
    await _update(server, bot, message_pb2.Message(name=card.name, cards_v2=[_card("Build green")]), "cards_v2")
    await changed(card.name)
    token = await upload_token(server, alice, space.name, b"%PDF-1.7 v2", "q4.pdf", "application/pdf")
    updated = with_tokens(token)
    updated.name = attached.name
    await _update(server, alice, updated, "attachment")
    await changed(attached.name)
    await _update(server, bob, message_pb2.Message(name=quoting.name), "quoted_message_metadata")
    await changed(quoting.name)

    # Reactions: added, a second emoji, a custom emoji, removed down to none.
    first = await react(server, bob, root.name, "👍")
    await changed(root.name)
    await react(server, alice, root.name, "👍")
    await changed(root.name)
    custom = await add_custom_emoji(server)
    parrot = await react(server, alice, root.name, uid=custom.uid)
    await changed(root.name)
    await unreact(server, alice, parrot.name)
    await changed(root.name)
    await react(server, bob, root.name, "👍")  # a repeat changes nothing
    seen = await _check(server, space, alice, bob)
    await unreact(server, bob, first.name)
    await changed(root.name)
    await react(server, alice, reply.name, "🎉")
    await changed(reply.name)

    # Deletions: by the sender, by an app (its own), by a space manager, and a thread with its replies.
    await _delete(server, alice, attached.name)
    await changed(attached.name)
    await _delete(server, bot, card.name)
    await changed(card.name)
    await _delete(server, alice, upserted.name)
    await changed(upserted.name)
    await _delete(server, alice, root.name, force=True)
    await changed(root.name)
    stored = await _rows(server, space.name)
    for name in (root.name, reply.name, quoting.name):
        assert snapshot_message(stored[names.message(name)[1]]).HasField("delete_time"), name
    await failure(react(server, bob, reply.name), grpc.StatusCode.NOT_FOUND)

    # The private message is in bob's list only, from its snapshot.
    listed = await _listed(server, bob, space)
    assert [m for m in listed.messages if m.name == private.name] == [
        snapshot_message(stored[names.message(private.name)[1]])]


async def test_messages_without_a_current_snapshot_are_built_on_read(server):
    space, alice, bob, _ = await media_room(server)
    made = [await post(server, alice, space.name, message_pb2.Message(text=f"m{n}")) for n in range(5)]
    await react(server, bob, made[1].name, "👍")
    expected = list((await _listed(server, bob, space)).messages)
    # Rows older than snapshots (NULL) and snapshots of another format are read from their columns.
    space_id = names.space(space.name)
    async with server.running.db.engine.begin() as conn:
        for message, value in ((made[1], None), (made[2], b"\x00stale"), (made[4], None)):
            await conn.execute(update(messages).where(
                messages.c.space_id == space_id, messages.c.id == names.message(message.name)[1]).values(
                snapshot=value))
    assert list((await _listed(server, bob, space)).messages) == expected
    pages = [await _listed(server, bob, space, page_size=2)]
    while pages[-1].next_page_token:
        pages.append(await _listed(server, bob, space, page_size=2, page_token=pages[-1].next_page_token))
    assert [m for page in pages for m in page.messages] == expected
    # A write that rewrites the snapshot from the stored one (a reaction) builds it whole instead.
    await react(server, alice, made[1].name, "🎉")
    await react(server, alice, made[2].name, "🎉")
    stored = await _rows(server, space.name)
    for message in made[1:3]:
        message_id = names.message(message.name)[1]
        assert stored[message_id] == await _fresh(server, space.name, message_id)
    assert [s.reaction_count for s in snapshot_message(stored[names.message(made[1].name)[1]])
            .emoji_reaction_summaries] == [1, 1]
    assert stored[names.message(made[4].name)[1]] is None
    fresh = [snapshot_message(await _fresh(server, space.name, names.message(m.name)[1])) for m in made]
    assert list((await _listed(server, bob, space)).messages) == fresh


async def test_concurrent_reactions_are_all_counted(server):
    space, alice, bob, _ = await media_room(server)
    message = await post(server, alice, space.name, message_pb2.Message(text="react"))
    emoji = ["👍", "🎉", "🙂", "🚀", "👀", "❤️", "🔥", "✅"]
    await asyncio.gather(*(react(server, md, message.name, e) for e in emoji for md in (alice, bob)))
    stored = await _check(server, space, alice, bob)
    counted = snapshot_message(stored[names.message(message.name)[1]]).emoji_reaction_summaries
    assert sorted(s.reaction_count for s in counted) == [2] * len(emoji)
    assert reaction_pb2.Emoji(unicode="👍") in [s.emoji for s in counted]
