"""The end of a REQUEST_CONFIG flow, as Google Chat does it: when the user reaches the event's
`configCompleteRedirectUrl`, the private configuration prompt the app's reply made (chatsvc.domain.app_replies) is
erased and the user's message is dispatched to the same app a second time (a new MESSAGE event in the outbox).

A link works once per prompt: with the prompt gone (reached before, or the reply was no REQUEST_CONFIG) it does
nothing. Google also keeps the user's message private until then; chatsvc leaves it as it was posted.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip import ids
from chatsvc.domain.access import read, write
from chatsvc.domain.app_replies import app_principal, prompt_id
from chatsvc.domain.errors import NotFound
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.events.records import EventType, QueuedEvent


@dataclass(frozen=True)
class ConfigRequest:
    """What a `configCompleteRedirectUrl` names: the MESSAGE event, its app, space, message and user."""

    app_name: str
    space_id: str
    message_id: str
    user_id: str
    event_id: str


class ConfigCompletion:
    def __init__(self, db: Transactions, messages, clock: Clock):
        self._db = db
        self._messages = messages  # chatsvc.domain.messages.Messages
        self._clock = clock

    async def complete(self, request: ConfigRequest) -> bool:
        """Erases the prompt and dispatches the message again; False when there was no prompt (any more)."""
        app = await read(self._db, lambda r: r.chat_apps.by_name(request.app_name))
        if app is None:
            return False
        try:
            await self._messages.delete(app_principal(app), request.space_id, prompt_id(request.event_id))
        except NotFound:
            return False
        again = QueuedEvent(ids.opaque_id(), app.name, EventType.MESSAGE, request.space_id, request.user_id,
                            self._clock(), request.message_id)
        await write(self._db, lambda r: r.app_events.add(again))
        return True
