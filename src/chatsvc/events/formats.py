"""The two event formats a Chat app can choose: Chat's classic event JSON, or the Google Workspace add-on format.

Events are built in the classic format (chatsvc.events.payloads); an add-on app gets them translated on the way out
and its reply translated back (chatsvc.events.addon_format), so the rest of delivery knows one format.
"""
from __future__ import annotations

from chatsvc.domain.chat_apps import ChatApp, EventFormat
from chatsvc.events import addon_format


class ReplyFormatError(ValueError):
    """A reply that does not have the shape of the app's format; the message says what is wrong."""


def event_for(app: ChatApp, classic: dict, *, system_id_token: str = "") -> dict:
    """The event as `app` reads it. An add-on event carries `system_id_token` (the ID token its request goes with)
    as `authorizationEventObject.systemIdToken` when one is given."""
    if app.event_format is EventFormat.ADDON:
        try:
            return addon_format.addon_event(classic, system_id_token)
        except addon_format.AddonFormatError as e:
            raise ReplyFormatError(str(e)) from None
    return classic


def classic_reply(app: ChatApp, reply: dict) -> dict:
    """`app`'s reply (a JSON object) in the classic format: a Message, maybe with `actionResponse`."""
    if app.event_format is EventFormat.ADDON:
        try:
            return addon_format.classic_reply(reply)
        except addon_format.AddonFormatError as e:
            raise ReplyFormatError(f"invalid add-on reply: {e}") from None
    return reply
