"""The two event formats a Chat app can choose: Chat's classic event JSON, or the Google Workspace add-on format.

Events are built in the classic format (chatsvc.events.payloads); an add-on app gets them translated on the way out
and its reply translated back, so the rest of delivery knows one format.
"""
from __future__ import annotations

from chatsvc.domain.chat_apps import ChatApp, EventFormat


class ReplyFormatError(ValueError):
    """A reply that does not have the shape of the app's format; the message says what is wrong."""


def event_for(app: ChatApp, classic: dict) -> dict:
    """The event as `app` reads it."""
    if app.event_format is EventFormat.ADDON:
        raise ReplyFormatError("the Google Workspace add-on event format is not built yet")
    return classic


def classic_reply(app: ChatApp, reply: dict) -> dict:
    """`app`'s reply (a JSON object) in the classic format: a Message, maybe with `actionResponse`."""
    if app.event_format is EventFormat.ADDON:
        raise ReplyFormatError("the Google Workspace add-on reply format is not built yet")
    return reply
