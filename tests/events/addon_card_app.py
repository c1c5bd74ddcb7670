"""A Chat app in the Google Workspace add-on format with a dialog, run under .venv-official (google-auth; standard
library HTTP server). Usage: addon_card_app.py CERTS_URL LOG_FILE; prints its port, then serves until stdin closes.

Every request's bearer token is verified with google-auth against chatsvc's certificates URL for the audience
http://127.0.0.1:PORT/ (401 otherwise); each request is appended to LOG_FILE as a JSON line {"event", "verified"}.
Answers add-on actions: a message -> createMessageAction of a card with an OPEN_DIALOG button `openForm`; the
button -> navigations pushCard (the dialog); the dialog's submit -> endNavigation with a notification "Saved NAME".
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

CERTS_URL, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
CARD = [{"cardId": "form", "card": {"header": {"title": "Add-on"}, "sections": [{"widgets": [{"buttonList": {
    "buttons": [{"text": "Open", "onClick": {"action": {"function": "openForm", "interaction": "OPEN_DIALOG"}}}]}}]}]}}]


def answer(event):
    chat, common = event["chat"], event.get("commonEventObject", {})
    if "messagePayload" in chat:
        return {"hostAppDataAction": {"chatDataAction": {"createMessageAction": {"message": {
            "text": "add-on card", "cardsV2": CARD}}}}}
    clicked = chat.get("buttonClickedPayload", {})
    if clicked.get("dialogEventType") == "REQUEST_DIALOG":
        return {"action": {"navigations": [{"pushCard": {"header": {"title": "Add-on dialog"}}}]}}
    if clicked.get("dialogEventType") == "SUBMIT_DIALOG":
        name = common["formInputs"]["contactName"]["stringInputs"]["value"][0]
        return {"action": {"navigations": [{"endNavigation": {"action": "CLOSE_DIALOG"}}],
                           "notification": {"text": f"Saved {name}"}}}
    return {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = id_token.verify_token(token, requests.Request(), f"http://127.0.0.1:{self.server.server_port}/",
                                           certs_url=CERTS_URL)
            verified = claims["email"] == "chat@system.gserviceaccount.com"
        except Exception:  # noqa: BLE001
            verified = False
        with LOCK, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"event": event, "verified": verified}) + "\n")
        status, body = (200, json.dumps(answer(event)).encode()) if verified else (401, b"")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
