"""Google's basic Chat app (googleworkspace/google-chat-samples, python/basic-app/main.py), written again here: an
HTTP endpoint that answers ADDED_TO_SPACE and MESSAGE events with a text, after checking the bearer token as the
sample does when its request verification is turned on (`AUDIENCE_TYPE` and `AUDIENCE`, which the sample asks you to
set, come from the command line). The sample runs on Flask; this runs on the standard library's HTTP server, as
.venv-official has no Flask: the answers and the checks are the sample's.

The one change is the one the README shows: Google's certificates URL becomes chatsvc's. For "APP_URL" that turns the
sample's `verify_oauth2_token(bearer, request, AUDIENCE)` (which takes no certificates URL) into
`verify_token(bearer, request, AUDIENCE, certs_url=...)`; for "PROJECT_NUMBER" only the `certs_url` string changes.

Usage, under .venv-official: basic_chat_app.py PORT CHATSVC_HTTP_BASE AUDIENCE_TYPE AUDIENCE; prints "ready" once it
listens on 127.0.0.1:PORT, then serves until stdin closes.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

PORT, CHATSVC, AUDIENCE_TYPE, AUDIENCE = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
CHAT_ISSUER = "chat@system.gserviceaccount.com"  # the issuer of every bearer token an app receives


def verify_chat_app_request(bearer):
    """Whether a request is Google Chat's (here: chatsvc's), by the audience type the app was configured with."""
    if AUDIENCE_TYPE == "APP_URL":
        try:
            token = id_token.verify_token(bearer, requests.Request(), AUDIENCE,
                                          certs_url=CHATSVC + "/service_accounts/v1/metadata/x509/" + CHAT_ISSUER)
            return token["email"] == CHAT_ISSUER
        except Exception:  # noqa: BLE001  (the sample refuses on any error)
            return False
    if AUDIENCE_TYPE == "PROJECT_NUMBER":
        try:
            certs_url = CHATSVC + "/service_accounts/v1/metadata/x509/" + CHAT_ISSUER
            token = id_token.verify_token(bearer, requests.Request(), AUDIENCE, certs_url)
            return token["iss"] == CHAT_ISSUER
        except Exception:  # noqa: BLE001
            return False
    return True  # the sample skips the check unless an audience type is set


def format_response(event, authorization):
    text = ""
    if verify_chat_app_request(authorization[len("Bearer "):]) is not True:
        text = "Failed verification!"
    elif event["type"] == "ADDED_TO_SPACE" and event["space"]["type"] == "ROOM":
        text = f"Thanks for adding me to \"{event['space']['displayName']}\"!"
    elif event["type"] == "ADDED_TO_SPACE" and event["space"]["type"] == "DM":
        text = f"Thanks for adding me to a DM, {event['user']['displayName']}!"
    elif event["type"] == "MESSAGE":
        text = f"Your message: \"{event['message']['text']}\""
    return {"text": text}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        if self.path != "/":
            self.send_error(404)
            return
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        body = json.dumps(format_response(event, self.headers.get("Authorization"))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
server.shutdown()
