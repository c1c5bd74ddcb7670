"""Google's own OAuth code against chatsvc, run under the official client's interpreter (.venv-official): the
authorization-code flow of google_auth_oauthlib's InstalledAppFlow, then google.oauth2.credentials.Credentials
calling the API through google-apps-chat's REST transport, refreshing when expired. Nothing here knows it talks
to chatsvc but the client_secrets.json it reads and the API endpoint.

    official_oauth.py authorize SECRETS CREDS API   the flow (prints `AUTHORIZE <url>` for the scripted browser),
                                                    then API calls, an expiry and a refresh; saves CREDS
    official_oauth.py refresh CREDS API             the saved credentials, expired on purpose: refreshed, then used
    official_oauth.py call CREDS API                the saved access token alone, no refresh: ListSpaces' status
    official_oauth.py revoke CREDS BASE             Google's way to revoke (its web-server sample's request)
Prints one JSON line with what happened.
"""
from __future__ import annotations

import datetime
import json
import sys

import requests
from google.api_core.client_options import ClientOptions
from google.apps import chat_v1
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow

SCOPES = ["https://www.googleapis.com/auth/chat.spaces", "https://www.googleapis.com/auth/chat.messages"]
PAST = datetime.datetime(2000, 1, 1)


def _client(credentials, api: str) -> chat_v1.ChatServiceClient:
    return chat_v1.ChatServiceClient(transport="rest", credentials=credentials,
                                     client_options=ClientOptions(api_endpoint=api))


def authorize(secrets: str, creds_path: str, api: str) -> dict:
    flow = InstalledAppFlow.from_client_secrets_file(secrets, scopes=SCOPES)
    credentials = flow.run_local_server(port=0, open_browser=False, timeout_seconds=90,
                                        authorization_prompt_message="AUTHORIZE {url}")
    chat = _client(credentials, api)
    space = chat.create_space(space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE,
                                                  display_name="Signed in with OAuth"))
    message = chat.create_message(parent=space.name, message=chat_v1.Message(text="Hello from InstalledAppFlow"))
    first = credentials.token
    credentials.expiry = PAST  # expired: the next call refreshes first
    listed = [m.text for m in chat.list_messages(parent=space.name)]
    with open(creds_path, "w") as out:
        out.write(credentials.to_json())
    return {"space": space.name, "sender": message.sender.name, "messages": listed,
            "refreshed": credentials.token != first, "has_refresh_token": bool(credentials.refresh_token),
            "granted": sorted(credentials.granted_scopes or []), "space_after_refresh": space.name}


def _saved(creds_path: str) -> Credentials:
    """Credentials saved by `to_json()`. google-auth's from_authorized_user_file sends refreshes to Google's
    token_uri whatever the file says, so the saved token_uri is put back, as any app restoring them must."""
    with open(creds_path) as saved:
        token_uri = json.load(saved)["token_uri"]
    return Credentials.from_authorized_user_file(creds_path).with_token_uri(token_uri)


def refresh(creds_path: str, api: str) -> dict:
    credentials = _saved(creds_path)
    before = credentials.token
    credentials.expiry = PAST
    try:
        spaces = [s.display_name for s in _client(credentials, api).list_spaces()]
    except RefreshError as error:
        return {"refresh_error": str(error.args[0]) if error.args else str(error)}
    return {"spaces": spaces, "refreshed": credentials.token != before}


def call(creds_path: str, api: str) -> dict:
    token = _saved(creds_path).token  # sent as is: an AuthorizedSession would try to refresh on a 401
    response = requests.get(f"{api}/v1/spaces", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return {"http_status": response.status_code}


def revoke(creds_path: str, base: str) -> dict:
    credentials = _saved(creds_path)
    credentials.refresh(Request())  # a live access token to revoke, as the sample holds
    response = requests.post(f"{base}/oauth2/revoke", params={"token": credentials.token},
                             headers={"content-type": "application/x-www-form-urlencoded"}, timeout=30)
    return {"status": response.status_code}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {"authorize": authorize, "refresh": refresh, "call": call, "revoke": revoke}[command](*args)
    print(json.dumps(result), flush=True)
