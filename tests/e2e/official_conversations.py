"""Conversations through Google's official client: idempotent retries, client-assigned ids, threads,
edits and deletes, paging through more than 1,000 messages, and direct-message set-up.

Runs under the official client's own interpreter (.venv-official) in its own process, like
official_flow.py, whose Caller and check helpers it uses.

Usage: official_conversations.py TARGET   (tokens in CHATSVC_E2E_TOKEN and CHATSVC_E2E_BOB_TOKEN)
Exit 0 and one JSON summary on stdout when every check passes; otherwise exit 1 with the failed check.
"""
from __future__ import annotations

import os
import sys
import uuid

import grpc
from google.api_core import exceptions as api_exceptions
from google.apps import chat_v1
from google.protobuf import field_mask_pb2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
from official_flow import Caller, CheckFailed, check, main  # noqa: E402

BULK = 1_020
Reply = chat_v1.CreateMessageRequest.MessageReplyOption


def run(target: str, alice_token: str, bob_token: str) -> dict:
    channel = grpc.insecure_channel(target)
    alice, bob = Caller(channel, alice_token), Caller(channel, bob_token)
    summary: dict = {}

    # A retried CreateSpace with the same request_id creates one space.
    request = chat_v1.CreateSpaceRequest(
        space=chat_v1.Space(display_name=f"Conversations {uuid.uuid4().hex[:6]}",
                            space_type=chat_v1.Space.SpaceType.SPACE),
        request_id=str(uuid.uuid4()))
    space = alice.create_space(request=request)
    check(alice.create_space(request=request).name == space.name, "a retried CreateSpace made a second space")
    alice.create_membership(parent=space.name,
                            membership=chat_v1.Membership(member=chat_v1.User(name="users/bob@example.com")))

    # A client-assigned id, and a retried CreateMessage with the same request_id.
    create = chat_v1.CreateMessageRequest(parent=space.name, message=chat_v1.Message(text="root"),
                                          message_id="client-root", request_id=str(uuid.uuid4()))
    root = alice.create_message(request=create)
    check(alice.create_message(request=create).name == root.name, "a retried CreateMessage made a second message")
    by_client_id = alice.get_message(name=f"{space.name}/messages/client-root")
    check(by_client_id.name == root.name and by_client_id.client_assigned_message_id == "client-root",
          "GetMessage by client id did not find the message")

    # Threads: by name, and by key with fallback to a new thread.
    reply = bob.create_message(request=chat_v1.CreateMessageRequest(
        parent=space.name, message=chat_v1.Message(text="reply", thread=chat_v1.Thread(name=root.thread.name)),
        message_reply_option=Reply.REPLY_MESSAGE_OR_FAIL))
    check(reply.thread.name == root.thread.name and reply.thread_reply, "reply by thread name missed the thread")
    keyed = [alice.create_message(request=chat_v1.CreateMessageRequest(
        parent=space.name, message=chat_v1.Message(text=f"keyed {i}", thread=chat_v1.Thread(thread_key="topic")),
        message_reply_option=Reply.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)) for i in range(2)]
    check(keyed[0].thread.name == keyed[1].thread.name != root.thread.name, "thread_key did not group messages")
    check(not keyed[0].thread_reply and keyed[1].thread_reply, "thread_reply wrong for keyed messages")
    in_thread = list(alice.list_messages(request=chat_v1.ListMessagesRequest(
        parent=space.name, filter=f'thread.name = "{root.thread.name}"')))
    check([m.name for m in in_thread] == [root.name, reply.name], "thread.name filter returned the wrong messages")

    # Edit, then delete.
    edited = alice.update_message(message=chat_v1.Message(name=root.name, text="root, edited"),
                                  update_mask=field_mask_pb2.FieldMask(paths=["text"]))
    check(edited.text == "root, edited" and edited.last_update_time, "UpdateMessage did not edit the text")
    bob.delete_message(name=reply.name)
    try:
        alice.get_message(name=reply.name)
        raise CheckFailed("a deleted message is still returned")
    except api_exceptions.NotFound:
        pass
    deleted = [m for m in alice.list_messages(request=chat_v1.ListMessagesRequest(
        parent=space.name, show_deleted=True)) if m.name == reply.name]
    check(len(deleted) == 1 and deleted[0].delete_time and not deleted[0].text,
          "show_deleted does not show the deleted message without its content")

    # More than 1,000 messages, paged with the largest page size.
    for i in range(BULK):
        alice.create_message(parent=space.name, message=chat_v1.Message(text=f"bulk {i}"))
    pager = alice.list_messages(request=chat_v1.ListMessagesRequest(parent=space.name, page_size=1000))
    pages = [list(page.messages) for page in pager.pages]
    listed = [m.name for page in pages for m in page]
    expected = BULK + 3  # root and the two keyed messages; the deleted reply is hidden
    check(len(listed) == len(set(listed)) == expected, f"paged {len(listed)} messages, expected {expected}")
    check([len(p) for p in pages] == [1000, expected - 1000], f"page sizes {[len(p) for p in pages]}")
    summary.update(space=space.name, messages_paged=len(listed), page_sizes=[len(p) for p in pages])

    # A direct message is set up once; setting it up again or finding it returns the same space.
    dm_request = chat_v1.SetUpSpaceRequest(
        space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.DIRECT_MESSAGE),
        memberships=[chat_v1.Membership(member=chat_v1.User(name="users/carol@example.com",
                                                            type_=chat_v1.User.Type.HUMAN))])
    dm = alice.set_up_space(request=dm_request)
    check(dm.space_type == chat_v1.Space.SpaceType.DIRECT_MESSAGE, "SetUpSpace did not make a DM")
    check(alice.set_up_space(request=dm_request).name == dm.name, "a second SetUpSpace made another DM")
    found = alice.find_direct_message(request=chat_v1.FindDirectMessageRequest(name="users/carol@example.com"))
    check(found.name == dm.name, "FindDirectMessage did not find the DM")
    summary.update(dm=dm.name)
    channel.close()
    return summary


if __name__ == "__main__":
    sys.exit(main(sys.argv, run, __doc__))
