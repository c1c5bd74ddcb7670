"""UpdateMessage and DeleteMessage over gRPC: lifecycles, masks, allow_missing, who may edit and delete,
threads deleted with `force`, tombstones."""
import grpc
from google.apps.card.v1 import card_pb2
from google.chat.v1 import membership_pb2, message_pb2, user_pb2
from google.protobuf import empty_pb2, field_mask_pb2

from chatsvc.domain.events import EventType
from tests.api import test_messages
from tests.api.test_events_recorded import recorded
from tests.api.test_messages import (
    Reply,
    get,
    list_messages,
    post,
)
from tests.helpers import failure, field_of, user

# The fixtures of test_messages, shared.
room, bot_room = test_messages.room, test_messages.bot_room

Deletion = message_pb2.Message.DESCRIPTOR.fields_by_name["deletion_metadata"].message_type.enum_types_by_name[
    "DeletionType"].values_by_name


def update(server, md, name, mask=("text",), allow_missing=False, **fields):
    return server.chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message_pb2.Message(name=name, **fields), update_mask=field_mask_pb2.FieldMask(paths=list(mask)),
        allow_missing=allow_missing), metadata=md)


def delete(server, md, name, force=False):
    return server.chat.DeleteMessage(message_pb2.DeleteMessageRequest(name=name, force=force), metadata=md)


def _card(title):
    return message_pb2.CardWithId(card_id="c", card=card_pb2.Card(header=card_pb2.Card.CardHeader(title=title)))


def _deletion(name):
    return Deletion[name].number


async def deletion_type(server, md, space, name):
    """How the message `name` was deleted, as ListMessages with show_deleted tells."""
    listed = (await list_messages(server, md, space, show_deleted=True, page_size=1000)).messages
    (message,) = [m for m in listed if m.name == name]
    return message.deletion_metadata.deletion_type


async def test_update_lifecycle(server, room):
    space, alice, bob, _ = room
    created = await post(server, alice, space, "draft", message_id="client-edit-me")
    updated = await update(server, alice, created.name, text="final <users/all>")
    assert updated.name == created.name
    assert updated.text == "final @all" and updated.formatted_text == "final <users/all>"
    assert updated.create_time == created.create_time and updated.thread == created.thread
    assert updated.last_update_time.ToMicroseconds() >= created.create_time.ToMicroseconds()
    assert updated.sender == created.sender
    assert await get(server, bob, created.name) == updated
    # The client-assigned id names the message as well; camelCase and `*` masks work.
    again = await update(server, alice, f"{space.name}/messages/client-edit-me", mask=["*"], text="via client id")
    assert again.name == created.name and again.text == "via client id"
    assert (await update(server, alice, created.name, mask=["text"], text="x")).text == "x"
    events = await recorded(server, space.name)
    assert events.count((EventType.MESSAGE_UPDATED.value, created.name)) == 3


async def test_update_mask_errors(server, room):
    space, alice, _, _ = room
    created = await post(server, alice, space, "hello")
    for mask in ([], ["sender"], ["text", "create_time"], ["thread"], ["private_message_viewer"], ["nonsense"]):
        details = await failure(update(server, alice, created.name, mask=mask, text="x"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"], mask
    # An update may not leave the message empty, nor make it too large.
    details = await failure(update(server, alice, created.name, text=""), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message"]
    details = await failure(update(server, alice, created.name, text="x" * 32_001), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message.text"]
    for bad in ("", "spaces/x", f"{space.name}/threads/1"):
        details = await failure(update(server, alice, bad, text="x"), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["message.name"], bad
    for missing in (f"{space.name}/messages/nosuch", f"{space.name}/messages/client-nosuch"):
        details = await failure(update(server, alice, missing, text="x"), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    # Nothing was changed by the refused requests.
    assert (await get(server, alice, created.name)).text == "hello"


async def test_only_the_creator_updates(server, bot_room):
    space, alice, bob, _, bot = bot_room
    mine = await post(server, alice, space, "alice's")
    details = await failure(update(server, bob, mine.name, text="bob's now"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_MESSAGE_CREATOR"
    # A Chat app updates only its own messages, cards included; a user cannot update cards.
    details = await failure(update(server, bot, mine.name, text="app's now"), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_MESSAGE_CREATOR"
    apps = await post(server, bot, space, message=message_pb2.Message(text="status", cards_v2=[_card("old")]))
    changed = await update(server, bot, apps.name, mask=["cards_v2"], cards_v2=[_card("new")])
    assert [c.card.header.title for c in changed.cards_v2] == ["new"] and changed.text == "status"
    cleared = await update(server, bot, apps.name, mask=["cardsV2", "accessory_widgets"])
    assert not cleared.cards_v2 and cleared.text == "status"
    for mask in (["cards_v2"], ["accessory_widgets"], ["cards"]):
        details = await failure(update(server, alice, mine.name, mask=mask), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_REQUIRED", mask
    details = await failure(update(server, alice, mine.name, mask=["*"], text="t", cards_v2=[_card("x")]),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_REQUIRED"
    assert (await update(server, alice, mine.name, mask=["*"], text="star")).text == "star"


async def test_allow_missing_creates_by_client_id(server, room):
    space, alice, bob, _ = room
    name = f"{space.name}/messages/client-upsert"
    created = await update(server, alice, name, mask=[], allow_missing=True, text="made by update")
    assert created.client_assigned_message_id == "client-upsert" and created.text == "made by update"
    assert created.name != name and not created.HasField("last_update_time")
    assert await get(server, bob, name) == created
    # Once it exists, allow_missing updates it like any other message.
    updated = await update(server, alice, name, allow_missing=True, text="updated")
    assert updated.name == created.name and updated.text == "updated"
    events = await recorded(server, space.name)
    assert (EventType.MESSAGE_CREATED.value, created.name) in events
    # A system id that names nothing cannot be created; a malformed client id neither.
    for bad in (f"{space.name}/messages/nosuch", f"{space.name}/messages/client-UPPER"):
        details = await failure(update(server, alice, bad, allow_missing=True, text="x"),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["message.name"], bad
    details = await failure(update(server, alice, f"{space.name}/messages/client-empty", allow_missing=True),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["message"]


async def test_delete_lifecycle_leaves_a_tombstone(server, room):
    space, alice, bob, _ = room
    keep = await post(server, alice, space, "keep")
    gone = await post(server, alice, space, "gone <users/all>", message_id="client-gone")
    assert await delete(server, alice, f"{space.name}/messages/client-gone") == empty_pb2.Empty()
    details = await failure(get(server, bob, gone.name), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    with_deleted = (await list_messages(server, bob, space, show_deleted=True)).messages
    assert [m.name for m in with_deleted] == [keep.name, gone.name]
    tombstone = with_deleted[1]
    assert tombstone.name == gone.name and tombstone.create_time == gone.create_time
    assert tombstone.HasField("delete_time")
    assert tombstone.deletion_metadata.deletion_type == _deletion("CREATOR_VIA_APP")
    assert not tombstone.text and not tombstone.annotations and not tombstone.HasField("sender")
    assert not tombstone.thread.name and not tombstone.client_assigned_message_id
    assert tombstone == message_pb2.Message(name=gone.name, create_time=gone.create_time,
                                            delete_time=tombstone.delete_time,
                                            deletion_metadata=tombstone.deletion_metadata)
    assert [m.name for m in (await list_messages(server, bob, space)).messages] == [keep.name]
    assert (EventType.MESSAGE_DELETED.value, gone.name) in await recorded(server, space.name)
    # Gone is gone: neither deleted again nor updated.
    for call in (delete(server, alice, gone.name), update(server, alice, gone.name, text="back")):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "MESSAGE_NOT_FOUND"
    for bad in ("", f"{space.name}/members/1"):
        details = await failure(delete(server, alice, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["name"]


async def test_who_may_delete(server, bot_room):
    space, alice, bob, _, bot = bot_room
    alices, bobs = await post(server, alice, space, "a"), await post(server, bob, space, "b")
    apps = await post(server, bot, space, "from the app")
    # A member deletes neither another member's message nor an app's.
    for name in (alices.name, apps.name):
        details = await failure(delete(server, bob, name), grpc.StatusCode.PERMISSION_DENIED)
        assert details["ErrorInfo"].reason == "NOT_MESSAGE_CREATOR"
    # A Chat app deletes only its own messages.
    details = await failure(delete(server, bot, bobs.name), grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "NOT_MESSAGE_CREATOR"
    await delete(server, bot, apps.name)
    assert await deletion_type(server, alice, space, apps.name) == _deletion("CREATOR")
    # A space manager deletes anyone's message.
    await delete(server, alice, bobs.name)
    assert await deletion_type(server, bob, space, bobs.name) == _deletion("SPACE_OWNER_VIA_APP")


async def test_assistant_manager_moderates(server, room):
    space, alice, _, _ = room
    carol = user(server, "carol@example.com")
    added = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(name="users/carol@example.com"))),
        metadata=alice)
    await server.chat.UpdateMembership(membership_pb2.UpdateMembershipRequest(
        membership=membership_pb2.Membership(
            name=added.name, role=membership_pb2.Membership.MembershipRole.ROLE_ASSISTANT_MANAGER),
        update_mask=field_mask_pb2.FieldMask(paths=["role"])), metadata=alice)
    alices = await post(server, alice, space, "a")
    await delete(server, carol, alices.name)
    assert await deletion_type(server, alice, space, alices.name) == _deletion("SPACE_OWNER_VIA_APP")


async def test_force_deletes_a_thread(server, bot_room):
    space, alice, bob, _, bot = bot_room
    root = await post(server, alice, space, "root", thread_key="t",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    replies = [await post(server, who, space, f"reply {i}", thread_key="t",
                          message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL) for i, who in enumerate((alice, bob))]
    assert all(r.thread_reply and r.thread.name == root.thread.name for r in replies)
    details = await failure(delete(server, alice, root.name), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "MESSAGE_HAS_REPLIES"
    # A reply is deleted on its own; the root still has a live reply.
    await delete(server, alice, replies[0].name)
    await failure(delete(server, alice, root.name), grpc.StatusCode.FAILED_PRECONDITION)
    await delete(server, alice, root.name, force=True)
    listed = (await list_messages(server, bob, space, show_deleted=True)).messages
    assert [m.name for m in listed] == [root.name, replies[0].name, replies[1].name]
    assert all(m.HasField("delete_time") for m in listed)
    assert (await list_messages(server, bob, space)).messages == []
    events = await recorded(server, space.name)
    deleted = [n for t, n in events if t == EventType.MESSAGE_DELETED.value]
    assert deleted[0] == replies[0].name and sorted(deleted[1:]) == sorted([root.name, replies[1].name])
    # Once its replies are gone, a root needs no force.
    lone = await post(server, alice, space, "lone", thread_key="u",
                      message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    reply = await post(server, bob, space, "r", thread_key="u", message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    await delete(server, bob, reply.name)
    await delete(server, alice, lone.name)
    # `force` has no effect for a Chat app: its root goes, the replies stay.
    app_root = await post(server, bot, space, "app root", thread_key="v",
                          message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
    app_reply = await post(server, alice, space, message=message_pb2.Message(
        text="reply", thread=message_pb2.Thread(name=app_root.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL)
    await delete(server, bot, app_root.name)
    assert (await get(server, alice, app_reply.name)).text == "reply"


async def test_a_non_member_can_neither_update_nor_delete(server, room):
    space, alice, _, _ = room
    posted = await post(server, alice, space, "mine")
    eve = user(server, "eve@example.com")
    for call in (update(server, eve, posted.name, text="eve's"), delete(server, eve, posted.name),
                 update(server, eve, f"{space.name}/messages/client-new", allow_missing=True, text="x")):
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND"
    assert (await get(server, alice, posted.name)).text == "mine"
