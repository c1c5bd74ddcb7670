"""App authentication with a service-account key file, by Google's own libraries, built as Google's guides build
them with only the endpoint changed. Runs under the official client's interpreter (.venv-official), never under
.venv; test_official_clients.py runs it with `python -I`.

Usage: sa_flow.py BASE KEY_FILE UNTRUSTED_KEY_FILE
  BASE                the HTTP endpoint, e.g. http://127.0.0.1:50052
  KEY_FILE            a key file the server trusts; its token_uri is BASE/token
  UNTRUSTED_KEY_FILE  a key file the server does not trust (same shape)

How each client authenticates (google-auth 2.x, AIP-4111):
- google-apps-chat (`ChatServiceClient`) turns on `always_use_jwt_access`: with scopes it sends a self-signed JWT with
  a `scope` claim; without scopes one addressed to `https://chat.googleapis.com/` (Chat's default: chat.bot).
- the same client on a transport built with `always_use_jwt_access=False`, and google-api-python-client's `build`
  (whose default that is), exchange a JWT-bearer assertion at the key file's token_uri for an access token.

Prints one JSON summary and exits 0; an unexpected exception exits 1 with its traceback on stderr.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid

from google.api_core import exceptions as api_exceptions
from google.api_core.client_options import ClientOptions
from google.apps import chat_v1
from google.apps.chat_v1.services.chat_service.transports import ChatServiceRestTransport
from google.auth import exceptions as auth_exceptions
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

AUTH = "https://www.googleapis.com/auth/"
SCOPES = [AUTH + "chat.app.spaces.create", AUTH + "chat.bot"]
TIMEOUT = 30.0


def sent_token(credentials) -> dict:
    """What kind of bearer token the credentials sent: its header's alg and kid, and its issuer and audience."""
    head, body = credentials.token.split(".")[:2]

    def part(segment: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

    header, claims = part(head), part(body)
    return {"alg": header.get("alg"), "kid": header.get("kid"), "iss": claims.get("iss"), "aud": claims.get("aud"),
            "scope": claims.get("scope"), "kind": claims.get("kind"), "sub": claims.get("sub")}


def api_error(call) -> dict:
    try:
        call()
    except api_exceptions.GoogleAPICallError as error:
        return {"http": error.code, "reason": error.reason, "status": error.response.json()["error"]["status"]}
    except HttpError as error:
        document = json.loads(error.content)["error"]
        info = [d for d in document.get("details", ()) if d.get("@type", "").endswith("ErrorInfo")]
        return {"http": error.resp.status, "reason": info[0]["reason"] if info else None,
                "status": document["status"]}
    except auth_exceptions.RefreshError as error:
        return {"refresh_error": str(error.args[0]), "response": error.args[1] if len(error.args) > 1 else None}
    return {"http": 200}


def app_lifecycle(client: chat_v1.ChatServiceClient) -> dict:
    """The app creates a space (it must name the customer), posts in it, reads the message and lists its spaces."""
    space = client.create_space(space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE,
                                                    display_name=f"sa {uuid.uuid4().hex[:8]}",
                                                    customer="customers/my_customer"), timeout=TIMEOUT)
    message = client.create_message(parent=space.name, message=chat_v1.Message(text="from the service account"),
                                    timeout=TIMEOUT)
    got = client.get_message(name=message.name, timeout=TIMEOUT)
    listed = [s.name for s in client.list_spaces(timeout=TIMEOUT)]
    return {"space": space.name, "message": got.name, "text": got.text,
            "sender_type": chat_v1.User.Type(got.sender.type_).name, "sender": got.sender.name,
            "listed": space.name in listed}


def main(base: str, key_file: str, untrusted_file: str) -> dict:
    options = ClientOptions(api_endpoint=base)
    summary: dict = {}

    # 1. google-apps-chat over REST, scoped: a self-signed JWT with a scope claim (explicitly, as the client does).
    scoped = service_account.Credentials.from_service_account_file(key_file, scopes=SCOPES)
    scoped = scoped.with_always_use_jwt_access(True)
    client = chat_v1.ChatServiceClient(transport="rest", credentials=scoped, client_options=options)
    summary["gapic_self_signed"] = app_lifecycle(client)
    summary["gapic_self_signed"]["token"] = sent_token(client._transport._credentials)

    # 2. As Google's sample builds it (python-samples chat/client-libraries/cloud/authentication_utils.py): the
    #    credentials without scopes, chat.bot in the client options only. The REST transport then sends a
    #    self-signed JWT addressed to Chat's API, which grants chat.bot.
    bare = service_account.Credentials.from_service_account_file(key_file)
    client = chat_v1.ChatServiceClient(transport="rest", credentials=bare, client_options=ClientOptions(
        api_endpoint=base, scopes=[AUTH + "chat.bot"]))
    listed = [s.name for s in client.list_spaces(timeout=TIMEOUT)]
    summary["gapic_audience"] = {
        "listed": summary["gapic_self_signed"]["space"] in listed,
        "create_space": api_error(lambda: client.create_space(space=chat_v1.Space(
            space_type=chat_v1.Space.SpaceType.SPACE, display_name="needs chat.app.spaces.create",
            customer="customers/my_customer"), timeout=TIMEOUT)),
        "token": sent_token(client._transport._credentials),
    }

    # 3. The same client on a transport that leaves the credentials as they are: the JWT-bearer grant at token_uri.
    exchanged = service_account.Credentials.from_service_account_file(key_file, scopes=SCOPES)
    transport = ChatServiceRestTransport(host=base, credentials=exchanged, always_use_jwt_access=False)
    client = chat_v1.ChatServiceClient(transport=transport)
    summary["gapic_token_endpoint"] = app_lifecycle(client)
    summary["gapic_token_endpoint"]["token"] = sent_token(exchanged)

    # 4. google-api-python-client, with the discovery document it bundles: the JWT-bearer grant at token_uri.
    credentials = service_account.Credentials.from_service_account_file(key_file, scopes=SCOPES)
    chat = build("chat", "v1", credentials=credentials, client_options={"api_endpoint": base})
    space = chat.spaces().create(body={"spaceType": "SPACE", "displayName": f"sa {uuid.uuid4().hex[:8]}",
                                       "customer": "customers/my_customer"}).execute()
    message = chat.spaces().messages().create(parent=space["name"], body={"text": "from discovery"}).execute()
    spaces = chat.spaces().list().execute().get("spaces", [])
    summary["discovery"] = {"space": space["name"], "message": message["name"], "sender": message["sender"],
                            "listed": space["name"] in [s["name"] for s in spaces], "token": sent_token(credentials)}

    # 5. A key file the server does not trust: the self-signed JWT is refused by the API, the assertion at /token.
    untrusted = service_account.Credentials.from_service_account_file(untrusted_file, scopes=SCOPES)
    client = chat_v1.ChatServiceClient(transport="rest", credentials=untrusted, client_options=options)
    summary["untrusted_self_signed"] = api_error(lambda: list(client.list_spaces(timeout=TIMEOUT)))
    untrusted = service_account.Credentials.from_service_account_file(untrusted_file, scopes=SCOPES)
    chat = build("chat", "v1", credentials=untrusted, client_options={"api_endpoint": base})
    summary["untrusted_token_endpoint"] = api_error(lambda: chat.spaces().list().execute())
    return summary


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
