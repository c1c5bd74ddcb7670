"""How Google's Python samples for Chat build their clients, written again here (not copied) for the tests to run
against chatsvc: googleworkspace/python-samples, chat/client-libraries/cloud/authentication_utils.py.

The authentication code is the sample's, call for call:
- app credentials: `service_account.Credentials.from_service_account_file(SERVICE_ACCOUNT_FILE)` (no scopes), then
  `ChatServiceClient(credentials=creds, client_options={"scopes": ["https://www.googleapis.com/auth/chat.bot"]})`;
- user credentials: `InstalledAppFlow.from_client_secrets_file(CLIENT_SECRETS_FILE, scopes)`, `flow.run_local_server()`
  with its defaults (port 8080, the browser opened with `webbrowser`), then `google.oauth2.credentials.Credentials`
  rebuilt from the flow's token and the `installed` entry of the client secrets file, and
  `ChatServiceClient(credentials=creds, client_options={"scopes": scopes})`.
The files are read from the working directory under the sample's names (`service_account.json`,
`client_secrets.json`); the transport is the default, gRPC.

What differs from the sample, and nothing else: the `api_endpoint` client option, chatsvc's gRPC address (`localhost:
PORT`, from SAMPLES_CHAT_ENDPOINT) instead of chat.googleapis.com. The test supplies the rest from outside the code:
the key file and client secrets that name chatsvc, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH / REQUESTS_CA_BUNDLE for its CA,
and BROWSER for the browser `run_local_server` opens (a scripted one: tests/samples/scripted_browser.py).
"""

import json
import os

import google.oauth2.credentials
from google.apps import chat_v1 as google_chat
from google_auth_oauthlib.flow import InstalledAppFlow

CLIENT_SECRETS_FILE = "client_secrets.json"
SERVICE_ACCOUNT_FILE = "service_account.json"
APP_AUTH_OAUTH_SCOPE = ["https://www.googleapis.com/auth/chat.bot"]
API_ENDPOINT = os.environ["SAMPLES_CHAT_ENDPOINT"]  # the one change: chatsvc instead of chat.googleapis.com


def create_client_with_app_credentials():
    # app authentication: the service account's key file, unscoped; chat.bot goes in the client options
    creds = google.oauth2.service_account.Credentials.from_service_account_file(SERVICE_ACCOUNT_FILE)
    return google_chat.ChatServiceClient(credentials=creds,
                                         client_options={"scopes": APP_AUTH_OAUTH_SCOPE, "api_endpoint": API_ENDPOINT})


def create_client_with_user_credentials(scopes):
    # user authentication: the installed-app flow, whose consent page the browser shows
    flow = InstalledAppFlow.from_client_secrets_file(CLIENT_SECRETS_FILE, scopes)
    cred = flow.run_local_server()
    with open(CLIENT_SECRETS_FILE) as secrets:
        installed = json.load(secrets)["installed"]
    creds = google.oauth2.credentials.Credentials(token=cred.token, refresh_token=cred.refresh_token,
                                                  token_uri=installed["token_uri"], client_id=installed["client_id"],
                                                  client_secret=installed["client_secret"], scopes=scopes)
    return google_chat.ChatServiceClient(credentials=creds,
                                         client_options={"scopes": scopes, "api_endpoint": API_ENDPOINT})
