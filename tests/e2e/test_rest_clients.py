"""End to end over REST: Google's three client families, each in a process of its own, run one lifecycle against a
real server's HTTP endpoint, unchanged apart from the endpoint and the credentials (issue 15).

- google-apps-chat with `transport="rest"` (rest_official_flow.py, under the official client's interpreter);
- google-api-python-client `build("chat", "v1")` with the discovery document it bundles, and with ours from both
  of the server's discovery URLs (rest_discovery_flow.py, same interpreter);
- @google-apps/chat with `fallback: true`, Node's REST transport (node/rest_lifecycle.js; package.json pins it).

The lifecycle: alice creates a space, renames it (PATCH with an update mask) and lists her spaces; adds bob by
email; gets the membership by name and by email and lists both; posts into a thread by key (reply option in the
request), bob replies by the same key, alice posts three more, the last with a client-assigned id that then names
it; get; update (PUT; discovery also PATCH); list two a page; bob lists; a filter by thread; bob reacts, the
reaction is listed and deleted; a message is deleted; then five failures: an unknown space, the deleted message,
bob editing alice's message, a token without a write scope, a malformed filter. Every script prints what its
client saw in one shape, and `check_lifecycle` asserts it field by field, the same for every client; the
client-specific shape of errors is asserted beside it. The `server` fixture runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, USER_SCOPES, official_python

E2E = Path(__file__).resolve().parent
FLOW_TIMEOUT = 120.0
DISCOVERY_MODES = ("bundled", "discovery-v1", "discovery-v2")
DOMAIN = "chat.googleapis.com"
CLIENT_ID = "client-rest-e2e"
# Which failure, with what canonical status, HTTP status and ErrorInfo reason.
EXPECTED_ERRORS = {
    "not_found": ("NOT_FOUND", 404, "SPACE_NOT_FOUND"),
    "deleted": ("NOT_FOUND", 404, "MESSAGE_NOT_FOUND"),
    "not_creator": ("PERMISSION_DENIED", 403, "NOT_MESSAGE_CREATOR"),
    "scope": ("PERMISSION_DENIED", 403, "ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
    "invalid": ("INVALID_ARGUMENT", 400, "INVALID_FILTER"),
}


def _env(server) -> dict[str, str]:
    # Nothing of ours, no Google client setting (GOOGLE_CLOUD_UNIVERSE_DOMAIN, mTLS switches, ...) and no proxy may
    # steer the client elsewhere: only the endpoint and the tokens differ from a call to Google.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CHATSVC_", "GOOGLE_")) and k.lower() not in (
               "http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update(CHATSVC_E2E_TOKEN=server.token(user="alice@example.com", scopes=USER_SCOPES),
               CHATSVC_E2E_BOB_TOKEN=server.token(user="bob@example.com", scopes=USER_SCOPES),
               CHATSVC_E2E_READONLY_TOKEN=server.token(user="alice@example.com", scopes=["chat.messages.readonly"]))
    return env


async def run_client(server, *command: str, cwd: Path = E2E) -> dict:
    """Runs a client script in its own process while this event loop serves it; its JSON summary."""
    proc = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE, cwd=cwd, env=_env(server))
    try:
        out, err = await asyncio.wait_for(proc.communicate(), FLOW_TIMEOUT)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
        pytest.fail(f"{command[1]} still running after {FLOW_TIMEOUT}s\n--- stderr\n{err.decode()}", pytrace=False)
    assert proc.returncode == 0, (f"{' '.join(command[1:])} exited {proc.returncode}\n--- stderr\n"
                                  f"{err.decode(errors='replace')}\n--- stdout\n{out.decode(errors='replace')}")
    return json.loads(out)


def check_lifecycle(s: dict) -> None:
    """What every client must have seen, field by field."""
    space = s["space"]["name"]
    assert re.fullmatch(r"spaces/[A-Za-z0-9_-]+", space), space
    assert s["space"] == {"name": space, "display_name": s["display_name"], "space_type": "SPACE"}
    assert s["space_got"] == s["space"]
    assert s["space_updated"] == {"name": space, "display_name": s["display_name"] + " renamed",
                                  "description": "about REST"}
    assert s["spaces_listed"] == [space]

    # Memberships: bob, added by email, comes back as users/{numeric id}, in a membership named by that id.
    bob = s["membership"]["member"]
    assert re.fullmatch(r"users/\d+", bob), bob
    bob_id = bob.removeprefix("users/")
    assert s["membership"] == {"name": f"{space}/members/{bob_id}", "member": bob, "state": "JOINED",
                               "role": "ROLE_MEMBER"}
    assert s["membership_got"] == s["membership_by_email"] == s["membership"]["name"]
    assert len(s["members"]) == 2 and bob in s["members"], s["members"]
    (alice,) = [m for m in s["members"] if m != bob]
    assert re.fullmatch(r"users/\d+", alice), alice
    assert s["memberships"] == [f"{space}/members/{m.removeprefix('users/')}" for m in s["members"]]

    # Messages: names, texts, senders; the first two share the keyed thread, the others have one each.
    messages = s["messages"]
    names = [m["name"] for m in messages]
    assert all(re.fullmatch(rf"{space}/messages/[A-Za-z0-9_-]+", n) for n in names), names
    assert len(set(names)) == 5
    assert [m["text"] for m in messages] == ["first, in a thread", "bob replies", "plain 0", "plain 1", "plain 2"]
    assert [m["sender"] for m in messages] == [alice, bob, alice, alice, alice]
    assert [m["client_id"] for m in messages] == ["", "", "", "", CLIENT_ID]
    assert s["got_by_client_id"] == names[4]
    for m in messages:
        assert (m["sender_type"], m["space"], m["create_time"], m["last_update_time"]) == (
            "HUMAN", space, True, False), m
    threads = [m["thread"] for m in messages]
    assert all(re.fullmatch(rf"{space}/threads/[A-Za-z0-9_-]+", t) for t in threads), threads
    assert threads[0] == threads[1], "bob's reply by thread key did not land in alice's thread"
    assert len(set(threads[1:])) == 4, f"top-level messages share threads: {threads}"
    first = messages[0]
    assert s["got"] == first

    # Update: the text changes, nothing else but last_update_time; a later get agrees.
    assert s["updated"] == {**first, "text": "first, edited", "last_update_time": True}
    assert s["got_after_update"] == s["updated"]

    # Paging two at a time: three pages that hold every message exactly once, in creation order; a token while more.
    assert s["pages"] == [names[0:2], names[2:4], names[4:5]]
    assert s["page_tokens"] == [True, True, False]
    assert s["bob_listed"] == names
    assert s["thread_filtered"] == names[:2]

    # Reactions: bob's, on the first message, listed once, then gone.
    reaction = s["reaction"]
    assert re.fullmatch(rf"{first['name']}/reactions/[A-Za-z0-9_-]+", reaction["name"]), reaction
    assert reaction == {"name": reaction["name"], "emoji": "👍", "user": bob}
    assert s["reactions"] == [reaction["name"]]
    assert s["reactions_after_delete"] == []

    assert s["deleted"] == names[-1]
    assert s["listed_after_delete"] == names[:-1]

    # Errors: the canonical status, the ErrorInfo (reason, Chat's domain) and, for a bad filter, the field.
    assert set(s["errors"]) == set(EXPECTED_ERRORS)
    for case, (status, http, reason) in EXPECTED_ERRORS.items():
        error = s["errors"][case]
        assert (error["status"], error["reason"], error["details_reason"], error["domain"]) == (
            status, reason, reason, DOMAIN), (case, error)
        assert error["http"] == http, (case, error)
        assert error["fields"] == (["filter"] if case == "invalid" else []), (case, error)
    assert "spaces/doesnotexist" in s["errors"]["not_found"]["message"]


async def test_official_python_client_over_rest(server):
    summary = await run_client(server, official_python(), "-I", str(E2E / "rest_official_flow.py"), server.media_url)
    check_lifecycle(summary)
    # api_core picks the exception class by HTTP status; NotFound carries its gRPC code, Forbidden and BadRequest
    # (the classes for 403 and 400) have none, exactly as against chat.googleapis.com.
    errors = summary["errors"]
    assert {case: (e["kind"], e["grpc_code"]) for case, e in errors.items()} == {
        "not_found": ("NotFound", "NOT_FOUND"), "deleted": ("NotFound", "NOT_FOUND"),
        "not_creator": ("Forbidden", None), "scope": ("Forbidden", None), "invalid": ("BadRequest", None)}
    # The transport sent `$alt=json;enum-encoding=int` and UpdateMessage as PUT; its message says so.
    assert errors["not_creator"]["message"].startswith(f"PUT {server.media_url}/v1/{summary['space']['name']}/")
    assert "%24alt=json%3Benum-encoding%3Dint" in errors["not_creator"]["message"]


@pytest.mark.parametrize("mode", DISCOVERY_MODES)
async def test_discovery_client_over_rest(server, mode):
    summary = await run_client(server, official_python(), "-I", str(E2E / "rest_discovery_flow.py"),
                               server.media_url, mode)
    check_lifecycle(summary)
    # With the bundled document, client_options' endpoint; with ours, the rootUrl it names (no endpoint given).
    assert summary["base_url"] == server.media_url + ("" if mode == "bundled" else "/")
    assert summary["patched"] == "first, patched"
    assert summary["reaction_deleted"] == summary["message_deleted"] == {}
    for case, error in summary["errors"].items():
        assert (error["kind"], error["envelope_code"]) == ("HttpError", EXPECTED_ERRORS[case][1]), (case, error)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: Node.js runs Google's Node client (and buf)", pytrace=False)
    if not (REPO / "node_modules" / "@google-apps" / "chat" / "package.json").exists():
        pytest.fail("node_modules/@google-apps/chat is missing: run `make lint` or `npm ci` (package.json "
                    "devDependencies)", pytrace=False)
    return node


async def test_node_client_over_rest(server):
    summary = await run_client(server, _node(), str(E2E / "node" / "rest_lifecycle.js"), server.media_url,
                               cwd=E2E / "node")
    check_lifecycle(summary)
    assert summary["iterated"] == [m["name"] for m in summary["messages"]]
    # gax maps the envelope's status to its numeric gRPC code and keeps the HTTP status beside it.
    codes = {"NOT_FOUND": 5, "PERMISSION_DENIED": 7, "INVALID_ARGUMENT": 3}
    for case, error in summary["errors"].items():
        assert (error["kind"], error["grpc_code"]) == ("GoogleError", codes[EXPECTED_ERRORS[case][0]]), (case, error)
