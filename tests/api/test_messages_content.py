"""What a message carries and who may send it: @mentions and their annotations, announcement spaces,
private messages, quotes, notification options, import mode."""
import grpc
from google.chat.v1 import annotation_pb2, message_pb2, space_pb2, user_pb2
from google.protobuf import field_mask_pb2, timestamp_pb2
from sqlalchemy import update

from chatsvc.domain.permissions import Preset, preset
from chatsvc.storage.repos.spaces import permissions_to_json
from chatsvc.storage.tables import spaces
from tests.api import test_messages
from tests.api.test_messages import (
    Reply,
    get,
    list_messages,
    new_space,
    post,
)
from tests.helpers import failure, field_of, user

# The fixtures of test_messages, shared.
room, bot_room = test_messages.room, test_messages.bot_room

Quote = message_pb2.QuotedMessageMetadata
Notification = message_pb2.CreateMessageNotificationOptions.NotificationType


async def make_announcement_space(server, space):
    """Gives the space Google's announcement permission settings (managers post, everyone replies)."""
    async with server.running.db.engine.begin() as conn:
        await conn.execute(update(spaces).where(spaces.c.id == space.name.split("/")[1]).values(
            permissions=permissions_to_json(preset(Preset.ANNOUNCEMENT_SPACE))))


async def test_user_mentions_become_annotations(server, bot_room):
    space, alice, bob, bob_name, bot = bot_room
    bot_name = (await post(server, bot, space, "hi")).sender.name
    text = (f"hey <users/{bob_name.split('/')[1]}> and <users/BOB@example.com>, "
            f"<users/{bot_name.split('/')[1]}> ping <users/all> <users/123456789> <users/nobody@example.com>")
    created = await post(server, alice, space, text)
    assert created.text == ("hey @bob and @bob, @helper-bot ping @all <users/123456789> "
                            "<users/nobody@example.com>")
    assert created.formatted_text == (f"hey <users/{bob_name.split('/')[1]}> and <users/{bob_name.split('/')[1]}>, "
                                      f"<users/{bot_name.split('/')[1]}> ping <users/all> <users/123456789> "
                                      "<users/nobody@example.com>")
    assert created.argument_text == ("hey @bob and @bob,  ping @all <users/123456789> "
                                     "<users/nobody@example.com>")
    found = [(a.start_index, a.length, a.user_mention.user.name, a.user_mention.user.type,
              a.user_mention.user.display_name) for a in created.annotations]
    human, bot_type = user_pb2.User.Type.HUMAN, user_pb2.User.Type.BOT
    assert found == [(4, 4, bob_name, human, "bob"), (13, 4, bob_name, human, "bob"),
                     (19, 11, bot_name, bot_type, "helper-bot"), (36, 4, "users/all", 0, "all")]
    assert all(a.type == annotation_pb2.AnnotationType.USER_MENTION and a.HasField("start_index")
               and a.user_mention.type == annotation_pb2.UserMentionMetadata.Type.MENTION
               for a in created.annotations)
    for a in created.annotations:
        assert created.text[a.start_index:a.start_index + a.length].startswith("@")
    assert await get(server, bob, created.name) == created
    assert (await list_messages(server, bob, space)).messages[-1] == created


async def test_announcement_space_permissions(server, room):
    space, alice, bob, _ = room
    await make_announcement_space(server, space)
    # Managers post new threads; members may only reply.
    news = await post(server, alice, space, "news", thread_key="news",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    details = await failure(post(server, bob, space, "me too"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "POST_MESSAGES_NOT_PERMITTED"
    reply = await post(server, bob, space, message=message_pb2.Message(
        text="thanks", thread=message_pb2.Thread(name=news.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert reply.thread_reply
    # A reply that falls back to a new thread is a new post, and is refused.
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="x", thread=message_pb2.Thread(name=f"{space.name}/threads/unknown")),
        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "POST_MESSAGES_NOT_PERMITTED"
    # @all is for managers in an announcement space.
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="<users/all> look", thread=message_pb2.Thread(name=news.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "MENTION_ALL_NOT_PERMITTED"
    await post(server, alice, space, "<users/all> look")
    assert len((await list_messages(server, bob, space)).messages) == 3


async def test_private_messages(server, bot_room):
    space, alice, bob, bob_name, bot = bot_room
    private = await post(server, bot, space, message=message_pb2.Message(
        text="only for bob", private_message_viewer=user_pb2.User(name=bob_name)))
    public = await post(server, bot, space, "for everyone")
    assert private.private_message_viewer.name == bob_name
    assert await get(server, bob, private.name) == private
    assert await get(server, bot, private.name) == private
    details = await failure(get(server, alice, private.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    assert [m.name for m in (await list_messages(server, bob, space)).messages] == [private.name, public.name]
    assert [m.name for m in (await list_messages(server, alice, space)).messages] == [public.name]
    # chat.app.messages.readonly lists public messages only.
    reader = server.md(app="helper-bot", scopes=["chat.app.messages.readonly"])
    assert [m.name for m in (await list_messages(server, reader, space)).messages] == [public.name]
    # Only an app sends them, to a human, without attachments.
    details = await failure(post(server, alice, space, message=message_pb2.Message(
        text="psst", private_message_viewer=user_pb2.User(name=bob_name))), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_REQUIRED"
    for viewer, code, field in (("users/app", grpc.StatusCode.INVALID_ARGUMENT, "message.private_message_viewer.name"),
                                ("users/123456789", grpc.StatusCode.NOT_FOUND, None),
                                ("bob", grpc.StatusCode.INVALID_ARGUMENT, "message.private_message_viewer.name")):
        details = await failure(post(server, bot, space, message=message_pb2.Message(
            text="x", private_message_viewer=user_pb2.User(name=viewer))), code)
        if field:
            assert field_of(details) == [field], viewer
    details = await failure(post(server, bot, space, message=message_pb2.Message(
        text="x", private_message_viewer=user_pb2.User(name=bob_name),
        attachment=[{"name": f"{space.name}/messages/m/attachments/a"}])), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.attachment"]


def _quote(message, **fields):
    stamp = message.last_update_time if message.HasField("last_update_time") else message.create_time
    return Quote(**{"name": message.name, "last_update_time": stamp, **fields})


async def test_quotes(server, room):
    space, alice, bob, bob_name = room
    root = await post(server, alice, space, "original", thread_key="q",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    reply = await post(server, bob, space, "a reply", thread_key="q", message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    # A new thread quotes another thread's first message.
    quoting = await post(server, bob, space, message=message_pb2.Message(text="quoting",
                                                                         quoted_message_metadata=_quote(root)))
    metadata = quoting.quoted_message_metadata
    assert metadata.name == root.name and metadata.quote_type == Quote.QuoteType.REPLY
    assert metadata.last_update_time == root.create_time
    assert metadata.quoted_message_snapshot.sender == root.sender.name
    assert metadata.quoted_message_snapshot.text == "original"
    assert await get(server, alice, quoting.name) == quoting
    # A reply quotes within its own thread.
    inside = await post(server, alice, space, message=message_pb2.Message(
        text="in thread", thread=message_pb2.Thread(name=root.thread.name), quoted_message_metadata=_quote(reply)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert inside.quoted_message_metadata.name == reply.name
    # But a new thread can't quote a reply, and a stale version can't be quoted.
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="x", quoted_message_metadata=_quote(reply))), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata.name"]
    stale = Quote(name=root.name, last_update_time=timestamp_pb2.Timestamp(seconds=1))
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="x", quoted_message_metadata=stale)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata.last_update_time"]
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="x", quoted_message_metadata=Quote(name=root.name))), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata.last_update_time"]
    details = await failure(post(server, bob, space, message=message_pb2.Message(
        text="x", quoted_message_metadata=_quote(root, name=f"{space.name}/messages/nosuch"))),
        grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    # FORWARD quotes a message of another space the caller reads; REPLY may not.
    other = await new_space(server, alice)
    details = await failure(post(server, alice, other, message=message_pb2.Message(
        text="x", quoted_message_metadata=_quote(root))), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata.name"]
    forwarded = await post(server, alice, other, message=message_pb2.Message(
        text="fwd", quoted_message_metadata=_quote(reply, quote_type=Quote.QuoteType.FORWARD)))
    assert forwarded.quoted_message_metadata.forwarded_metadata.space == space.name
    assert forwarded.quoted_message_metadata.forwarded_metadata.space_display_name == space.display_name
    details = await failure(post(server, bob, other, "x"), grpc.StatusCode.NOT_FOUND)  # bob isn't in `other`

    # An update removes a quote, keeps an unchanged one, and refuses to add or replace one.
    def edit(message, mask, **fields):
        return server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
            message=message_pb2.Message(name=message.name, **fields),
            update_mask=field_mask_pb2.FieldMask(paths=mask)), metadata=bob)

    kept = await edit(quoting, ["text", "quoted_message_metadata"], text="edited",
                      quoted_message_metadata=_quote(root))
    assert kept.quoted_message_metadata.name == root.name and kept.text == "edited"
    details = await failure(edit(quoting, ["quoted_message_metadata"], quoted_message_metadata=_quote(reply)),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata"]
    removed = await edit(quoting, ["quoted_message_metadata"])
    assert not removed.HasField("quoted_message_metadata") and removed.text == "edited"
    details = await failure(edit(quoting, ["quotedMessageMetadata"], quoted_message_metadata=_quote(root)),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.quoted_message_metadata"]


async def test_thread_reply_is_kept(server, room):
    space, alice, bob, _ = room
    root = await post(server, alice, space, "root", thread_key="k",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    reply = await post(server, bob, space, "reply", thread_key="k", message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    assert (await get(server, alice, reply.name)).thread_reply
    assert not (await get(server, alice, root.name)).thread_reply
    assert [m.thread_reply for m in (await list_messages(server, alice, space)).messages] == [False, True]


async def test_notification_options(server, bot_room):
    space, alice, _, _, bot = bot_room

    def send(md, kind):
        return server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text="n"),
            create_message_notification_options={"notification_type": kind}), metadata=md)

    assert not (await send(alice, Notification.NOTIFICATION_TYPE_NONE)).silent
    for kind in (Notification.NOTIFICATION_TYPE_SILENT, Notification.NOTIFICATION_TYPE_FORCE_NOTIFY):
        details = await failure(send(alice, kind), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_REQUIRED"
    silent = await send(bot, Notification.NOTIFICATION_TYPE_SILENT)
    assert silent.silent and (await get(server, alice, silent.name)).silent
    assert not (await send(bot, Notification.NOTIFICATION_TYPE_FORCE_NOTIFY)).silent
    details = await failure(send(bot, 7), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["create_message_notification_options.notification_type"]


async def test_import_scope_reaches_import_mode_spaces_only(server, room):
    space, _, _, _ = room
    importer = server.md(user="alice@example.com", scopes=["chat.import"])
    details = await failure(post(server, importer, space, "x"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_MODE_SPACE_REQUIRED"
    details = await failure(list_messages(server, importer, space), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "IMPORT_MODE_SPACE_REQUIRED"
    imported = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Imported", import_mode=True)), metadata=importer)
    # Import mode keeps historical create times.
    then = timestamp_pb2.Timestamp(seconds=1_500_000_000)
    old = await post(server, importer, imported, message=message_pb2.Message(text="old", create_time=then))
    assert old.create_time == then
    listed = (await list_messages(server, importer, imported)).messages
    assert [m.name for m in listed] == [old.name]
    future = timestamp_pb2.Timestamp(seconds=4_000_000_000)
    details = await failure(post(server, importer, imported, message=message_pb2.Message(text="x", create_time=future)),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.create_time"]
    # Outside import mode create_time is output only.
    alice = user(server, "alice@example.com")
    ignored = await post(server, alice, space, message=message_pb2.Message(text="now", create_time=then))
    assert ignored.create_time.seconds > then.seconds
