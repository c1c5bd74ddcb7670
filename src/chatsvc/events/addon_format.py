"""The Google Workspace add-on format of Chat app events, translated from and to Chat's classic format.

chatsvc builds every event in the classic format (chatsvc.events.payloads); an app registered with the add-on
format gets it as Google's add-on `EventObject` and answers with add-on actions, which are turned back into the
classic reply (a Message, maybe with `actionResponse`) so that delivery acts on one format. Pure functions on JSON
objects; the field names are Google's ("Convert an interactive Google Chat app to a Google Workspace add-on", the
add-ons `EventObject` and Chat action references).

The event:

    {"commonEventObject": {"hostApp": "CHAT", ...the classic `common`, `action.parameters` as a map},
     "authorizationEventObject": {"systemIdToken": the ID token},  # only when one is given
     "chat": {"user", "space", "eventTime", and one payload}}

The payload by classic event: MESSAGE is `messagePayload` {message, space, configCompleteRedirectUri}, or, for a
slash command, `appCommandPayload` {message, space, appCommandMetadata (SLASH_COMMAND)}; ADDED_TO_SPACE is
`addedToSpacePayload` {space, interactionAdd, configCompleteRedirectUri}; REMOVED_FROM_SPACE `removedFromSpacePayload`
{space}; CARD_CLICKED (and SUBMIT_FORM) `buttonClickedPayload` {message, space, isDialogEvent, dialogEventType};
WIDGET_UPDATED `widgetUpdatedPayload` {space}; APP_COMMAND `appCommandPayload` {message, space, appCommandMetadata,
isDialogEvent, dialogEventType, configCompleteRedirectUri}. The classic top-level `thread` is the message's own.

What a local server cannot honestly fill is left out: `authorizationEventObject.userOAuthToken` and `userIdToken`
(Google's tokens for the user, granted to the add-on's scopes), and Google's add-on service account (chatsvc signs as
chat@system.gserviceaccount.com for every app). An app added by a message gets one event here, `addedToSpacePayload`
with `interactionAdd` true, where Google sends that one and then the message's own event.

The reply, one of:

- `hostAppDataAction.chatDataAction` with exactly one of `createMessageAction` {message} (NEW_MESSAGE),
  `updateMessageAction` {message} (UPDATE_MESSAGE), `updateInlinePreviewAction` {cardsV2} (UPDATE_USER_MESSAGE_CARDS);
- `action` (or `renderActions.action`): `navigations` [{pushCard | updateCard: Card}] (DIALOG with the card as the
  dialog's body), [{endNavigation: {action: CLOSE_DIALOG}}] with an optional `notification` {text} (DIALOG with
  `actionStatus`), or `modifyOperations` [{updateWidget: {widgetId, selectionInputWidgetSuggestions: {suggestions}}}]
  (UPDATE_WIDGET);
- `basicAuthorizationPrompt` {authorizationUrl, resource} (REQUEST_CONFIG with the URL; the classic reply has no
  place for `resource`);
- `{}` or nothing: no reply.
"""
from __future__ import annotations

from typing import Any


class AddonFormatError(ValueError):
    """A reply (or an event) the add-on format has no translation for; the message says what is wrong."""


# The classic event's type -> the add-on payload it becomes (MESSAGE with a slash command: appCommandPayload).
PAYLOADS = {
    "MESSAGE": "messagePayload",
    "ADDED_TO_SPACE": "addedToSpacePayload",
    "REMOVED_FROM_SPACE": "removedFromSpacePayload",
    "CARD_CLICKED": "buttonClickedPayload",
    "SUBMIT_FORM": "buttonClickedPayload",
    "WIDGET_UPDATED": "widgetUpdatedPayload",
    "APP_COMMAND": "appCommandPayload",
}
CLOSE_ACTIONS = ("CLOSE_DIALOG", "CLOSE_DIALOG_AND_EXECUTE")


def _copy(source: dict, target: dict, *pairs: tuple[str, str]) -> None:
    for classic_name, addon_name in pairs:
        if classic_name in source:
            target[addon_name] = source[classic_name]


def _common(classic: dict) -> dict:
    """`commonEventObject`: the classic `common`, with the clicked action's parameters as a map of strings."""
    common = dict(classic.get("common") or {})
    common["hostApp"] = "CHAT"
    action = classic.get("action") or {}
    parameters = dict(common.get("parameters") or {})
    for parameter in action.get("parameters") or ():
        if isinstance(parameter, dict) and "key" in parameter:
            parameters[parameter["key"]] = parameter.get("value", "")
    if parameters:
        common["parameters"] = parameters
    if action.get("actionMethodName") and "invokedFunction" not in common:
        common["invokedFunction"] = action["actionMethodName"]
    return common


def _slash_metadata(message: dict) -> dict | None:
    command = message.get("slashCommand")
    if not isinstance(command, dict) or "commandId" not in command:
        return None
    return {"appCommandId": int(command["commandId"]), "appCommandType": "SLASH_COMMAND"}


def addon_event(classic: dict, system_id_token: str = "") -> dict:
    """The classic event JSON as the add-on `EventObject`."""
    kind = classic.get("type", "")
    payload_name = PAYLOADS.get(kind)
    if payload_name is None:
        raise AddonFormatError(f"the Google Workspace add-on format has no event for {kind or 'an untyped event'}")
    payload: dict[str, Any] = {}
    message = classic.get("message")
    metadata = classic.get("appCommandMetadata")
    if kind == "MESSAGE" and isinstance(message, dict):
        slash = _slash_metadata(message)
        if slash is not None:
            payload_name, metadata = "appCommandPayload", slash
    if payload_name in ("messagePayload", "buttonClickedPayload", "appCommandPayload") and message is not None:
        payload["message"] = message
    if "space" in classic:
        payload["space"] = classic["space"]
    if payload_name == "addedToSpacePayload":
        payload["interactionAdd"] = message is not None
    if payload_name == "appCommandPayload" and metadata is not None:
        payload["appCommandMetadata"] = metadata
    if payload_name in ("buttonClickedPayload", "appCommandPayload"):
        _copy(classic, payload, ("isDialogEvent", "isDialogEvent"), ("dialogEventType", "dialogEventType"))
    if kind == "SUBMIT_FORM":
        payload["dialogEventType"] = "SUBMIT_DIALOG"
    if payload_name in ("messagePayload", "addedToSpacePayload", "appCommandPayload"):
        _copy(classic, payload, ("configCompleteRedirectUrl", "configCompleteRedirectUri"))

    chat: dict[str, Any] = {}
    _copy(classic, chat, ("user", "user"), ("space", "space"), ("eventTime", "eventTime"))
    chat[payload_name] = payload
    event: dict[str, Any] = {"commonEventObject": _common(classic)}
    if system_id_token:
        event["authorizationEventObject"] = {"systemIdToken": system_id_token}
    event["chat"] = chat
    return event


# --- replies ----------------------------------------------------------------------------------------------------

def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise AddonFormatError(f"`{where}` must be a JSON object")
    return value


def _only(value: dict, where: str, allowed: tuple[str, ...]) -> str:
    """The one key `value` has among `allowed`; an error for none, several or any other."""
    label = where if where.startswith("the ") else f"`{where}`"
    choices = ", ".join(f"`{name}`" for name in allowed)
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise AddonFormatError(f"{label} has `{unknown[0]}`; it takes exactly one of {choices}")
    if len(value) != 1:
        raise AddonFormatError(f"{label} takes exactly one of {choices}" + (f", not {len(value)}" if value else ""))
    return next(iter(value))


def _with_response(message: dict, response: dict) -> dict:
    reply = {k: v for k, v in message.items() if k not in ("actionResponse", "action_response")}
    reply["actionResponse"] = response
    return reply


def _data_action(host: dict) -> dict:
    _only(host, "hostAppDataAction", ("chatDataAction",))
    data = _object(host["chatDataAction"], "hostAppDataAction.chatDataAction")
    where = "hostAppDataAction.chatDataAction"
    kind = _only(data, where, ("createMessageAction", "updateMessageAction", "updateInlinePreviewAction"))
    body = _object(data[kind], f"{where}.{kind}")
    if kind == "updateInlinePreviewAction":
        if set(body) != {"cardsV2"} or not isinstance(body["cardsV2"], list):
            raise AddonFormatError(f"`{where}.updateInlinePreviewAction` takes `cardsV2`, a list of cards")
        return {"cardsV2": body["cardsV2"], "actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}}
    if set(body) != {"message"}:
        found = ", ".join(f"`{k}`" for k in sorted(body)) or "nothing"
        raise AddonFormatError(f"`{where}.{kind}` takes `message` (a Message), found {found}")
    message = _object(body["message"], f"{where}.{kind}.message")
    return _with_response(message, {"type": "NEW_MESSAGE" if kind == "createMessageAction" else "UPDATE_MESSAGE"})


def _navigation(action: dict, where: str) -> dict:
    navigations = action["navigations"]
    if not isinstance(navigations, list) or len(navigations) != 1:
        raise AddonFormatError(f"`{where}.navigations` must be a list of one navigation (chatsvc's dialogs have no "
                               "card stack)")
    step = _object(navigations[0], f"{where}.navigations[0]")
    kind = _only(step, f"{where}.navigations[0]", ("pushCard", "updateCard", "endNavigation"))
    if kind == "endNavigation":
        end = step[kind]
        end = end.get("action") if isinstance(end, dict) else end  # Google's guide writes both forms
        if end not in CLOSE_ACTIONS:
            raise AddonFormatError(f"`{where}.navigations[0].endNavigation.action` must be one of "
                                   + ", ".join(CLOSE_ACTIONS))
        status: dict[str, Any] = {"statusCode": "OK"}
        notification = action.get("notification")
        if notification is not None:
            text = _object(notification, f"{where}.notification").get("text")
            if not isinstance(text, str):
                raise AddonFormatError(f"`{where}.notification` takes `text`, a string")
            status["userFacingMessage"] = text
        return {"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": status}}}
    if "notification" in action:
        raise AddonFormatError(f"`{where}.notification` goes with an `endNavigation`, not with `{kind}`")
    card = _object(step[kind], f"{where}.navigations[0].{kind}")
    return {"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": card}}}}


def _widget_update(action: dict, where: str) -> dict:
    operations = action["modifyOperations"]
    if not isinstance(operations, list) or len(operations) != 1:
        raise AddonFormatError(f"`{where}.modifyOperations` must be a list of one operation")
    operation = _object(operations[0], f"{where}.modifyOperations[0]")
    _only(operation, f"{where}.modifyOperations[0]", ("updateWidget",))
    update = _object(operation["updateWidget"], f"{where}.modifyOperations[0].updateWidget")
    inner = f"{where}.modifyOperations[0].updateWidget"
    unknown = sorted(set(update) - {"widgetId", "selectionInputWidgetSuggestions"})
    if unknown or "selectionInputWidgetSuggestions" not in update:
        raise AddonFormatError(f"`{inner}` takes `selectionInputWidgetSuggestions` and an optional `widgetId`"
                               + (f", not `{unknown[0]}`" if unknown else ""))
    suggestions = _object(update["selectionInputWidgetSuggestions"], f"{inner}.selectionInputWidgetSuggestions")
    items = suggestions.get("suggestions", [])
    if set(suggestions) - {"suggestions"} or not isinstance(items, list):
        raise AddonFormatError(f"`{inner}.selectionInputWidgetSuggestions` takes `suggestions`, a list of items")
    widget: dict[str, Any] = {"suggestions": {"items": items}}
    if "widgetId" in update:
        widget["widget"] = update["widgetId"]
    return {"actionResponse": {"type": "UPDATE_WIDGET", "updatedWidget": widget}}


def _action(action: dict, where: str) -> dict:
    unknown = sorted(set(action) - {"navigations", "notification", "modifyOperations"})
    if unknown:
        raise AddonFormatError(f"`{where}` has `{unknown[0]}`, which Chat does not take; it takes `navigations` "
                               "(with an optional `notification`) or `modifyOperations`")
    if ("navigations" in action) == ("modifyOperations" in action):
        raise AddonFormatError(f"`{where}` takes either `navigations` or `modifyOperations`")
    if "modifyOperations" in action:
        if "notification" in action:
            raise AddonFormatError(f"`{where}.notification` goes with an `endNavigation`")
        return _widget_update(action, where)
    return _navigation(action, where)


def _authorization_prompt(prompt: dict, where: str) -> dict:
    url = prompt.get("authorizationUrl", prompt.get("authorization_url"))
    if not isinstance(url, str) or not url:
        raise AddonFormatError(f"`{where}` takes `authorizationUrl`, the URL that sets the app up")
    return {"actionResponse": {"type": "REQUEST_CONFIG", "url": url}}


REPLY_KINDS = ("hostAppDataAction", "action", "renderActions", "basicAuthorizationPrompt")


def classic_reply(reply: dict) -> dict:
    """An add-on app's reply (a JSON object) as the classic reply: `{}` (nothing), or a Message maybe with
    `actionResponse`."""
    if not reply:
        return {}
    # The protobuf JSON spelling of Google's parsers: lowerCamelCase, or the proto field name.
    if "basic_authorization_prompt" in reply:
        reply = {("basicAuthorizationPrompt" if k == "basic_authorization_prompt" else k): v for k, v in reply.items()}
    if "text" in reply or "cardsV2" in reply or "actionResponse" in reply:
        raise AddonFormatError("an add-on app answers with actions, not a Message: a new message goes in "
                               "`hostAppDataAction.chatDataAction.createMessageAction.message`")
    kind = _only(reply, "the reply", REPLY_KINDS)
    value = _object(reply[kind], kind)
    if kind == "hostAppDataAction":
        return _data_action(value)
    if kind == "renderActions":
        _only(value, "renderActions", ("action",))
        return _action(_object(value["action"], "renderActions.action"), "renderActions.action")
    if kind == "action":
        return _action(value, "action")
    return _authorization_prompt(value, kind)
