"""A Chat app's synchronous reply to an event, acted on as Google documents (`ActionResponse.ResponseType`).

chatsvc.events.replies reads the reply's JSON into a `Reply`; `ReplyActions.apply` makes it take effect in the
context of the event (`ReplyContext`), all or nothing:

- NEW_MESSAGE: a new message from the app in the event's space: in the thread the reply names, else in the thread of
  the event's message when that was a thread reply. Posted through the same rules as CreateMessage under app
  authentication, so it causes no event.
- UPDATE_MESSAGE: replaces the text, cards and accessory widgets of the message whose card was clicked; only on a
  CARD_CLICKED event, and only when that message is the app's own.
- UPDATE_USER_MESSAGE_CARDS: sets the cards of the user's message of a link-preview event (a MESSAGE event whose
  message has a matched URL) or of a CARD_CLICKED event on a user's message; text is ignored.
- REQUEST_CONFIG: a private message from the app to the user who caused the event (only they see it) with the
  configuration URL: "<App> needs your configuration to continue: <URL|Configure App>"; the reply's text and cards
  are ignored, as Google says. Its client-assigned id ties it to the event, so the event's
  `configCompleteRedirectUrl` erases it (chatsvc.domain.app_config).
- DIALOG and UPDATE_WIDGET: nothing is stored; the dialog (or action status) and the suggestions go back to the
  caller of a synchronous interaction (chatsvc.domain.app_interactions). DIALOG answers dialog events only,
  UPDATE_WIDGET WIDGET_UPDATED events only.

A reply that cannot take effect raises `ReplyFailed` and leaves nothing behind. Then, like Google Chat, the user is
told: `not_responding` posts a private message from the app, visible to that user only, "<App> is not responding.".
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from enum import Enum

from chatsvc.aip.names import MemberRef, message_name
from chatsvc.domain import events
from chatsvc.domain.access import write
from chatsvc.domain.chat_apps import ChatApp
from chatsvc.domain.errors import DomainError
from chatsvc.domain.events import EventType
from chatsvc.domain.message_drafts import MessageDraft, MessagePatch, ReplyOption
from chatsvc.domain.models import Message, UserType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import AuthKind, Principal

log = logging.getLogger("chatsvc.app_events")
BOT_SCOPES = frozenset({"https://www.googleapis.com/auth/chat.bot"})
# What UPDATE_MESSAGE replaces: the message's content as an app sets it.
_REPLACED = frozenset({"text", "cards", "cards_v2", "accessory_widgets"})


class ReplyType(str, Enum):
    NEW_MESSAGE = "NEW_MESSAGE"
    UPDATE_MESSAGE = "UPDATE_MESSAGE"
    UPDATE_USER_MESSAGE_CARDS = "UPDATE_USER_MESSAGE_CARDS"
    REQUEST_CONFIG = "REQUEST_CONFIG"
    DIALOG = "DIALOG"
    UPDATE_WIDGET = "UPDATE_WIDGET"


@dataclass(frozen=True)
class Reply:
    type: ReplyType
    draft: MessageDraft | None = None  # the message part; None when the reply carries none
    url: str = ""  # REQUEST_CONFIG's configuration URL
    # The reply's google.chat.v1.ActionResponse as validated, encoded: what a synchronous caller gets back (the
    # dialog, action status or suggestions), uninterpreted here.
    action_response: bytes = b""


class ReplyFailed(Exception):
    """A reply that cannot take effect; the message says why, for the record."""


@dataclass(frozen=True)
class ReplyContext:
    """What the event was about."""

    app: ChatApp
    event_type: str  # the event's `type`
    space_id: str
    user_id: str  # who caused the event
    message: Message | None = None  # the event's message (the one sent, or whose card was clicked)
    dialog: bool = False  # a dialog event (`isDialogEvent`)
    event_id: str = ""  # names the REQUEST_CONFIG prompt, for its `configCompleteRedirectUrl`


def app_principal(app: ChatApp) -> Principal:
    return Principal(kind=AuthKind.APP, app=app.name, scopes=BOT_SCOPES)


def prompt_id(event_id: str) -> str:
    """The client-assigned id of the configuration prompt answering event `event_id`, so its link finds it."""
    return "client-config-" + hashlib.sha256(event_id.encode()).hexdigest()[:40]


class ReplyActions:
    def __init__(self, db: Transactions, messages, clock: Clock):
        self._db = db
        self._messages = messages  # chatsvc.domain.messages.Messages
        self._clock = clock

    async def apply(self, context: ReplyContext, reply: Reply) -> str:
        """Makes the reply take effect; the name of the message it posted or updated, or ""."""
        kind = reply.type
        allowed = _ALLOWED.get(kind)
        if allowed is not None and context.event_type not in allowed:
            raise ReplyFailed(f"an actionResponse of type {kind.value} cannot answer a {context.event_type} event")
        if kind is ReplyType.DIALOG and not context.dialog:
            raise ReplyFailed("an actionResponse of type DIALOG answers dialog events only (isDialogEvent)")
        try:
            if kind is ReplyType.NEW_MESSAGE:
                return await self._post(context, reply.draft) if reply.draft else ""
            if kind is ReplyType.UPDATE_MESSAGE:
                return await self._update(context, reply.draft)
            if kind is ReplyType.UPDATE_USER_MESSAGE_CARDS:
                return await self._user_cards(context, reply.draft)
            if kind is ReplyType.REQUEST_CONFIG:
                name = context.app.display_name or context.app.name
                text = f"{name} needs your configuration to continue: <{reply.url}|Configure {name}>"
                client_id = prompt_id(context.event_id) if context.event_id else ""
                return await self._post(context, MessageDraft(text=text, viewer=MemberRef(context.user_id),
                                                              client_id=client_id))
        except DomainError as e:
            raise ReplyFailed(f"invalid reply: {e.message}") from None
        return ""  # DIALOG, UPDATE_WIDGET: handed back to the caller

    async def not_responding(self, context: ReplyContext) -> str:
        """The notice of a failed delivery, to the user who caused the event; its name, or "" when it cannot be
        posted (the app or the user left the space, say)."""
        name = context.app.display_name or context.app.name
        draft = MessageDraft(text=f"{name} is not responding.", viewer=MemberRef(context.user_id))
        try:
            message = await self._messages.create(app_principal(context.app), context.space_id,
                                                  _in_thread(draft, context.message))
        except DomainError as e:
            log.info("no 'not responding' notice for %s in %s: %s", context.app.name, context.space_id, e.message)
            return ""
        return message_name(context.space_id, message.id)

    async def _post(self, context: ReplyContext, draft: MessageDraft) -> str:
        message = await self._messages.create(app_principal(context.app), context.space_id,
                                              _in_thread(draft, context.message))
        return message_name(context.space_id, message.id)

    async def _update(self, context: ReplyContext, draft: MessageDraft | None) -> str:
        target = context.message
        if target is None:
            raise ReplyFailed("UPDATE_MESSAGE needs the message whose card was clicked; this event has none")
        if target.sender_id != context.app.user_id:
            raise ReplyFailed("UPDATE_MESSAGE updates the app's own message only; the clicked message "
                              f"{message_name(target.space_id, target.id)} was sent by someone else")
        patch = MessagePatch(fields=_REPLACED, draft=draft or MessageDraft())
        updated = await self._messages.update(app_principal(context.app), target.space_id, target.id, patch)
        return message_name(updated.space_id, updated.id)

    async def _user_cards(self, context: ReplyContext, draft: MessageDraft | None) -> str:
        target = context.message
        if target is None:
            raise ReplyFailed("UPDATE_USER_MESSAGE_CARDS updates a user's message; this event has none")
        if context.event_type == "MESSAGE" and not getattr(target, "matched_url", ""):
            raise ReplyFailed("UPDATE_USER_MESSAGE_CARDS answers a link preview only: the event's message has no "
                              "matched URL")
        if draft is None or not (draft.cards_v2 or draft.cards):
            raise ReplyFailed("UPDATE_USER_MESSAGE_CARDS needs cardsV2")

        async def work(repos: Repositories) -> str:
            current = await repos.messages.get(target.space_id, target.id)
            if current is None or current.delete_time_us:
                raise ReplyFailed("the user's message is gone")
            sender = (await repos.users.get_many({current.sender_id})).get(current.sender_id)
            if sender is None or sender.type != UserType.HUMAN:
                raise ReplyFailed("UPDATE_USER_MESSAGE_CARDS updates a user's message; the event's message "
                                  f"{message_name(current.space_id, current.id)} was sent by a Chat app")
            await repos.messages.update_content(replace(current, cards=draft.cards, cards_v2=draft.cards_v2))
            name = message_name(current.space_id, current.id)
            await events.record(repos, current.space_id, EventType.MESSAGE_UPDATED, name, self._clock())
            return name

        return await write(self._db, work)


# The event types each kind of reply may answer (None: any).
_ALLOWED: dict[ReplyType, frozenset[str] | None] = {
    ReplyType.UPDATE_MESSAGE: frozenset({"CARD_CLICKED"}),
    ReplyType.UPDATE_USER_MESSAGE_CARDS: frozenset({"MESSAGE", "CARD_CLICKED"}),
    ReplyType.UPDATE_WIDGET: frozenset({"WIDGET_UPDATED"}),
}


def _in_thread(draft: MessageDraft, message: Message | None) -> MessageDraft:
    """A reply naming no thread goes to the thread of the event's message when that was a thread reply."""
    if draft.thread_id or draft.thread_key or message is None or not message.thread_reply:
        return draft
    return replace(draft, thread_id=message.thread_id, reply_option=ReplyOption.REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD)
