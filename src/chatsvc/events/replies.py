"""A Chat app's synchronous reply (classic format) read into a chatsvc.domain.app_replies.Reply: the wire half.

The reply is a google.chat.v1.Message in proto3 JSON, maybe with an `actionResponse` (Google's samples also write
`action_response`; proto3 JSON parsing takes both, and both at once is an error). It is parsed with json_format
into the Message proto, so an unknown field, a wrong type or an invalid enum anywhere (cards included) is refused
exactly as CreateMessage's JSON body would be; the content then becomes a draft through the same conversion as
CreateMessage (chatsvc.api.message_protos.content_draft), and the domain's message rules check it when it is posted.

One leniency, because Google's own dialog samples send it: `dialogAction.actionStatus` given as a status code
string ("OK") reads as `{"statusCode": "OK"}`.

Each type's required part is checked here: UPDATE_MESSAGE and UPDATE_USER_MESSAGE_CARDS need content,
REQUEST_CONFIG an http(s) `url`, DIALOG a `dialogAction` (a dialog with a body, or an action status), UPDATE_WIDGET
`updatedWidget.suggestions`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from google.chat.v1 import message_pb2
from google.protobuf import json_format

from chatsvc.aip import names
from chatsvc.api.message_protos import content_draft
from chatsvc.domain.app_replies import Reply, ReplyType
from chatsvc.domain.errors import DomainError
from chatsvc.domain.message_drafts import ReplyOption

_Type = message_pb2.ActionResponse.ResponseType
_TYPES = {_Type.TYPE_UNSPECIFIED: ReplyType.NEW_MESSAGE, _Type.NEW_MESSAGE: ReplyType.NEW_MESSAGE,
          _Type.UPDATE_MESSAGE: ReplyType.UPDATE_MESSAGE,
          _Type.UPDATE_USER_MESSAGE_CARDS: ReplyType.UPDATE_USER_MESSAGE_CARDS,
          _Type.REQUEST_CONFIG: ReplyType.REQUEST_CONFIG, _Type.DIALOG: ReplyType.DIALOG,
          _Type.UPDATE_WIDGET: ReplyType.UPDATE_WIDGET}
_ACTION_KEYS = ("actionResponse", "action_response")


class ReplyError(ValueError):
    """A reply that is not a valid answer; the message says what is wrong."""


def _lenient(reply: dict) -> dict:
    """`dialogAction.actionStatus: "OK"` as `{"statusCode": "OK"}` (copies only what it changes)."""
    for key in _ACTION_KEYS:
        action = reply.get(key)
        if not isinstance(action, dict):
            continue
        for dialog_key in ("dialogAction", "dialog_action"):
            dialog = action.get(dialog_key)
            if not isinstance(dialog, dict):
                continue
            for status_key in ("actionStatus", "action_status"):
                if isinstance(dialog.get(status_key), str):
                    dialog = {**dialog, status_key: {"statusCode": dialog[status_key]}}
                    reply = {**reply, key: {**action, dialog_key: dialog}}
    return reply


def parse(reply: dict, space_id: str) -> Reply | None:
    """The reply of an event in space `space_id`; None for `{}`. ReplyError when it is not a valid answer."""
    if not reply:
        return None
    proto = message_pb2.Message()
    try:
        json_format.ParseDict(_lenient(reply), proto)
    except json_format.ParseError as e:
        raise ReplyError(f"the reply is not a valid Message: {e}") from None
    action = proto.action_response
    proto.ClearField("action_response")
    if action.type not in _TYPES:
        raise ReplyError(f"actionResponse.type {action.type} is not a response type")
    kind = _TYPES[action.type]
    action.type = _Type.Value(kind.value)
    draft = _draft(proto, space_id)
    if kind in (ReplyType.UPDATE_MESSAGE, ReplyType.UPDATE_USER_MESSAGE_CARDS) and draft is None:
        raise ReplyError(f"an actionResponse of type {kind.value} needs the message's new content")
    if kind is ReplyType.REQUEST_CONFIG:
        parts = urlsplit(action.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ReplyError("an actionResponse of type REQUEST_CONFIG needs `url`, an http(s) URL")
    if kind is ReplyType.DIALOG:
        dialog = action.dialog_action
        if not (dialog.HasField("dialog") or dialog.HasField("action_status")):
            raise ReplyError("an actionResponse of type DIALOG needs `dialogAction` with a dialog or an actionStatus")
        if dialog.HasField("dialog") and not dialog.dialog.HasField("body"):
            raise ReplyError("`dialogAction.dialog` needs a `body`, the dialog's card")
    if kind is ReplyType.UPDATE_WIDGET and not action.updated_widget.HasField("suggestions"):
        raise ReplyError("an actionResponse of type UPDATE_WIDGET needs `updatedWidget.suggestions`")
    return Reply(kind, draft, url=action.url, action_response=action.SerializeToString(deterministic=True))


def _draft(proto: message_pb2.Message, space_id: str):
    """The reply's message part as a draft (its thread included), or None when it has no content."""
    thread = message_pb2.Thread()
    thread.CopyFrom(proto.thread)
    proto.ClearField("thread")
    if not proto.ListFields():
        return None
    request: dict = {}
    try:
        if thread.name:
            thread_space, request["thread_id"] = names.thread(thread.name, "thread.name")
            if thread_space != space_id:
                raise ReplyError("invalid reply: thread.name names a thread of another space")
        if thread.name or thread.thread_key:
            request.update(thread_key=thread.thread_key, reply_option=ReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
        return content_draft(proto, **request)
    except DomainError as e:
        raise ReplyError(f"invalid reply: {e.message}") from None
