"""The outbox of interaction events for Chat apps: which calls cause which events, queued in the caller's transaction.

Google Chat sends an app an event when a user (never an app) adds it to a space (ADDED_TO_SPACE) or removes it
(REMOVED_FROM_SPACE), and a MESSAGE event for a user's message that is in a DM with the app, @mentions it, is one
of its slash commands (`/name ...` at the start of the text) or holds a link matching one of its link-preview
patterns (the message's `matchedUrl`). chatsvc.domain.app_triggers decides which apps a message triggers (and what
the message carries for it: `slashCommand`, the SLASH_COMMAND annotation, `matchedUrl`); one message is at most one
MESSAGE event per app, whatever the number of reasons. chatsvc queues one row per event in the same transaction as
the call that causes it, so a crash after the commit loses no event; a worker in every process
(chatsvc.workers.app_events) claims queued rows under a lease and delivers them.

Only registered apps with a connection (an HTTP endpoint or a Pub/Sub topic) that are joined members get events, DMs
only when the app takes direct messages, spaces only when it joins spaces. The cost on messages without apps is nil
or one query: a message looks for the space's apps only when it could trigger one (a DM with an app, a mention of a
BOT user, text starting with `/` or holding `://`).
"""
from __future__ import annotations

from chatsvc.aip import ids
from chatsvc.domain.app_triggers import Triggers, takes_events
from chatsvc.domain.models import Message, Space
from chatsvc.domain.ports import Repositories
from chatsvc.events.records import EventType, QueuedEvent


async def queue_for_message(repos: Repositories, space: Space, message: Message, triggers: Triggers,
                            now: int) -> None:
    """One MESSAGE event of a user's new message to each app it triggers (chatsvc.domain.app_triggers.detect)."""
    for app in triggers.apps:
        await repos.app_events.add(QueuedEvent(ids.opaque_id(), app.name, EventType.MESSAGE, space.id,
                                               message.sender_id, now, message.id))


async def queue_for_membership(repos: Repositories, space: Space, app_user_id: str, caller_id: str, added: bool,
                               now: int) -> None:
    """ADDED_TO_SPACE or REMOVED_FROM_SPACE for the app whose user `app_user_id` is, if it is registered."""
    app = (await repos.chat_apps.by_user_ids({app_user_id})).get(app_user_id)
    if app is None or not takes_events(app, space):
        return
    kind = EventType.ADDED_TO_SPACE if added else EventType.REMOVED_FROM_SPACE
    await repos.app_events.add(QueuedEvent(ids.opaque_id(), app.name, kind, space.id, caller_id, now))
