"""Reading a Chat app's synchronous reply (chatsvc.events.replies): both spellings of actionResponse, each type's
required part, cards refused as CreateMessage's JSON would refuse them, and the reply's thread kept to its space."""
from __future__ import annotations

import pytest
from google.chat.v1 import message_pb2

from chatsvc.domain.app_replies import ReplyType
from chatsvc.events.replies import ReplyError, parse

SPACE = "AAAA"


def test_a_message_or_nothing():
    assert parse({}, SPACE) is None
    reply = parse({"text": "hi", "thread": {"name": f"spaces/{SPACE}/threads/t1"}}, SPACE)
    assert reply.type is ReplyType.NEW_MESSAGE and reply.draft.text == "hi" and reply.draft.thread_id == "t1"
    assert parse({"actionResponse": {"type": "NEW_MESSAGE"}}, SPACE).draft is None  # nothing to post
    with pytest.raises(ReplyError, match="another space"):
        parse({"text": "hi", "thread": {"name": "spaces/OTHER/threads/t1"}}, SPACE)


def test_both_spellings_and_not_both_at_once():
    for key in ("actionResponse", "action_response"):
        reply = parse({key: {"type": "REQUEST_CONFIG", "url": "https://example.com/setup"}}, SPACE)
        assert (reply.type, reply.url) == (ReplyType.REQUEST_CONFIG, "https://example.com/setup")
    with pytest.raises(ReplyError):
        parse({"actionResponse": {"type": "DIALOG"}, "action_response": {"type": "DIALOG"}}, SPACE)


def test_dialogs_and_the_string_action_status_of_googles_samples():
    reply = parse({"actionResponse": {"type": "DIALOG", "dialogAction": {"actionStatus": "OK"}}}, SPACE)
    action = message_pb2.ActionResponse.FromString(reply.action_response)
    assert action.type == message_pb2.ActionResponse.DIALOG and action.dialog_action.HasField("action_status")
    opened = parse({"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {"body": {
        "header": {"title": "Form"}}}}}}, SPACE)
    assert message_pb2.ActionResponse.FromString(opened.action_response).dialog_action.dialog.body.header.title == \
        "Form"


@pytest.mark.parametrize(("reply", "why"), [
    ({"cardsV2": [{"cardId": "c", "card": {"sections": [{"widgets": [{"noSuchWidget": {}}]}]}}]}, "noSuchWidget"),
    ({"text": 5}, "text"),
    ({"actionResponse": {"type": "NO_SUCH_TYPE"}}, "NO_SUCH_TYPE"),
    ({"actionResponse": {"type": "REQUEST_CONFIG"}}, "url"),
    ({"actionResponse": {"type": "REQUEST_CONFIG", "url": "ftp://example.com"}}, "url"),
    ({"actionResponse": {"type": "DIALOG"}}, "dialogAction"),
    ({"actionResponse": {"type": "DIALOG", "dialogAction": {"dialog": {}}}}, "body"),
    ({"actionResponse": {"type": "UPDATE_WIDGET", "updatedWidget": {"widget": "w"}}}, "suggestions"),
    ({"actionResponse": {"type": "UPDATE_MESSAGE"}}, "new content"),
    ({"actionResponse": {"type": "UPDATE_USER_MESSAGE_CARDS"}}, "new content"),
])
def test_invalid_replies_say_why(reply, why):
    with pytest.raises(ReplyError, match=why):
        parse(reply, SPACE)
