"""Google's client-library samples for Chat (googleworkspace python-samples and node-samples,
chat/client-libraries/cloud) against `chatsvc serve --tls-self-signed`, on SQLite and PostgreSQL. The samples are
not copied here: python/ and node/ hold programs written for these tests that build their clients and credentials
exactly as the samples do and send the samples' requests (their docstrings say which sample each function mirrors
and the one thing changed, the API endpoint). Each runs in a process of its own, in a directory holding only what
the samples read, under the samples' names:

- `service_account.json`: a service-account key file, whose account chatsvc trusts (`--trust-service-account`);
- `client_secrets.json`: printed by `chatsvc oauth-client create --app <that account's Chat app>`, so that the
  users' calls go through the same Chat app, as a Google Cloud project's OAuth client and service account do;

and trusting chatsvc's CA only through the ecosystem's variable (GRPC_DEFAULT_SSL_ROOTS_FILE_PATH for gRPC, the
samples' transport; REQUESTS_CA_BUNDLE for the token request; NODE_EXTRA_CA_CERTS). The user-auth samples'
`flow.run_local_server()` opens the browser Python's `webbrowser` finds in BROWSER: scripted_browser.py, which signs
in as alice and allows on chatsvc's pages, then follows the redirect to the flow's server on port 8080.

A Chat app's day, in the samples' words: alice creates a space (create_space_user_cred), adds the app
(create_membership_user_cred_for_app) and posts (create_message_user_cred); the app, by its key, posts text and a
card, reads the space, lists its spaces and the space's humans, reads alice's membership, reads, updates and deletes
its messages (the nine *_app_cred samples in Python, then the same nine in Node); alice lists the messages
(list_messages_user_cred) and sees hers and the app's updated ones, not the deleted cards.

Not mirrored: Node's user-auth samples (their OAuth2Client goes to Google's OAuth URLs whatever the client secrets
say: see node/authentication-utils.mjs), find-dm-space-app-cred and get-attachment-app-cred (Node), and the user-auth
samples beyond those four.
"""
from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from chatsvc.auth.service_accounts import app_name_for
from tests.helpers import REPO, official_python
from tests.samples.support import HERE, TlsServer, client_env, run_json
from tests.service_accounts.keys import new_key

KEY = new_key("chat-app@chatsvc-samples.iam.gserviceaccount.com")
APP = app_name_for(KEY.client_email)
FLOW_PORT = 8080  # run_local_server()'s default, which the samples keep
USER_TEXT, APP_TEXT = "Hello with user credential!", "Hello with app credential!"
UPDATED = "Updated with app credential!"


def _client_secrets(database_url: str, public_url: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "chatsvc.cli", "oauth-client", "create", "--database", database_url,
                           "--public-url", public_url, "--app", APP, "--name", "Chat samples"],
                          capture_output=True, text=True, timeout=60, cwd=REPO,
                          env={k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


class _FlowPort:
    """Port 8080, held for the user-auth samples: one run of them at a time on this machine (a lock file), and a
    clear failure when something else listens there."""

    def __enter__(self):
        self._lock = open(Path(tempfile.gettempdir()) / f"chatsvc-samples-{FLOW_PORT}.lock", "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", FLOW_PORT))
            except OSError as error:
                self._lock.close()
                pytest.fail(f"port {FLOW_PORT}, where the samples' run_local_server() waits for the browser, is "
                            f"taken ({error})", pytrace=False)
        return self

    def __exit__(self, *exc):
        self._lock.close()


def test_googles_chat_samples_app_and_user_auth(database_url, tmp_path):
    python = official_python()
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "@google-apps" / "chat").is_dir():
        pytest.fail("node and node_modules/@google-apps/chat are needed: run `npm ci`", pytrace=False)
    work = tmp_path / "work"
    work.mkdir()
    key_file = KEY.write(work / "service_account.json")
    with TlsServer(database_url, tmp_path, key_file) as server, _FlowPort():
        secrets = _client_secrets(database_url, server.https_base)
        assert secrets["installed"]["token_uri"] == f"{server.https_base}/oauth2/token"
        (work / "client_secrets.json").write_text(json.dumps(secrets))
        ca = str(server.ca)
        browser = " ".join(shlex.quote(part) for part in (sys.executable, str(HERE / "scripted_browser.py"), "--ca",
                                                          ca, "--email", "alice@example.com"))
        python_env = client_env(GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=ca, REQUESTS_CA_BUNDLE=ca,
                                SAMPLES_CHAT_ENDPOINT=server.grpc_endpoint, BROWSER=f"{browser} %s &")
        # -E -s, not -I: a sample runs as `python sample.py`, its directory on sys.path (for authentication_utils)
        user_samples = [python, "-E", "-s", str(HERE / "python" / "user_cred_samples.py")]

        setup = run_json([*user_samples, "setup"], cwd=work, env=python_env)
        space = setup["create_space_user_cred"]
        app_member = setup["create_membership_user_cred_for_app"]
        alice_message = setup["create_message_user_cred"]
        py = run_json([python, "-E", "-s", str(HERE / "python" / "app_cred_samples.py"), space["name"]], cwd=work,
                      env=client_env(GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=ca, SAMPLES_CHAT_ENDPOINT=server.grpc_endpoint))
        js = run_json([node, str(HERE / "node" / "app-cred-samples.mjs"), space["name"]], cwd=work,
                      env=client_env(NODE_EXTRA_CA_CERTS=ca, SAMPLES_CHAT_ENDPOINT=server.grpc_endpoint))
        listed = run_json([*user_samples, "list", space["name"]], cwd=work, env=python_env)

    # alice's samples: her space, the app added to it, her message.
    assert (space["display_name"], space["space_type"]) == ("Samples room", "SPACE"), space
    assert app_member["member"]["type_"] == "BOT" and app_member["name"].startswith(space["name"] + "/members/")
    app_user = app_member["member"]["name"]
    alice = alice_message["sender"]["name"]
    assert (alice_message["text"], alice_message["sender"]["type_"]) == (USER_TEXT, "HUMAN"), alice_message

    # The app's samples, by its key: the app alice added is the service account's (the same bot user posts).
    for name, created in (("python", py["create_message_app_cred"]), ("node", js["create-message-app-cred"])):
        assert created["name"].startswith(space["name"] + "/messages/"), (name, created)
        assert created["text"] == APP_TEXT, (name, created)
    assert py["create_message_app_cred"]["sender"] == {**py["create_message_app_cred"]["sender"], "name": app_user,
                                                       "type_": "BOT"}
    assert js["create-message-app-cred"]["sender"]["name"] == app_user
    assert js["create-message-app-cred"]["sender"]["type"] == "BOT"
    card = py["create_message_app_cred_with_cards"]["cards_v2"]
    assert [c["card_id"] for c in card] == ["card-id"]
    buttons = card[0]["card"]["sections"][0]["widgets"][0]["button_list"]["buttons"]
    assert [b["text"] for b in buttons] == ["Edit", ""] and buttons[1]["icon"]["known_icon"] == "INVITE"
    assert buttons[1]["on_click"]["open_link"]["url"] == "https://www.google.com"
    card = js["create-message-app-cred-with-cards"]["cardsV2"]
    assert [(c["cardId"], c["card"]["header"]["title"]) for c in card] == [("card-id", "And with a card!")]
    assert py["get_space_app_cred"]["display_name"] == js["get-space-app-cred"]["displayName"] == "Samples room"
    assert [s["name"] for s in py["list_spaces_app_cred"]] == [space["name"]]
    assert [s["name"] for s in js["list-spaces-app-cred"]] == [space["name"]]
    for humans, kind in ((py["list_memberships_app_cred"], "type_"), (js["list-memberships-app-cred"], "type")):
        assert [(m["member"]["name"], m["member"][kind]) for m in humans] == [(alice, "HUMAN")], humans
    assert py["get_membership_app_cred"]["name"] == js["get-membership-app-cred"]["name"] == \
        py["list_memberships_app_cred"][0]["name"]
    assert py["get_membership_app_cred"]["role"] == js["get-membership-app-cred"]["role"] == "ROLE_MANAGER"
    assert py["get_message_app_cred"]["text"] == js["get-message-app-cred"]["text"] == APP_TEXT
    assert py["update_message_app_cred"]["text"] == js["update-message-app-cred"]["text"] == UPDATED
    assert py["delete_message_app_cred"] is None and js["delete-message-app-cred"] == {}

    # alice lists the messages: hers and the app's two updated ones; the deleted cards are gone.
    messages = listed["list_messages_user_cred"]
    assert [(m["name"], m["text"], m["sender"]["name"]) for m in messages] == [
        (alice_message["name"], USER_TEXT, alice),
        (py["create_message_app_cred"]["name"], UPDATED, app_user),
        (js["create-message-app-cred"]["name"], UPDATED, app_user),
    ], messages
