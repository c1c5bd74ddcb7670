"""Chat apps that check the audience of chatsvc's tokens themselves, run under .venv-official (google-auth; standard
library HTTP server). Usage: audience_app.py CERTS_URL LOG_FILE; prints its port, then serves until stdin closes.

The path of the request says which check the app makes, as Google's "Verify requests from Google Chat" writes them,
with chatsvc's certificates URL in place of Google's:

- `/number/N`: authentication audience "Project number" N: `id_token.verify_token(token, request, N, certs_url)`,
  then `iss` must be chat@system.gserviceaccount.com;
- `/url`: authentication audience "HTTP endpoint URL", this endpoint's own URL: `verify_token` for that URL, then
  `iss` https://accounts.google.com and `email` chat@system.gserviceaccount.com.

A request that passes gets 200 and a message; one that fails gets 401. When the app's check passes, the same token is
also put to the check of another project number and of the URL check, both of which must refuse it. Each request is
appended to LOG_FILE as a JSON line {"path", "type", "unverified": the token's claims read without checking,
"check": {"claims"} or {"error"}, "others": {name: {"claims"} or {"error"}}}.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth import jwt
from google.auth.transport import requests
from google.oauth2 import id_token

CHAT_ISSUER = "chat@system.gserviceaccount.com"
CERTS_URL, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


def project_number_check(token, number):
    claims = id_token.verify_token(token, requests.Request(), number, certs_url=CERTS_URL)
    if claims["iss"] != CHAT_ISSUER:
        raise ValueError(f"Invalid issuer {claims['iss']}")
    return claims


def endpoint_url_check(token, url):
    claims = id_token.verify_token(token, requests.Request(), url, certs_url=CERTS_URL)
    if claims["iss"] != "https://accounts.google.com" or claims["email"] != CHAT_ISSUER:
        raise ValueError(f"Invalid token from {claims['iss']} ({claims.get('email')})")
    return claims


def outcome(check, *args):
    try:
        return {"claims": check(*args)}
    except Exception as error:  # noqa: BLE001  (every refusal is reported, whatever google-auth raises)
        return {"error": f"{type(error).__name__}: {error}"}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        own_url = f"http://127.0.0.1:{self.server.server_port}{self.path}"
        others = {}
        if self.path.startswith("/number/"):
            number = self.path.removeprefix("/number/")
            check = outcome(project_number_check, token, number)
            if "claims" in check:
                others = {"another number": outcome(project_number_check, token, str(int(number) + 1)),
                          "the endpoint URL": outcome(endpoint_url_check, token, own_url)}
        else:
            check = outcome(endpoint_url_check, token, own_url)
        with LOCK, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"path": self.path, "type": event["type"],
                                  "unverified": jwt.decode(token, verify=False), "check": check,
                                  "others": others}) + "\n")
        if "error" in check:
            return self.answer(401, b"Unauthorized", "text/plain")
        reply = {"text": f"Verified for audience {check['claims']['aud']}"}
        return self.answer(200, json.dumps(reply).encode(), "application/json")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
