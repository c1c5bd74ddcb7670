"""A Chat app's HTTP endpoint for the delivery fault tests, run under .venv-official (google-auth, standard library
HTTP server). Usage: fault_app.py CERTS_URL_FILE LOG_FILE; prints its port, then serves until stdin closes.

The certificates URL is read from CERTS_URL_FILE at every request, as the server it comes from is killed and started
again on another port (the key stays: it lives in the shared data directory). Every request's ID token is verified
with google-auth for the audience http://127.0.0.1:PORT/; each request is appended to LOG_FILE as a JSON line
{"type", "message", "verified"} (verified: true, or why not) when it arrives, before it is answered. A MESSAGE
whose text is `hold` is held for a minute the first time it arrives (a delivery in flight when the server dies),
answered at once afterwards. Answers are empty bodies (no reply message).
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

CERTS_FILE, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
HELD = set()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        with open(CERTS_FILE) as f:
            certs_url = f.read().strip()
        try:
            claims = id_token.verify_token(token, requests.Request(), f"http://127.0.0.1:{self.server.server_port}/",
                                           certs_url=certs_url)
            verified = claims["email"] == "chat@system.gserviceaccount.com" or claims["email"]
        except Exception as e:  # noqa: BLE001
            verified = f"{type(e).__name__}: {e}"
        message = event.get("message", {})
        with LOCK:
            with open(LOG_FILE, "a") as log:
                log.write(json.dumps({"type": event["type"], "message": message.get("name", ""),
                                      "verified": verified}) + "\n")
            hold = message.get("text") == "hold" and message["name"] not in HELD
            if hold:
                HELD.add(message["name"])
        if hold:
            time.sleep(60)
        self.send_response(200 if verified is True else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
