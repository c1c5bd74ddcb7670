"""Service-account app authentication over TLS, by Google's own clients in processes of their own, against
`chatsvc serve --tls-self-signed --trust-service-account KEY` (a child process), on SQLite and PostgreSQL. Each client
is built as for chat.googleapis.com but for the endpoint, and trusts chatsvc's CA only through its ecosystem's
variable (tests/samples/support.py strips the machine's own trust settings):

- google-apps-chat (tests/samples/service_account_tls.py), GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and REQUESTS_CA_BUNDLE:
  gRPC (the default transport, `localhost:PORT`) with scoped credentials creates a space and a message as the app;
  as Google's python-samples build their app client (no scopes on the credentials, chat.bot in the client options) it
  sends a self-signed JWT scoped to chat.bot (gRPC scopes the credentials with the client options' scopes; only REST
  sends one addressed to the API) that lists but may not create a space; the same two over REST at https; an
  untrusted key is UNAUTHENTICATED over gRPC.
- @google-apps/chat (tests/samples/node/service_account_tls.mjs), NODE_EXTRA_CA_CERTS: gRPC and `fallback: true`,
  `{keyFile | credentials, scopes}` as Google's node-samples build app clients: self-signed JWTs with a scope claim
  (never Google's token URL), a space and a message as the app on each.
"""
from __future__ import annotations

import re
import shutil

import pytest

from chatsvc.auth.service_accounts import app_name_for
from tests.helpers import REPO, official_python
from tests.samples.support import AUTH, HERE, TlsServer, client_env, run_json
from tests.service_accounts.keys import new_key

KEY = new_key("chat-app@chatsvc-tls.iam.gserviceaccount.com")
UNTRUSTED = new_key("chat-app@not-trusted.iam.gserviceaccount.com")
BOTH_SCOPES = f"{AUTH}chat.app.spaces.create {AUTH}chat.bot"
SELF_SIGNED = {"alg": "RS256", "kid": KEY.private_key_id, "iss": KEY.client_email, "sub": KEY.client_email}


def _keys(tmp_path):
    return KEY.write(tmp_path / "service_account.json"), UNTRUSTED.write(tmp_path / "untrusted.json")


def _created_as_the_app(path: dict, text: str) -> None:
    assert path["text"] == text and path["message"].startswith(path["space"] + "/messages/"), path
    assert path["listed"] is True, path
    assert re.fullmatch(r"users/\d+", path["sender"]), path


def _server_saw_the_app(log: str, creates: int) -> None:
    """The server's call log: the spaces were created by the Chat app named after the service account."""
    app = app_name_for(KEY.client_email)
    assert app == "chat-app.chatsvc-tls"
    created = re.findall(r'"method": "/google.chat.v1.ChatService/CreateSpace", "status": "OK", '
                         r'.*"principal": "([^"]*)"', log)
    assert created == [f"app:{app}"] * creates, log


def test_google_apps_chat_over_grpc_and_https(database_url, tmp_path):
    python = official_python()
    key_file, untrusted_file = _keys(tmp_path)
    with TlsServer(database_url, tmp_path, key_file) as server:
        ca = str(server.ca)
        s = run_json([python, "-I", str(HERE / "service_account_tls.py"), server.grpc_endpoint, server.https_base,
                      str(key_file), str(untrusted_file)], cwd=tmp_path,
                     env=client_env(GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=ca, REQUESTS_CA_BUNDLE=ca))
    _server_saw_the_app(server.log(), creates=2)

    for transport in ("grpc", "rest"):
        scoped, sample = s[f"{transport}_scoped"], s[f"{transport}_sample"]
        _created_as_the_app(scoped, f"hello from {transport}")
        assert scoped["sender_type"] == "BOT"
        assert scoped["token"] == {**SELF_SIGNED, "aud": None, "scope": BOTH_SCOPES}
        # Google's sample's construction: chat.bot only, which lists the app's spaces and may not create one.
        assert sample["listed"] is True
        assert sample["create_space"]["http"] == 403, sample
        assert sample["create_space"]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", sample
    assert s["grpc_sample"]["token"] == {**SELF_SIGNED, "aud": None, "scope": f"{AUTH}chat.bot"}
    assert s["rest_sample"]["token"] == {**SELF_SIGNED, "aud": "https://chat.googleapis.com/", "scope": None}
    assert s["grpc_scoped"]["sender"] == s["rest_scoped"]["sender"]  # one app, whatever the transport
    assert s["grpc_untrusted"] == {"http": 401, "grpc": "UNAUTHENTICATED", "reason": "INVALID_TOKEN"}


def test_node_client_over_grpc_and_fallback(database_url, tmp_path):
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "@google-apps" / "chat").is_dir():
        pytest.fail("node and node_modules/@google-apps/chat are needed: run `npm ci`", pytrace=False)
    key_file, untrusted_file = _keys(tmp_path)
    with TlsServer(database_url, tmp_path, key_file) as server:
        s = run_json([node, str(HERE / "node" / "service_account_tls.mjs"), str(server.grpc_port),
                      str(server.http_port), str(key_file), str(untrusted_file)], cwd=tmp_path,
                     env=client_env(NODE_EXTRA_CA_CERTS=str(server.ca)))
    _server_saw_the_app(server.log(), creates=2)
    for transport in ("grpc", "rest"):
        path = s[transport]
        _created_as_the_app(path, f"hello from node {transport}")
        assert path["senderType"] == "BOT"
        assert path["token"] == {**SELF_SIGNED, "aud": None, "scope": BOTH_SCOPES}, path
    assert s["grpc"]["sender"] == s["rest"]["sender"]
    assert s["grpc_untrusted"] == {"code": "UNAUTHENTICATED", "reason": "INVALID_TOKEN"}
