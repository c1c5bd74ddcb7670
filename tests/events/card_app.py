"""A Chat app with cards, dialogs, autocomplete and a quick command, run under .venv-official (google-auth; standard
library HTTP server). Usage: card_app.py CERTS_URL LOG_FILE; prints its port, then serves until stdin closes.

Every request's bearer token is verified with google-auth against chatsvc's certificates URL for the audience
http://127.0.0.1:PORT/ (401 otherwise); each request is appended to LOG_FILE as a JSON line {"event", "verified"}.

Answers, by event:
- MESSAGE `card`: a card with a text input `city` (autocomplete `suggestCities`) and buttons vote (count=0),
  openForm (OPEN_DIALOG), slow, boom, garbage, badCard, claim. `configure`: REQUEST_CONFIG, and "Configured" when the
  same message comes again (after the configCompleteRedirectUrl was reached). A message with a matched URL:
  UPDATE_USER_MESSAGE_CARDS, a preview card with a `rename` button. `update me`: UPDATE_MESSAGE (not allowed on a
  MESSAGE event). `unpreviewed`: UPDATE_USER_MESSAGE_CARDS without a matched URL. `badcard`: a card with an unknown
  widget.
- CARD_CLICKED: vote -> UPDATE_MESSAGE "Votes: N (city)"; slow sleeps past the timeout; boom HTTP 500; garbage
  not JSON; badCard UPDATE_MESSAGE with an unknown widget; claim UPDATE_USER_MESSAGE_CARDS (of the app's own
  message); rename UPDATE_MESSAGE (of the user's message).
  REQUEST_DIALOG -> the Contact dialog; SUBMIT_DIALOG submitForm -> a message "Saved NAME", submitQuiet ->
  actionStatus "OK" (the string form of Google's samples); CANCEL_DIALOG -> actionStatus CANCELLED.
- WIDGET_UPDATED: the cities starting with the query. APP_COMMAND: a dialog "Command ID" (or text without one).
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.auth.transport import requests
from google.oauth2 import id_token

CERTS_URL, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
CITIES = ("Paris", "Parma", "Berlin")
ASKED = set()  # the messages answered with REQUEST_CONFIG


def button(text, function, dialog=False, **parameters):
    action = {"function": function, "parameters": [{"key": k, "value": v} for k, v in parameters.items()]}
    if dialog:
        action["interaction"] = "OPEN_DIALOG"
    return {"text": text, "onClick": {"action": action}}


def card(count, card_id="poll"):
    buttons = [button("Vote", "vote", count=str(count)), button("Open form", "openForm", dialog=True)] + [
        button(f, f) for f in ("slow", "boom", "garbage", "badCard", "claim")]
    return [{"cardId": card_id, "card": {"header": {"title": "Poll"}, "sections": [{"widgets": [
        {"textInput": {"name": "city", "label": "City", "autoCompleteAction": {"function": "suggestCities"}}},
        {"buttonList": {"buttons": buttons}}]}]}}]


BAD_CARD = [{"cardId": "bad", "card": {"sections": [{"widgets": [{"noSuchWidget": {}}]}]}}]
DIALOG = {"header": {"title": "Contact"}, "sections": [{"widgets": [
    {"textInput": {"name": "contactName", "label": "Name"}},
    {"buttonList": {"buttons": [button("Submit", "submitForm")]}}]}]}


def answer_message(event):
    message = event["message"]
    text = message.get("argumentText", message.get("text", "")).strip()
    if message.get("matchedUrl"):
        preview = [{"cardId": "preview", "card": {"header": {"title": "Preview of " + message["matchedUrl"]["url"]},
                                                  "sections": [{"widgets": [{"buttonList": {"buttons": [
                                                      button("Rename", "rename")]}}]}]}}]
        return {"actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}, "cardsV2": preview}
    if text == "card":
        return {"text": "A poll", "cardsV2": card(0)}
    if text == "configure" and message["name"] not in ASKED:  # the second time (configured): an answer
        ASKED.add(message["name"])
        return {"action_response": {"type": "REQUEST_CONFIG", "url": "https://config.example.com/setup"}}
    if text == "configure":
        return {"text": "Configured"}
    if text == "update me":
        return {"actionResponse": {"type": "UPDATE_MESSAGE"}, "text": "edited by the app"}
    if text == "unpreviewed":
        return {"actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}, "cardsV2": card(0)}
    if text == "badcard":
        return {"text": "a bad card", "cardsV2": BAD_CARD}
    return {}


def answer_click(event):
    function = event.get("action", {}).get("actionMethodName")
    params = {p["key"]: p["value"] for p in event.get("action", {}).get("parameters", [])}
    inputs = event.get("common", {}).get("formInputs", {})
    if event.get("isDialogEvent"):
        kind = event["dialogEventType"]
        if kind == "REQUEST_DIALOG":
            return {"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": DIALOG}}}}
        if kind == "CANCEL_DIALOG":
            return {"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": {
                "statusCode": "CANCELLED", "userFacingMessage": "Cancelled"}}}}
        if function == "submitQuiet":
            return {"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": "OK"}}}
        return {"text": "Saved " + inputs["contactName"]["stringInputs"]["value"][0]}
    if function == "vote":
        count = int(params["count"]) + 1
        city = inputs.get("city", {}).get("stringInputs", {}).get("value", ["?"])[0]
        return {"actionResponse": {"type": "UPDATE_MESSAGE"}, "text": f"Votes: {count} ({city})",
                "cardsV2": card(count)}
    if function == "badCard":
        return {"actionResponse": {"type": "UPDATE_MESSAGE"}, "cardsV2": BAD_CARD}
    if function == "claim":  # a user's message's cards, asked for on the app's own message
        return {"actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}, "cardsV2": card(9)}
    if function == "rename":
        return {"actionResponse": {"type": "UPDATE_MESSAGE"}, "text": "renamed by the app"}
    return {}


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
        try:
            claims = id_token.verify_token(token, requests.Request(), f"http://127.0.0.1:{self.server.server_port}/",
                                           certs_url=CERTS_URL)
            verified = claims["email"] == "chat@system.gserviceaccount.com"
        except Exception:  # noqa: BLE001
            verified = False
        with LOCK, open(LOG_FILE, "a") as log:
            log.write(json.dumps({"event": event, "verified": verified}) + "\n")
        if not verified:
            return self.answer(401)
        kind = event["type"]
        function = event.get("action", {}).get("actionMethodName")
        if function == "slow":
            time.sleep(2.5)
            return self.answer(200, b"{}")
        if function == "boom":
            return self.answer(500, b"internal error", "text/plain")
        if function == "garbage":
            return self.answer(200, b"<html>not json</html>", "text/html")
        if kind == "MESSAGE":
            reply = answer_message(event)
        elif kind == "CARD_CLICKED":
            reply = answer_click(event)
        elif kind == "WIDGET_UPDATED":
            query = event["common"]["parameters"]["autocomplete_widget_query"]
            items = [{"text": c, "value": c} for c in CITIES if c.startswith(query)]
            reply = {"actionResponse": {"type": "UPDATE_WIDGET", "updatedWidget": {
                "widget": "city", "suggestions": {"items": items}}}}
        elif kind == "APP_COMMAND":
            command = event["appCommandMetadata"]["appCommandId"]
            reply = {"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": {
                "header": {"title": f"Command {command}"}}}}}} if event.get("isDialogEvent") else {"text": "ran"}
        else:
            reply = {}
        return self.answer(200, json.dumps(reply).encode())


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
server.shutdown()
