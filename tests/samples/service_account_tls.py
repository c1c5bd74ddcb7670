"""google-apps-chat with a service-account key file, over TLS, built as for chat.googleapis.com but for the endpoint.
Runs under the official client's interpreter (.venv-official) with `python -I`; the CA comes from the environment
only: GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (gRPC, the default transport) and REQUESTS_CA_BUNDLE (REST over requests).
tests/service_accounts/test_grpc_tls.py runs it.

Usage: service_account_tls.py GRPC_ENDPOINT HTTPS_BASE KEY_FILE UNTRUSTED_KEY_FILE
  GRPC_ENDPOINT       localhost:PORT
  HTTPS_BASE          https://localhost:PORT (the HTTP endpoint)

The clients:
- grpc_sample: as Google's python-samples authentication_utils.py builds its app client: credentials without scopes,
  `client_options={"scopes": [chat.bot]}` (plus the endpoint). The gRPC transport scopes the credentials with the
  client options' scopes, so the self-signed JWT carries `scope: chat.bot` (no audience): it lists, and may not
  create a space.
- grpc_scoped: credentials with scopes (chat.app.spaces.create, chat.bot): creates a space, posts, reads, lists.
- rest_scoped / rest_sample: the same two on `transport="rest"` at https; unscoped, REST sends a JWT addressed to
  https://chat.googleapis.com/ instead.
- grpc_untrusted: a key file the server does not trust, over gRPC: UNAUTHENTICATED.

What went over the wire is read, never changed: gRPC's bearer token from google.auth.transport.grpc's metadata
plugin (wrapped to record its result), REST's from the credentials the transport holds.
Prints one JSON object and exits 0; an unexpected exception exits 1 with its traceback.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid

import google.auth.transport.grpc
from google.api_core import exceptions
from google.apps import chat_v1
from google.oauth2 import service_account

AUTH = "https://www.googleapis.com/auth/"
SCOPES = [AUTH + "chat.app.spaces.create", AUTH + "chat.bot"]
TIMEOUT = 30.0

_sent: list[str] = []
_plugin_headers = google.auth.transport.grpc.AuthMetadataPlugin._get_authorization_headers


def _recording(self, context):
    headers = _plugin_headers(self, context)
    _sent.append(dict(headers)["authorization"])
    return headers


google.auth.transport.grpc.AuthMetadataPlugin._get_authorization_headers = _recording


def claims(token: str) -> dict:
    header, body = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
                    for part in token.removeprefix("Bearer ").split(".")[:2])
    return {"alg": header.get("alg"), "kid": header.get("kid"), "iss": body.get("iss"), "sub": body.get("sub"),
            "aud": body.get("aud"), "scope": body.get("scope")}


def refused(call) -> dict:
    try:
        call()
    except exceptions.GoogleAPICallError as error:
        return {"http": error.code, "grpc": getattr(error.grpc_status_code, "name", None), "reason": error.reason}
    return {"http": 200}


def lifecycle(client: chat_v1.ChatServiceClient, label: str) -> dict:
    space = client.create_space(space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE,
                                                    display_name=f"{label} {uuid.uuid4().hex[:6]}",
                                                    customer="customers/my_customer"), timeout=TIMEOUT)
    message = client.create_message(parent=space.name, message=chat_v1.Message(text=f"hello from {label}"),
                                    timeout=TIMEOUT)
    got = client.get_message(name=message.name, timeout=TIMEOUT)
    listed = [s.name for s in client.list_spaces(timeout=TIMEOUT)]
    return {"space": space.name, "message": got.name, "text": got.text, "sender": got.sender.name,
            "sender_type": chat_v1.User.Type(got.sender.type_).name, "listed": space.name in listed}


def can_only_list(client: chat_v1.ChatServiceClient, known_space: str) -> dict:
    listed = [s.name for s in client.list_spaces(timeout=TIMEOUT)]
    return {"listed": known_space in listed, "create_space": refused(lambda: client.create_space(
        space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE, display_name="needs chat.app.spaces.create",
                            customer="customers/my_customer"), timeout=TIMEOUT))}


def main(grpc_endpoint: str, https_base: str, key_file: str, untrusted_file: str) -> dict:
    out = {}

    credentials = service_account.Credentials.from_service_account_file(key_file, scopes=SCOPES)
    client = chat_v1.ChatServiceClient(credentials=credentials, client_options={"api_endpoint": grpc_endpoint})
    out["grpc_scoped"] = {**lifecycle(client, "grpc"), "token": claims(_sent[-1])}

    credentials = service_account.Credentials.from_service_account_file(key_file)
    client = chat_v1.ChatServiceClient(credentials=credentials, client_options={
        "scopes": [AUTH + "chat.bot"], "api_endpoint": grpc_endpoint})
    out["grpc_sample"] = {**can_only_list(client, out["grpc_scoped"]["space"]), "token": claims(_sent[-1])}

    credentials = service_account.Credentials.from_service_account_file(key_file, scopes=SCOPES)
    client = chat_v1.ChatServiceClient(transport="rest", credentials=credentials,
                                       client_options={"api_endpoint": https_base})
    out["rest_scoped"] = {**lifecycle(client, "rest"), "token": claims(client._transport._credentials.token)}

    credentials = service_account.Credentials.from_service_account_file(key_file)
    client = chat_v1.ChatServiceClient(transport="rest", credentials=credentials, client_options={
        "scopes": [AUTH + "chat.bot"], "api_endpoint": https_base})
    out["rest_sample"] = {**can_only_list(client, out["rest_scoped"]["space"]),
                          "token": claims(client._transport._credentials.token)}

    credentials = service_account.Credentials.from_service_account_file(untrusted_file, scopes=SCOPES)
    client = chat_v1.ChatServiceClient(credentials=credentials, client_options={"api_endpoint": grpc_endpoint})
    out["grpc_untrusted"] = refused(lambda: list(client.list_spaces(retry=None, timeout=TIMEOUT)))
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
