"""The REST lifecycle with google-api-python-client: `build("chat", "v1")` and `.execute()`.

Runs under the official client's own interpreter (.venv-official), never under .venv; test_rest_clients.py
runs it with `python -I`. The service object is built as for chat.googleapis.com, apart from the endpoint and
the credentials, from one of three discovery documents (MODE):
  bundled       the chat.v1.json google-api-python-client ships (static_discovery=True), pointed at BASE by
                client_options={"api_endpoint": BASE}
  discovery-v1  ours, from BASE/discovery/v1/apis/{api}/{apiVersion}/rest (static_discovery=False); no
                api_endpoint: the document's own rootUrl must lead back to BASE
  discovery-v2  ours, from BASE/$discovery/rest?version={apiVersion}, likewise

Usage: rest_discovery_flow.py BASE MODE
  env CHATSVC_E2E_TOKEN, CHATSVC_E2E_BOB_TOKEN, CHATSVC_E2E_READONLY_TOKEN as for rest_official_flow.py

Prints one JSON summary of what the client saw, in the shape rest_official_flow.py prints (the test checks
both with one function), and exits 0; an unexpected exception exits 1 with its traceback on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import uuid

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

THREAD_KEY = "rest-e2e-thread"
CLIENT_ID = "client-rest-e2e"
PAGE_SIZE = 2
MODES = ("bundled", "discovery-v1", "discovery-v2")


def service(base: str, mode: str, token: str):
    credentials = Credentials(token=token)
    if mode == "bundled":
        return build("chat", "v1", credentials=credentials, client_options={"api_endpoint": base},
                     static_discovery=True, cache_discovery=False)
    url = {"discovery-v1": "/discovery/v1/apis/{api}/{apiVersion}/rest",
           "discovery-v2": "/$discovery/rest?version={apiVersion}"}[mode]
    return build("chat", "v1", credentials=credentials, discoveryServiceUrl=base + url, static_discovery=False,
                 cache_discovery=False)


def message_of(message: dict) -> dict:
    return {"name": message["name"], "text": message.get("text", ""),
            "thread": message.get("thread", {}).get("name", ""), "sender": message["sender"]["name"],
            "sender_type": message["sender"].get("type", ""), "space": message.get("space", {}).get("name", ""),
            "client_id": message.get("clientAssignedMessageId", ""),
            "create_time": bool(message.get("createTime")), "last_update_time": bool(message.get("lastUpdateTime"))}


def failure(request) -> dict:
    """Executes a request that must fail; what the client made of the failure."""
    try:
        request.execute()
    except HttpError as error:
        envelope = json.loads(error.content)["error"]
        details = error.error_details if isinstance(error.error_details, list) else []
        infos = [d for d in details if d.get("@type") == "type.googleapis.com/google.rpc.ErrorInfo"]
        fields = [v["field"] for d in details if d.get("@type") == "type.googleapis.com/google.rpc.BadRequest"
                  for v in d.get("fieldViolations", ())]
        return {"kind": type(error).__name__, "http": error.status_code, "envelope_code": envelope["code"],
                "status": envelope["status"], "reason": infos[0]["reason"] if infos else None,
                "domain": infos[0]["domain"] if infos else None, "message": error.reason,
                "details_reason": infos[0]["reason"] if infos else None, "fields": fields}
    return {"kind": "no error"}


def run(base: str, mode: str, alice_token: str, bob_token: str, readonly_token: str) -> dict:
    chat = service(base, mode, alice_token)
    bob = service(base, mode, bob_token)
    readonly = service(base, mode, readonly_token)
    summary: dict = {"client": f"google-api-python-client {mode}", "base_url": chat._baseUrl}

    display_name = f"rest e2e {uuid.uuid4().hex[:8]}"
    space = chat.spaces().create(body={"spaceType": "SPACE", "displayName": display_name}).execute()
    got_space = chat.spaces().get(name=space["name"]).execute()
    summary["display_name"] = display_name
    summary["space"] = {"name": space["name"], "display_name": space["displayName"], "space_type": space["spaceType"]}
    summary["space_got"] = {"name": got_space["name"], "display_name": got_space["displayName"],
                            "space_type": got_space["spaceType"]}
    # spaces.patch with the mask's paths as Google's reference writes them, in the proto's snake_case.
    renamed = chat.spaces().patch(name=space["name"], updateMask="display_name,space_details", body={
        "displayName": display_name + " renamed", "spaceDetails": {"description": "about REST"}}).execute()
    summary["space_updated"] = {"name": renamed["name"], "display_name": renamed["displayName"],
                                "description": renamed["spaceDetails"]["description"]}
    summary["spaces_listed"] = [s["name"] for s in chat.spaces().list().execute()["spaces"]]

    members = chat.spaces().members()
    membership = members.create(parent=space["name"], body={
        "member": {"name": "users/bob@example.com", "type": "HUMAN"}}).execute()
    summary["membership"] = {"name": membership["name"], "member": membership["member"]["name"],
                             "state": membership["state"], "role": membership["role"]}
    summary["membership_got"] = members.get(name=membership["name"]).execute()["name"]
    summary["membership_by_email"] = members.get(name=f"{space['name']}/members/bob@example.com").execute()["name"]
    listed = members.list(parent=space["name"]).execute()["memberships"]
    summary["memberships"] = [m["name"] for m in listed]
    summary["members"] = [m["member"]["name"] for m in listed]

    messages, bob_messages = chat.spaces().messages(), bob.spaces().messages()
    threaded = {"messageReplyOption": "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"}
    created = [messages.create(parent=space["name"], body={"text": "first, in a thread",
                                                           "thread": {"threadKey": THREAD_KEY}}, **threaded).execute()]
    created.append(bob_messages.create(parent=space["name"], body={"text": "bob replies",
                                                                   "thread": {"threadKey": THREAD_KEY}},
                                       **threaded).execute())
    for i in range(2):
        created.append(messages.create(parent=space["name"], body={"text": f"plain {i}"}).execute())
    # The last one with a client-assigned id (the `messageId` query parameter), which then names it too.
    created.append(messages.create(parent=space["name"], body={"text": "plain 2"}, messageId=CLIENT_ID).execute())
    summary["got_by_client_id"] = messages.get(name=f"{space['name']}/messages/{CLIENT_ID}").execute()["name"]
    summary["messages"] = [message_of(m) for m in created]
    first = created[0]
    summary["got"] = message_of(messages.get(name=first["name"]).execute())

    # `update` is UpdateMessage's PUT binding, `patch` its PATCH one: both edit the text.
    messages.patch(name=first["name"], updateMask="text", body={"text": "first, patched"}).execute()
    summary["patched"] = messages.get(name=first["name"]).execute()["text"]
    summary["updated"] = message_of(messages.update(name=first["name"], updateMask="text",
                                                    body={"text": "first, edited"}).execute())
    summary["got_after_update"] = message_of(messages.get(name=first["name"]).execute())

    summary["pages"], summary["page_tokens"] = [], []
    request = messages.list(parent=space["name"], pageSize=PAGE_SIZE)
    while request is not None:
        page = request.execute()
        summary["pages"].append([m["name"] for m in page.get("messages", [])])
        summary["page_tokens"].append(bool(page.get("nextPageToken")))
        request = messages.list_next(request, page)
    summary["bob_listed"] = [m["name"] for m in bob_messages.list(parent=space["name"]).execute()["messages"]]
    summary["thread_filtered"] = [m["name"] for m in messages.list(
        parent=space["name"], filter=f'thread.name = "{first["thread"]["name"]}"').execute()["messages"]]

    reaction = bob_messages.reactions().create(parent=first["name"], body={"emoji": {"unicode": "👍"}}).execute()
    summary["reaction"] = {"name": reaction["name"], "emoji": reaction["emoji"]["unicode"],
                           "user": reaction["user"]["name"]}
    reactions = messages.reactions()
    summary["reactions"] = [r["name"] for r in reactions.list(parent=first["name"]).execute().get("reactions", [])]
    summary["reaction_deleted"] = bob_messages.reactions().delete(name=reaction["name"]).execute()
    summary["reactions_after_delete"] = [
        r["name"] for r in reactions.list(parent=first["name"]).execute().get("reactions", [])]

    doomed = created[-1]
    summary["message_deleted"] = messages.delete(name=doomed["name"]).execute()
    summary["deleted"] = doomed["name"]
    summary["listed_after_delete"] = [m["name"] for m in messages.list(parent=space["name"]).execute()["messages"]]

    summary["errors"] = {
        "not_found": failure(chat.spaces().get(name="spaces/doesnotexist")),
        "deleted": failure(messages.get(name=doomed["name"])),
        "not_creator": failure(bob_messages.update(name=first["name"], updateMask="text",
                                                   body={"text": "bob was here"})),
        "scope": failure(readonly.spaces().messages().create(parent=space["name"], body={"text": "no"})),
        "invalid": failure(messages.list(parent=space["name"], filter="bogus")),
    }
    return summary


def main(argv: list[str]) -> int:
    tokens = [os.environ.get(f"CHATSVC_E2E_{who}TOKEN") for who in ("", "BOB_", "READONLY_")]
    if len(argv) != 3 or argv[2] not in MODES or not all(tokens):
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(run(argv[1], argv[2], *tokens), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
