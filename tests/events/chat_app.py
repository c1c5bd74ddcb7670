"""A Chat app's HTTP endpoint, run under .venv-official (google-auth; standard library HTTP server, as .venv-official
has no aiohttp). Usage: chat_app.py CERTS_URL LOG_FILE; prints its port, then serves until stdin closes.

Every request's bearer token is verified as Google's "Verify requests from Google Chat" shows, against chatsvc's
certificates URL, for the audience http://127.0.0.1:PORT/ (the endpoint, the default audience); the same token must be
refused for another audience. Unverified requests get 401. Each request is appended to LOG_FILE as a JSON line
{"event", "user_agent", "content_type", "verified", "wrong_audience_refused"}.

Answers: ADDED_TO_SPACE a greeting; REMOVED_FROM_SPACE nothing; a slash command "Command ID (NAME): ARGUMENT TEXT"
from the message's `slashCommand` and its SLASH_COMMAND annotation; a link preview (the message's `matchedUrl`) `{}`;
other MESSAGE events by their text: `slow` sleeps past chatsvc's timeout, `boom` is HTTP 500, `garbage` is not JSON,
`quiet` an empty body, anything else "You said: ARGUMENT TEXT".
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

CHAT_ISSUER = "chat@system.gserviceaccount.com"
CERTS_URL, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


def verify(token, audience):
    claims = id_token.verify_token(token, requests.Request(), audience, certs_url=CERTS_URL)
    if claims["iss"] != "https://accounts.google.com" or claims["email"] != CHAT_ISSUER \
            or claims.get("email_verified") is not True:
        raise ValueError("Invalid token")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        audience = f"http://127.0.0.1:{self.server.server_port}/"
        try:
            verify(token, audience)
            verified = True
        except Exception:  # noqa: BLE001
            verified = False
        try:
            verify(token, audience + "other")
            refused = False
        except Exception:  # noqa: BLE001
            refused = True
        with LOCK, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"event": event, "user_agent": self.headers.get("User-Agent"),
                                  "content_type": self.headers.get("Content-Type"), "verified": verified,
                                  "wrong_audience_refused": refused}) + "\n")
        if not verified:
            return self.answer(401)
        if event["type"] == "ADDED_TO_SPACE":
            return self.answer(200, json.dumps({"text": "Thanks for adding me!"}).encode())
        if event["type"] == "REMOVED_FROM_SPACE":
            return self.answer(200, b"{}")
        message = event["message"]
        if "slashCommand" in message:
            [invoked] = [a["slashCommand"] for a in message["annotations"] if a["type"] == "SLASH_COMMAND"]
            answer = f"Command {message['slashCommand']['commandId']} ({invoked['commandName']}): " \
                     f"{message.get('argumentText', '')}"
            return self.answer(200, json.dumps({"text": answer}).encode())
        if "matchedUrl" in message:
            return self.answer(200, b"{}")
        text = message.get("argumentText", message.get("text", "")).strip()
        if text == "slow":
            time.sleep(4)
            return self.answer(200, json.dumps({"text": "too late"}).encode())
        if text == "boom":
            return self.answer(500, b"internal error", "text/plain")
        if text == "garbage":
            return self.answer(200, b"<html>not json</html>", "text/html")
        if text == "quiet":
            return self.answer(200)
        return self.answer(200, json.dumps({"text": f"You said: {text}"}).encode())


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
