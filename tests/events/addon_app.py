"""A Chat app built as a Google Workspace add-on (HTTP), run under .venv-official (google-auth; standard library HTTP
server). Usage: addon_app.py CERTS_URL LOG_FILE; prints its port, then serves until stdin closes.

Every request's bearer token is verified as Google's add-on sample verifies it (an OpenID Connect ID token for the
endpoint URL, issued by accounts.google.com, then the signer's email), with google-auth's `id_token.verify_token`
against chatsvc's certificates URL (`verify_oauth2_token` is the same check with Google's URL fixed); chatsvc signs as
chat@system.gserviceaccount.com where Google uses the add-on's own service account. The event's
`authorizationEventObject.systemIdToken`, when present, must be that same token. Unverified requests get 401. Each
request is appended to LOG_FILE as a JSON line {"event", "verified", "system_id_token_matches"}.

Answers with add-on actions, by the event's payload: `addedToSpacePayload` a greeting message; `messagePayload` by its
text: `classic` answers in the classic format (a Message, wrong for an add-on), anything else
"Add-on got: ARGUMENT TEXT" through createMessageAction; anything else `{}`.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

CHAT_ISSUER = "chat@system.gserviceaccount.com"
CERTS_URL, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


def create_message(text):
    return {"hostAppDataAction": {"chatDataAction": {"createMessageAction": {"message": {"text": text}}}}}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, reply=None):
        body = json.dumps(reply).encode() if reply is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = id_token.verify_token(token, requests.Request(), f"http://127.0.0.1:{self.server.server_port}/",
                                           certs_url=CERTS_URL)
            verified = (claims["iss"] == "https://accounts.google.com" and claims["email"] == CHAT_ISSUER
                        and claims.get("email_verified") is True)
        except Exception:  # noqa: BLE001
            verified = False
        system_token = event.get("authorizationEventObject", {}).get("systemIdToken")
        with LOCK, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"event": event, "verified": verified,
                                  "system_id_token_matches": None if system_token is None
                                  else system_token == token}) + "\n")
        if not verified:
            return self.answer(401)
        chat = event["chat"]
        if "addedToSpacePayload" in chat:
            return self.answer(200, create_message("Thanks for adding the add-on!"))
        if "messagePayload" not in chat:
            return self.answer(200, {})
        message = chat["messagePayload"]["message"]
        text = message.get("argumentText", message.get("text", "")).strip()
        if text == "classic":
            return self.answer(200, {"text": "a classic reply"})
        return self.answer(200, create_message(f"Add-on got: {text}"))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
