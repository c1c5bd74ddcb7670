"""End-to-end flow against a running chatsvc with Google's official Python client, and nothing else.

Runs under the official client's own interpreter (.venv-official, see the `official` extra in
pyproject.toml), never under .venv: the official packages register google.chat.v1 in protobuf's default
pool and ship a `google.apps.card` package that would shadow our generated one. test_official_client.py
starts the server and runs this script with `python -I`.

Usage: official_flow.py TARGET
  TARGET                   host:port of a plaintext chatsvc
  env CHATSVC_E2E_TOKEN     bearer token of users/alice@example.com (chat.spaces, chat.memberships,
                           chat.messages); she creates the space
  env CHATSVC_E2E_BOB_TOKEN optional: bearer token of users/bob@example.com; when given, bob (added as a
                           member by alice) must see the space and its messages too

Exit 0 and one JSON summary on stdout when every check passes; otherwise exit 1 with the failed check on
stderr (an unexpected RPC error is reported with its code and message).
"""

from __future__ import annotations

import json
import os
import sys
import uuid

import grpc
from google.api_core import exceptions as api_exceptions
from google.apps import chat_v1
from google.apps.chat_v1.services.chat_service.transports import ChatServiceGrpcTransport

MESSAGES = 30
PAGE_SIZE = 7
THREAD_KEY = "e2e-thread"
# Which of the 30 messages are posted as replies into the THREAD_KEY thread (the first of them starts it:
# REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD falls back to a new thread named by the key).
REPLIES = {3, 4, 10, 17, 29}
DEADLINE = 10.0  # seconds per call


class CheckFailed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


class Caller:
    """The official client plus a bearer token carried as per-call metadata."""

    def __init__(self, channel: grpc.Channel, token: str):
        self.client = chat_v1.ChatServiceClient(transport=ChatServiceGrpcTransport(channel=channel))
        self.md = [("authorization", "Bearer " + token)]

    def __getattr__(self, rpc: str):
        method = getattr(self.client, rpc)

        def call(*args, **kwargs):
            return method(*args, metadata=self.md, timeout=DEADLINE, **kwargs)

        return call


def is_canonical_user(name: str) -> bool:
    user_id = name.removeprefix("users/")
    return name.startswith("users/") and bool(user_id) and "@" not in user_id and user_id not in ("me", "app")


def run(target: str, alice_token: str, bob_token: str | None) -> dict:
    channel = grpc.insecure_channel(target)
    alice = Caller(channel, alice_token)
    summary: dict = {"target": target}

    # --- spaces: create, get ---------------------------------------------------------------------------
    display_name = f"e2e {uuid.uuid4().hex[:8]}"
    space = alice.create_space(
        request=chat_v1.CreateSpaceRequest(
            space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE, display_name=display_name)
        )
    )
    check(isinstance(space, chat_v1.Space), f"create_space returned {type(space).__name__}")
    check(space.name.startswith("spaces/") and len(space.name) > len("spaces/"), f"space name {space.name!r}")
    check(space.display_name == display_name, f"display_name {space.display_name!r} != {display_name!r}")
    check(space.space_type == chat_v1.Space.SpaceType.SPACE, f"space_type {space.space_type!r}")
    summary["space"] = space.name

    got = alice.get_space(name=space.name)
    check(got.name == space.name, f"get_space returned {got.name!r}, expected {space.name!r}")
    check(got.display_name == display_name, f"get_space display_name {got.display_name!r}")
    check(got.space_type == chat_v1.Space.SpaceType.SPACE, f"get_space space_type {got.space_type!r}")

    # --- memberships: add bob by email alias, list -------------------------------------------------------
    bob_membership = alice.create_membership(
        request=chat_v1.CreateMembershipRequest(
            parent=space.name,
            membership=chat_v1.Membership(
                member=chat_v1.User(name="users/bob@example.com", type_=chat_v1.User.Type.HUMAN)
            ),
        )
    )
    check(bob_membership.name.startswith(space.name + "/members/"), f"membership name {bob_membership.name!r}")
    check("@" not in bob_membership.name, f"membership name carries an email: {bob_membership.name!r}")
    check(is_canonical_user(bob_membership.member.name),
          f"created membership's member is not canonical: {bob_membership.member.name!r}")
    check(bob_membership.state == chat_v1.Membership.MembershipState.JOINED,
          f"bob's membership state {bob_membership.state!r}")

    memberships = list(alice.list_memberships(parent=space.name))
    member_names = [m.name for m in memberships]
    user_names = [m.member.name for m in memberships]
    check(len(memberships) == 2, f"list_memberships returned {len(memberships)} memberships: {member_names}")
    for m in memberships:
        check(m.name.startswith(space.name + "/members/"), f"membership name {m.name!r}")
        check("@" not in m.name, f"membership name carries an email: {m.name!r}")
        check(is_canonical_user(m.member.name), f"member name not canonical users/{{id}}: {m.member.name!r}")
        check(m.name == f"{space.name}/members/{m.member.name.removeprefix('users/')}",
              f"membership {m.name!r} does not name its member {m.member.name!r}")
    check(len(set(user_names)) == 2, f"duplicate members: {user_names}")
    check(bob_membership.name in member_names, f"{bob_membership.name!r} not among {member_names}")
    summary["memberships"] = member_names
    summary["members"] = user_names

    # --- messages: post 30, some as replies in one thread -----------------------------------------------
    created: list[chat_v1.Message] = []
    reply_option = chat_v1.CreateMessageRequest.MessageReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD
    for i in range(MESSAGES):
        draft = chat_v1.Message(text=f"message {i:02d}")
        request = chat_v1.CreateMessageRequest(parent=space.name)
        if i in REPLIES:
            request.message_reply_option = reply_option
            if i % 2:
                draft.thread = chat_v1.Thread(thread_key=THREAD_KEY)
            else:  # the deprecated request-level field: still part of the wire contract
                request.thread_key = THREAD_KEY
        request.message = draft
        message = alice.create_message(request=request)
        check(message.name.startswith(space.name + "/messages/"), f"message name {message.name!r}")
        check(message.text == f"message {i:02d}", f"message {i} text {message.text!r}")
        check(is_canonical_user(message.sender.name), f"message {i} sender {message.sender.name!r}")
        check(message.thread.name.startswith(space.name + "/threads/"), f"message {i} thread {message.thread.name!r}")
        check(bool(message.create_time), f"message {i} has no create_time")
        created.append(message)

    names = [m.name for m in created]
    check(len(set(names)) == MESSAGES, "create_message returned duplicate names")
    senders = {m.sender.name for m in created}
    check(len(senders) == 1 and senders <= set(user_names), f"senders {senders} not alice among {user_names}")
    threads = [created[i].thread.name for i in sorted(REPLIES)]
    check(len(set(threads)) == 1, f"replies with thread_key {THREAD_KEY!r} landed in threads {threads}")
    reply_thread = threads[0]
    others = [m.thread.name for i, m in enumerate(created) if i not in REPLIES]
    check(reply_thread not in others, "a message posted without thread_key landed in the keyed thread")
    check(len(set(others)) == len(others), "messages posted without thread_key share threads")
    summary["thread"] = reply_thread

    # --- list_messages with the official pager (it follows next_page_token) --------------------------------
    pager = alice.list_messages(request=chat_v1.ListMessagesRequest(parent=space.name, page_size=PAGE_SIZE))
    listed = list(pager)
    listed_names = [m.name for m in listed]
    check(len(listed) == MESSAGES, f"list_messages returned {len(listed)} messages, expected {MESSAGES}")
    check(len(set(listed_names)) == MESSAGES, "list_messages returned a message more than once")
    check(listed_names == names, "list_messages did not return the messages in create_time order")
    times = [m.create_time for m in listed]
    check(all(a <= b for a, b in zip(times, times[1:])), "list_messages create_time is not ascending")
    check(all(a.text == b.text and a.thread.name == b.thread.name for a, b in zip(listed, created)),
          "listed messages differ from the created ones")

    # The same listing page by page: page_size is honoured and the pager needed several requests.
    pages = alice.list_messages(request=chat_v1.ListMessagesRequest(parent=space.name, page_size=PAGE_SIZE)).pages
    page_sizes = [len(page.messages) for page in pages]
    expected_sizes = [PAGE_SIZE] * (MESSAGES // PAGE_SIZE) + ([MESSAGES % PAGE_SIZE] if MESSAGES % PAGE_SIZE else [])
    check(page_sizes == expected_sizes, f"page sizes {page_sizes}, expected {expected_sizes}")
    summary["page_sizes"] = page_sizes

    # --- get one message ---------------------------------------------------------------------------------
    wanted = created[len(created) // 2]
    one = alice.get_message(name=wanted.name)
    check(one.name == wanted.name, f"get_message returned {one.name!r}, expected {wanted.name!r}")
    check(one.text == wanted.text and one.thread.name == wanted.thread.name, "get_message differs from create")
    check(one.create_time == wanted.create_time, "get_message create_time differs from create")
    summary["got_message"] = one.name

    # --- list spaces and find ours -----------------------------------------------------------------------
    spaces = list(alice.list_spaces(request=chat_v1.ListSpacesRequest()))
    found = [s for s in spaces if s.name == space.name]
    check(len(found) == 1, f"list_spaces found {len(found)} x {space.name!r} among {[s.name for s in spaces]}")
    check(found[0].display_name == display_name, f"list_spaces display_name {found[0].display_name!r}")
    summary["spaces_listed"] = len(spaces)

    # --- an invalid call raises the api_core exception of its code -----------------------------------------
    try:
        alice.get_space(name="spaces/doesnotexist")
    except api_exceptions.NotFound as error:
        summary["not_found"] = str(error.message)
    except api_exceptions.GoogleAPICallError as error:
        raise CheckFailed(f"get_space(spaces/doesnotexist) raised {type(error).__name__}: {error}") from None
    else:
        raise CheckFailed("get_space(spaces/doesnotexist) did not raise NotFound")

    # --- bob, the added member, sees the same space and messages -----------------------------------------
    if bob_token:
        bob = Caller(channel, bob_token)
        bob_space = bob.get_space(name=space.name)
        check(bob_space.name == space.name, f"bob's get_space returned {bob_space.name!r}")
        bob_listed = [m.name for m in bob.list_messages(
            request=chat_v1.ListMessagesRequest(parent=space.name, page_size=PAGE_SIZE))]
        check(bob_listed == names, f"bob listed {len(bob_listed)} messages, not the {MESSAGES} alice posted")
        check(any(s.name == space.name for s in bob.list_spaces(request=chat_v1.ListSpacesRequest())),
              "bob's list_spaces does not include the space he was added to")
        summary["bob_messages"] = len(bob_listed)

    summary["messages_created"] = len(created)
    summary["messages_listed"] = len(listed)
    summary["replies"] = len(REPLIES)
    summary["first_message"] = names[0]
    summary["last_message"] = names[-1]
    channel.close()
    return summary


def main(argv: list[str], flow=None, usage: str = __doc__) -> int:
    """Runs a flow (this file's by default) and reports it: JSON summary and exit 0, or the failure and 1."""
    flow = flow or run
    if len(argv) != 2 or not os.environ.get("CHATSVC_E2E_TOKEN"):
        print(usage, file=sys.stderr)
        return 2
    try:
        summary = flow(argv[1], os.environ["CHATSVC_E2E_TOKEN"], os.environ.get("CHATSVC_E2E_BOB_TOKEN"))
    except CheckFailed as failed:
        print(f"check failed: {failed}", file=sys.stderr)
        return 1
    except api_exceptions.GoogleAPICallError as error:
        print(f"unexpected RPC error {type(error).__name__} ({error.code}): {error.message}", file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
