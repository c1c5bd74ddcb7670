"""The Google Workspace add-on format (chatsvc.events.addon_format): classic events translated into add-on event objects
and add-on replies back into classic replies, as pure functions; then end to end, an app registered with the add-on
format (tests/events/addon_app.py, verifying chatsvc's ID token with google-auth) answering in a DM with
createMessageAction, and a reply of the wrong shape recorded failed with its reason.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2

from chatsvc.apps.v1 import chat_app_pb2
from chatsvc.domain.chat_apps import ChatApp, EventFormat
from chatsvc.events import formats
from chatsvc.events.addon_format import AddonFormatError, addon_event, classic_reply
from chatsvc.events.records import Outcome
from tests.apps.support import register
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process
from tests.events.deliveries import settled

SPACE = {"name": "spaces/AAAA", "spaceType": "SPACE", "displayName": "Ops"}
USER = {"name": "users/123", "displayName": "Alice", "email": "alice@example.com", "type": "HUMAN"}
THREAD = {"name": "spaces/AAAA/threads/T1"}
MESSAGE = {"name": "spaces/AAAA/messages/M1", "text": "@bot hi", "argumentText": " hi", "thread": THREAD,
           "sender": USER, "space": SPACE}
TIME = "2026-12-07T05:00:00.123456Z"


def classic(kind: str, **fields) -> dict:
    return {"type": kind, "eventTime": TIME, "space": SPACE, "user": USER, "common": {"hostApp": "CHAT"}, **fields}


# --- events -----------------------------------------------------------------------------------------------------

def test_message_event_is_a_message_payload():
    event = addon_event(classic("MESSAGE", message=MESSAGE, thread=THREAD,
                                configCompleteRedirectUrl="https://chat.example/config?token=x"))
    assert event == {
        "commonEventObject": {"hostApp": "CHAT"},
        "chat": {"user": USER, "space": SPACE, "eventTime": TIME,
                 "messagePayload": {"message": MESSAGE, "space": SPACE,
                                    "configCompleteRedirectUri": "https://chat.example/config?token=x"}}}
    token = addon_event(classic("MESSAGE", message=MESSAGE), "header.payload.signature")
    assert token["authorizationEventObject"] == {"systemIdToken": "header.payload.signature"}


def test_slash_command_is_an_app_command_payload():
    message = {**MESSAGE, "text": "/vote yes", "argumentText": " yes",
               "slashCommand": {"commandId": "7"}, "annotations": [{"type": "SLASH_COMMAND"}]}
    event = classic("MESSAGE", message=message, isDialogEvent=True, dialogEventType="REQUEST_DIALOG")
    chat = addon_event(event)["chat"]
    assert set(chat) == {"user", "space", "eventTime", "appCommandPayload"}
    assert chat["appCommandPayload"] == {
        "message": message, "space": SPACE,
        "appCommandMetadata": {"appCommandId": 7, "appCommandType": "SLASH_COMMAND"}, "isDialogEvent": True,
        "dialogEventType": "REQUEST_DIALOG"}


def test_membership_events():
    added = addon_event(classic("ADDED_TO_SPACE"))["chat"]
    assert added["addedToSpacePayload"] == {"space": SPACE, "interactionAdd": False}
    by_message = addon_event(classic("ADDED_TO_SPACE", message=MESSAGE))["chat"]["addedToSpacePayload"]
    assert by_message == {"space": SPACE, "interactionAdd": True}
    removed = addon_event(classic("REMOVED_FROM_SPACE"))
    assert removed["chat"] == {"user": USER, "space": SPACE, "eventTime": TIME,
                               "removedFromSpacePayload": {"space": SPACE}}


def test_card_click_dialog_widget_and_quick_command():
    form = {"name": {"stringInputs": {"value": ["Kai"]}}}
    clicked = addon_event(classic(
        "CARD_CLICKED", message=MESSAGE, isDialogEvent=True, dialogEventType="SUBMIT_DIALOG",
        action={"actionMethodName": "submit", "parameters": [{"key": "step", "value": "2"}]},
        common={"hostApp": "CHAT", "formInputs": form, "invokedFunction": "submit"}))
    assert clicked["commonEventObject"] == {"hostApp": "CHAT", "formInputs": form, "invokedFunction": "submit",
                                            "parameters": {"step": "2"}}
    assert clicked["chat"]["buttonClickedPayload"] == {"message": MESSAGE, "space": SPACE, "isDialogEvent": True,
                                                       "dialogEventType": "SUBMIT_DIALOG"}
    # A click without `common.invokedFunction`: the action's method name stands in for it.
    bare = addon_event(classic("CARD_CLICKED", message=MESSAGE, action={"actionMethodName": "vote"}, common={}))
    assert bare["commonEventObject"] == {"hostApp": "CHAT", "invokedFunction": "vote"}

    widget = addon_event(classic("WIDGET_UPDATED", common={
        "hostApp": "CHAT", "parameters": {"autocomplete_widget_query": "ka"}, "invokedFunction": "contacts"}))
    assert widget["commonEventObject"]["parameters"] == {"autocomplete_widget_query": "ka"}
    assert widget["chat"]["widgetUpdatedPayload"] == {"space": SPACE}

    metadata = {"appCommandId": 3, "appCommandType": "QUICK_COMMAND"}
    quick = addon_event(classic("APP_COMMAND", appCommandMetadata=metadata, isDialogEvent=True,
                                dialogEventType="REQUEST_DIALOG"))["chat"]["appCommandPayload"]
    assert quick == {"space": SPACE, "appCommandMetadata": metadata, "isDialogEvent": True,
                     "dialogEventType": "REQUEST_DIALOG"}


def test_an_event_without_an_add_on_counterpart_is_refused():
    with pytest.raises(AddonFormatError, match="no event for APP_HOME"):
        addon_event(classic("APP_HOME"))


# --- replies ----------------------------------------------------------------------------------------------------

CARD = {"header": {"title": "Contact"}, "sections": [{"widgets": [{"textParagraph": {"text": "Name?"}}]}]}
CARDS = [{"cardId": "preview", "card": CARD}]


def data_action(**action):
    return {"hostAppDataAction": {"chatDataAction": action}}


@pytest.mark.parametrize("reply, expected", [
    ({}, {}),
    (data_action(createMessageAction={"message": {"text": "hi", "cardsV2": CARDS}}),
     {"text": "hi", "cardsV2": CARDS, "actionResponse": {"type": "NEW_MESSAGE"}}),
    (data_action(updateMessageAction={"message": {"text": "edited"}}),
     {"text": "edited", "actionResponse": {"type": "UPDATE_MESSAGE"}}),
    (data_action(updateInlinePreviewAction={"cardsV2": CARDS}),
     {"cardsV2": CARDS, "actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}}),
    ({"action": {"navigations": [{"pushCard": CARD}]}},
     {"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": CARD}}}}),
    ({"renderActions": {"action": {"navigations": [{"updateCard": CARD}]}}},
     {"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": CARD}}}}),
    ({"action": {"navigations": [{"endNavigation": {"action": "CLOSE_DIALOG"}}], "notification": {"text": "Saved"}}},
     {"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": {
         "statusCode": "OK", "userFacingMessage": "Saved"}}}}),
    ({"action": {"navigations": [{"endNavigation": "CLOSE_DIALOG"}]}},
     {"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": {"statusCode": "OK"}}}}),
    ({"action": {"modifyOperations": [{"updateWidget": {"widgetId": "contacts", "selectionInputWidgetSuggestions": {
        "suggestions": [{"text": "Kai", "value": "1"}]}}}]}},
     {"actionResponse": {"type": "UPDATE_WIDGET", "updatedWidget": {
         "widget": "contacts", "suggestions": {"items": [{"text": "Kai", "value": "1"}]}}}}),
    ({"basicAuthorizationPrompt": {"authorizationUrl": "https://example.com/auth", "resource": "Tracker"}},
     {"actionResponse": {"type": "REQUEST_CONFIG", "url": "https://example.com/auth"}}),
    ({"basic_authorization_prompt": {"authorization_url": "https://example.com/auth"}},
     {"actionResponse": {"type": "REQUEST_CONFIG", "url": "https://example.com/auth"}}),
], ids=["empty", "create", "update", "inline-preview", "push-card", "render-actions-update-card", "close-notify",
        "close-short", "autocomplete", "config", "config-snake-case"])
def test_add_on_replies_become_classic_replies(reply, expected):
    assert classic_reply(reply) == expected


@pytest.mark.parametrize("reply, says", [
    ({"text": "a classic reply"}, "createMessageAction.message"),
    ({"hostAppDataAction": {"chatDataAction": {}}}, "takes exactly one of `createMessageAction`"),
    (data_action(createMessageAction={"message": {}}, updateMessageAction={"message": {}}), "not 2"),
    (data_action(updateMessageAction={"cardsV2": CARDS}), "takes `message` (a Message), found `cardsV2`"),
    (data_action(createMessageAction={"message": "hi"}), "createMessageAction.message` must be a JSON object"),
    (data_action(updateInlinePreviewAction={"cardsV2": {}}), "takes `cardsV2`, a list of cards"),
    ({"hostAppDataAction": {"gmailDataAction": {}}}, "has `gmailDataAction`"),
    ({"action": {"navigations": []}}, "a list of one navigation"),
    ({"action": {"navigations": [{"popCard": True}]}}, "has `popCard`"),
    ({"action": {"navigations": [{"endNavigation": {"action": "EXPLODE"}}]}}, "must be one of CLOSE_DIALOG"),
    ({"action": {"navigations": [{"pushCard": CARD}], "notification": {"text": "x"}}}, "goes with an `endNavigation`"),
    ({"action": {"openLink": {"url": "https://example.com"}}}, "has `openLink`"),
    ({"action": {"modifyOperations": [{"updateWidget": {"widgetId": "w"}}]}},
     "takes `selectionInputWidgetSuggestions`"),
    ({"basicAuthorizationPrompt": {"resource": "Tracker"}}, "takes `authorizationUrl`"),
    ({"hostAppDataAction": {}, "action": {}}, "exactly one of `hostAppDataAction`, `action`, `renderActions`"),
], ids=["classic-message", "no-data-action", "two-data-actions", "update-without-message", "message-not-object",
        "cards-not-list", "other-host", "no-navigation", "pop-card", "bad-end", "notification-on-push",
        "open-link", "widget-without-suggestions", "config-without-url", "two-kinds"])
def test_wrong_add_on_replies_say_what_is_wrong(reply, says):
    with pytest.raises(AddonFormatError) as caught:
        classic_reply(reply)
    assert says in str(caught.value), str(caught.value)


def test_the_format_seam_chooses_by_the_app():
    classic_app = ChatApp(name="bot", user_id="u1", display_name="Bot", endpoint_url="https://bot.example/")
    addon_app = ChatApp(name="bot", user_id="u1", display_name="Bot", endpoint_url="https://bot.example/",
                        event_format=EventFormat.ADDON)
    event = classic("MESSAGE", message=MESSAGE)
    assert formats.event_for(classic_app, event) is event
    assert formats.classic_reply(classic_app, {"text": "hi"}) == {"text": "hi"}
    assert "messagePayload" in formats.event_for(addon_app, event)["chat"]
    with pytest.raises(formats.ReplyFormatError, match="^invalid add-on reply: an add-on app answers with actions"):
        formats.classic_reply(addon_app, {"text": "hi"})
    with pytest.raises(formats.ReplyFormatError, match="no event for APP_HOME"):
        formats.event_for(addon_app, classic("APP_HOME"))


# --- end to end ---------------------------------------------------------------------------------------------------

APP_SCRIPT = Path(__file__).resolve().parent / "addon_app.py"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
ADDON = "addon-bot"


@pytest.fixture(scope="module", params=BACKENDS)
async def addon_world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("addon")
    async with (fresh_database_url(request.param, tmp) as url,
                serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=5) as server):
        log = tmp / "received.jsonl"
        async with app_process(APP_SCRIPT, server, log) as endpoint:
            app = await register(server, ADDON, endpoint_url=endpoint,
                                 event_format=chat_app_pb2.ChatApp.EventFormat.ADDON)
            yield server, log, app


async def test_an_add_on_app_answers_a_direct_message(addon_world):
    server, log, app = addon_world
    assert app.event_format == chat_app_pb2.ChatApp.EventFormat.ADDON
    md = server.md(user=ALICE, app=ADDON, scopes=SCOPES)
    dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=md)
    sent = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=dm.name, message=message_pb2.Message(text="hello add-on")), metadata=md)
    [(_, _, delivery)] = await settled(server, ADDON, 1)
    assert (delivery.outcome, delivery.status_code) == (Outcome.REPLIED, 200), delivery
    [got] = [json.loads(line) for line in log.read_text().splitlines()]
    assert got["verified"] and got["system_id_token_matches"] is not False
    event = got["event"]
    assert event["commonEventObject"]["hostApp"] == "CHAT" and "type" not in event
    chat = event["chat"]
    assert set(chat) == {"user", "space", "eventTime", "messagePayload"}
    assert chat["user"]["email"] == ALICE and chat["user"]["name"] == sent.sender.name
    assert chat["space"]["name"] == dm.name and chat["messagePayload"]["space"]["singleUserBotDm"] is True
    message = chat["messagePayload"]["message"]
    assert message["name"] == sent.name and message["text"] == "hello add-on"
    assert message["thread"]["name"] == sent.thread.name
    recorded = json.loads(delivery.event_json)  # on record as sent (the ID token may be left out of the record)
    recorded.pop("authorizationEventObject", None)
    assert recorded == {k: v for k, v in event.items() if k != "authorizationEventObject"}

    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=dm.name), metadata=md)
    reply = listed.messages[-1]
    assert reply.text == "Add-on got: hello add-on" and reply.sender.name == app.user
    assert delivery.reply_message_id == reply.name

    # A classic Message is the wrong shape for an add-on: recorded failed with the reason, nothing posted.
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=dm.name, message=message_pb2.Message(text="classic")), metadata=md)
    rows = await settled(server, ADDON, 2)
    failed = rows[1][2]
    assert failed.outcome is Outcome.FAILED and failed.status_code == 200 and not failed.reply_message_id
    assert "createMessageAction" in failed.error and json.loads(failed.reply) == {"text": "a classic reply"}
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=dm.name), metadata=md)
    texts = [m.text for m in listed.messages]  # and maybe the "not responding" notice a failure leaves, as Google's
    assert texts[:3] == ["hello add-on", "Add-on got: hello add-on", "classic"] and "a classic reply" not in texts
