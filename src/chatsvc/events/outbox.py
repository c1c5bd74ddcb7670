"""The outbox of interaction events for Chat apps: which calls cause which events, queued in the caller's transaction.

Google Chat sends an app an event when a user (never an app) sends a message in a DM with the app or @mentions it in
a space (MESSAGE), adds it to a space (ADDED_TO_SPACE) or removes it (REMOVED_FROM_SPACE). chatsvc queues one row per
event in the same transaction as the call that causes it, so a crash after the commit loses no event; a worker in
every process (chatsvc.workers.app_events) claims queued rows under a lease and delivers them.

Only registered apps with a connection (an HTTP endpoint or a Pub/Sub topic) get events, DMs only when the app takes
direct messages, spaces only when it joins spaces. The cost on messages without apps is nil: a message looks for apps
only in a DM with an app (`single_user_bot_dm`) or when it mentions a BOT user, each one query.
"""
from __future__ import annotations

from chatsvc.aip import ids
from chatsvc.domain.chat_apps import ChatApp
from chatsvc.domain.models import Message, Space, SpaceType, UserType
from chatsvc.domain.ports import Repositories
from chatsvc.events.records import EventType, QueuedEvent


def _takes_events(app: ChatApp, space: Space) -> bool:
    if not (app.endpoint_url or app.pubsub_topic):
        return False
    if space.space_type == SpaceType.DIRECT_MESSAGE:
        return app.direct_messages_enabled
    return app.spaces_enabled


async def queue_for_message(repos: Repositories, space: Space, message: Message, sender_is_human: bool,
                            now: int) -> None:
    """MESSAGE events of a user's new message: to the app of a DM with an app, to every app it @mentions."""
    if not sender_is_human:
        return
    if space.space_type == SpaceType.DIRECT_MESSAGE and space.single_user_bot_dm:
        apps = await repos.app_events.apps_among_members(space.id)
    else:
        mentioned = {m.user_id for m in message.mentions if m.user_type == UserType.BOT}
        if not mentioned:
            return
        apps = await repos.app_events.apps_among_members(space.id, mentioned)
    for app in apps:
        if _takes_events(app, space):
            await repos.app_events.add(QueuedEvent(ids.opaque_id(), app.name, EventType.MESSAGE, space.id,
                                                   message.sender_id, now, message.id))


async def queue_for_membership(repos: Repositories, space: Space, app_user_id: str, caller_id: str, added: bool,
                               now: int) -> None:
    """ADDED_TO_SPACE or REMOVED_FROM_SPACE for the app whose user `app_user_id` is, if it is registered."""
    app = (await repos.chat_apps.by_user_ids({app_user_id})).get(app_user_id)
    if app is None or not _takes_events(app, space):
        return
    kind = EventType.ADDED_TO_SPACE if added else EventType.REMOVED_FROM_SPACE
    await repos.app_events.add(QueuedEvent(ids.opaque_id(), app.name, kind, space.id, caller_id, now))
