"""The REST lifecycle with Google's official Python client, `google-apps-chat`, on its REST transport.

Runs under the official client's own interpreter (.venv-official), never under .venv; test_rest_clients.py
runs it with `python -I`. The client is built exactly as for chat.googleapis.com except for the endpoint and
the credentials: `ChatServiceClient(transport="rest", credentials=Credentials(token=T),
client_options=ClientOptions(api_endpoint=BASE))`. It sends every call as Google's REST transcoding with
`$alt=json;enum-encoding=int`, and UpdateMessage as PUT (its first HTTP binding).

Usage: rest_official_flow.py BASE
  BASE                          the HTTP endpoint, e.g. http://127.0.0.1:50052
  env CHATSVC_E2E_TOKEN          alice (chat.spaces, chat.memberships, chat.messages): she creates the space
  env CHATSVC_E2E_BOB_TOKEN      bob, same scopes: alice adds him; he replies in her thread
  env CHATSVC_E2E_READONLY_TOKEN alice with chat.messages.readonly only: too little to post

Prints one JSON summary of what the client saw (the test checks it field by field, with the other client
families' summaries) and exits 0; an unexpected exception exits 1 with its traceback on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import uuid

from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.apps import chat_v1
from google.oauth2.credentials import Credentials

THREAD_KEY = "rest-e2e-thread"
CLIENT_ID = "client-rest-e2e"
REPLY = chat_v1.CreateMessageRequest.MessageReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD
PAGE_SIZE = 2
TIMEOUT = 30.0


def client(base: str, token: str) -> chat_v1.ChatServiceClient:
    return chat_v1.ChatServiceClient(transport="rest", credentials=Credentials(token=token),
                                     client_options=ClientOptions(api_endpoint=base))


def message_of(message: chat_v1.Message) -> dict:
    return {"name": message.name, "text": message.text, "thread": message.thread.name,
            "sender": message.sender.name, "sender_type": chat_v1.User.Type(message.sender.type_).name,
            "space": message.space.name, "client_id": message.client_assigned_message_id,
            "create_time": bool(message.create_time),
            "last_update_time": bool(message.last_update_time)}


def failure(call) -> dict:
    """Runs a call that must fail; what the client made of the failure."""
    try:
        call()
    except api_exceptions.GoogleAPICallError as error:
        fields = [violation["field"] for detail in error.details if isinstance(detail, dict)
                  and detail.get("@type") == "type.googleapis.com/google.rpc.BadRequest"
                  for violation in detail.get("fieldViolations", ())]
        infos = [detail for detail in error.details if isinstance(detail, dict)
                 and detail.get("@type") == "type.googleapis.com/google.rpc.ErrorInfo"]
        # Over REST, api_core picks the exception class by HTTP status (403 is Forbidden, which has no gRPC
        # code; 404 is NotFound, which has one); the canonical status is in the envelope it kept.
        grpc_code = error.grpc_status_code.name if error.grpc_status_code is not None else None
        return {"kind": type(error).__name__, "http": error.code, "grpc_code": grpc_code,
                "status": error.response.json()["error"]["status"], "reason": error.reason,
                "domain": error.domain, "message": error.message,
                "details_reason": infos[0]["reason"] if infos else None, "fields": fields}
    return {"kind": "no error"}


def run(base: str, alice_token: str, bob_token: str, readonly_token: str) -> dict:
    alice, bob, readonly = client(base, alice_token), client(base, bob_token), client(base, readonly_token)
    summary: dict = {"client": "google-apps-chat rest"}

    display_name = f"rest e2e {uuid.uuid4().hex[:8]}"
    space = alice.create_space(space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE,
                                                   display_name=display_name), timeout=TIMEOUT)
    got_space = alice.get_space(name=space.name, timeout=TIMEOUT)
    summary["display_name"] = display_name
    summary["space"] = {"name": space.name, "display_name": space.display_name,
                        "space_type": chat_v1.Space.SpaceType(space.space_type).name}
    summary["space_got"] = {"name": got_space.name, "display_name": got_space.display_name,
                            "space_type": chat_v1.Space.SpaceType(got_space.space_type).name}
    # UpdateSpace: PATCH with the mask as a query parameter (the transport writes its paths in camelCase).
    details = chat_v1.Space.SpaceDetails(description="about REST")
    renamed = alice.update_space(space=chat_v1.Space(name=space.name, display_name=display_name + " renamed",
                                                     space_details=details),
                                 update_mask={"paths": ["display_name", "space_details"]}, timeout=TIMEOUT)
    summary["space_updated"] = {"name": renamed.name, "display_name": renamed.display_name,
                                "description": renamed.space_details.description}
    summary["spaces_listed"] = [s.name for s in alice.list_spaces(timeout=TIMEOUT)]

    membership = alice.create_membership(
        parent=space.name, membership=chat_v1.Membership(member=chat_v1.User(name="users/bob@example.com",
                                                                             type_=chat_v1.User.Type.HUMAN)),
        timeout=TIMEOUT)
    summary["membership"] = {"name": membership.name, "member": membership.member.name,
                             "state": chat_v1.Membership.MembershipState(membership.state).name,
                             "role": chat_v1.Membership.MembershipRole(membership.role).name}
    summary["membership_got"] = alice.get_membership(name=membership.name, timeout=TIMEOUT).name
    summary["membership_by_email"] = alice.get_membership(name=f"{space.name}/members/bob@example.com",
                                                          timeout=TIMEOUT).name
    memberships = list(alice.list_memberships(parent=space.name, timeout=TIMEOUT))
    summary["memberships"] = [m.name for m in memberships]
    summary["members"] = [m.member.name for m in memberships]

    # Five messages: alice starts the keyed thread (thread key in the message, reply option in the request,
    # as a request dict), bob replies into it by the same key, then three top-level messages.
    created = [alice.create_message(request={"parent": space.name, "message": {
        "text": "first, in a thread", "thread": {"thread_key": THREAD_KEY}}, "message_reply_option": REPLY},
        timeout=TIMEOUT)]
    created.append(bob.create_message(request={"parent": space.name, "message": {
        "text": "bob replies", "thread": {"thread_key": THREAD_KEY}}, "message_reply_option": REPLY},
        timeout=TIMEOUT))
    for i in range(2):
        created.append(alice.create_message(parent=space.name, message=chat_v1.Message(text=f"plain {i}"),
                                            timeout=TIMEOUT))
    # The last one with a client-assigned id (the `messageId` query parameter), which then names it too.
    created.append(alice.create_message(parent=space.name, message=chat_v1.Message(text="plain 2"),
                                        message_id=CLIENT_ID, timeout=TIMEOUT))
    summary["got_by_client_id"] = alice.get_message(name=f"{space.name}/messages/{CLIENT_ID}", timeout=TIMEOUT).name
    summary["messages"] = [message_of(m) for m in created]
    first = created[0]
    summary["got"] = message_of(alice.get_message(name=first.name, timeout=TIMEOUT))

    edited = chat_v1.Message(name=first.name, text="first, edited")
    summary["updated"] = message_of(alice.update_message(message=edited, update_mask={"paths": ["text"]},
                                                         timeout=TIMEOUT))
    summary["got_after_update"] = message_of(alice.get_message(name=first.name, timeout=TIMEOUT))

    pages = alice.list_messages(request={"parent": space.name, "page_size": PAGE_SIZE}, timeout=TIMEOUT).pages
    summary["pages"], summary["page_tokens"] = [], []
    for page in pages:
        summary["pages"].append([m.name for m in page.messages])
        summary["page_tokens"].append(bool(page.next_page_token))
    summary["bob_listed"] = [m.name for m in bob.list_messages(parent=space.name, timeout=TIMEOUT)]
    summary["thread_filtered"] = [m.name for m in alice.list_messages(
        request={"parent": space.name, "filter": f'thread.name = "{first.thread.name}"'}, timeout=TIMEOUT)]

    reaction = bob.create_reaction(parent=first.name, reaction=chat_v1.Reaction(emoji=chat_v1.Emoji(unicode="👍")),
                                   timeout=TIMEOUT)
    summary["reaction"] = {"name": reaction.name, "emoji": reaction.emoji.unicode, "user": reaction.user.name}
    summary["reactions"] = [r.name for r in alice.list_reactions(parent=first.name, timeout=TIMEOUT)]
    bob.delete_reaction(name=reaction.name, timeout=TIMEOUT)
    summary["reactions_after_delete"] = [r.name for r in alice.list_reactions(parent=first.name, timeout=TIMEOUT)]

    doomed = created[-1]
    alice.delete_message(name=doomed.name, timeout=TIMEOUT)
    summary["deleted"] = doomed.name
    summary["listed_after_delete"] = [m.name for m in alice.list_messages(parent=space.name, timeout=TIMEOUT)]

    summary["errors"] = {
        "not_found": failure(lambda: alice.get_space(name="spaces/doesnotexist", timeout=TIMEOUT)),
        "deleted": failure(lambda: alice.get_message(name=doomed.name, timeout=TIMEOUT)),
        "not_creator": failure(lambda: bob.update_message(
            message=chat_v1.Message(name=first.name, text="bob was here"), update_mask={"paths": ["text"]},
            timeout=TIMEOUT)),
        "scope": failure(lambda: readonly.create_message(parent=space.name, message=chat_v1.Message(text="no"),
                                                         timeout=TIMEOUT)),
        "invalid": failure(lambda: alice.list_messages(request={"parent": space.name, "filter": "bogus"},
                                                       timeout=TIMEOUT)),
    }
    return summary


def main(argv: list[str]) -> int:
    tokens = [os.environ.get(f"CHATSVC_E2E_{who}TOKEN") for who in ("", "BOB_", "READONLY_")]
    if len(argv) != 2 or not all(tokens):
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(run(argv[1], *tokens), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
