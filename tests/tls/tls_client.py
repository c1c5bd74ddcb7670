"""Google's official Python client, `google-apps-chat`, over TLS, built exactly as for chat.googleapis.com but for
the endpoint: `ChatServiceClient(credentials=Credentials(token), client_options={"api_endpoint": ENDPOINT})`.

Runs under the official client's interpreter (.venv-official) with `python -I`; the CA it trusts comes from the
environment only, as an unchanged app's would: GRPC_DEFAULT_SSL_ROOTS_FILE_PATH for the gRPC transport (the
default, a secure channel), REQUESTS_CA_BUNDLE for the REST transport (google-auth's requests session).

Usage: tls_client.py grpc|rest ENDPOINT [once]
  ENDPOINT              localhost:PORT (grpc) or https://localhost:PORT (rest)
  once                  no retries (retry=None, 10 s deadline): a connection that cannot be made fails at once
  env CHATSVC_E2E_TOKEN  a user's token with chat.spaces and chat.messages

Prints one JSON object and exits 0: {"ok": true, "space", "message", "text"} when a space and a message were
created and the message read back, else {"ok": false, "error": <exception class>, "detail": <its text>}.
"""

from __future__ import annotations

import json
import os
import sys
import uuid

from google.apps import chat_v1
from google.oauth2.credentials import Credentials


def run(transport: str, endpoint: str, token: str, once: bool) -> dict:
    chat = chat_v1.ChatServiceClient(transport=transport, credentials=Credentials(token=token),
                                     client_options={"api_endpoint": endpoint})
    options = {"retry": None, "timeout": 10.0} if once else {"timeout": 20.0}
    space = chat.create_space(space=chat_v1.Space(space_type=chat_v1.Space.SpaceType.SPACE,
                                                  display_name=f"tls {uuid.uuid4().hex[:8]}"), **options)
    message = chat.create_message(parent=space.name, message=chat_v1.Message(text=f"over TLS ({transport})"),
                                  **options)
    got = chat.get_message(name=message.name, **options)
    return {"ok": True, "space": space.name, "message": message.name, "text": got.text}


def main() -> int:
    transport, endpoint, once = sys.argv[1], sys.argv[2], sys.argv[3:] == ["once"]
    try:
        summary = run(transport, endpoint, os.environ["CHATSVC_E2E_TOKEN"], once)
    except Exception as error:  # noqa: BLE001 (what failed is the answer: the test judges it)
        summary = {"ok": False, "error": type(error).__name__, "detail": str(error)[:4000]}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
