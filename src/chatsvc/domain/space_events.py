"""Space events, read side: GetSpaceEvent and ListSpaceEvents over the events every mutation records
(domain/events.py writes them).

An event keeps only what happened to which resource; its payload is the resource's latest version, read
when the event is: a message edited since it was posted shows its new text, a member removed since they
joined shows as gone. A page's resources are read with one query per kind of resource.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from chatsvc.aip import names
from chatsvc.domain import message_rules
from chatsvc.domain.access import read, visible_space
from chatsvc.domain.errors import InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.events import EventType, SpaceEvent
from chatsvc.domain.memberships import MemberView
from chatsvc.domain.models import Page, Space, User
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.reaction_summaries import with_summaries
from chatsvc.domain.space_event_filter import EventQuery
from chatsvc.domain.users import Directory

DAY_US = 86_400 * 1_000_000
# Google keeps 28 days of events listable. A start_time a little older than that (a client's clock, the
# request's time in flight) is read as the window's start rather than refused.
WINDOW_US = 28 * DAY_US
GRACE_US = 5 * 60 * 1_000_000

_SCOPE_PREFIX = "https://www.googleapis.com/auth/"
# The scopes that reveal each resource's events, by kind of authentication. Each is the scope that reads
# the resource itself (reactions also come with the message scopes, which include reactions).
_USER_READERS = {
    "message": {"chat.messages", "chat.messages.readonly"},
    "reaction": {"chat.messages.reactions", "chat.messages.reactions.readonly", "chat.messages",
                 "chat.messages.readonly"},
    "membership": {"chat.memberships", "chat.memberships.readonly"},
    "space": {"chat.spaces", "chat.spaces.readonly"},
}
_APP_READERS = {
    "message": {"chat.app.messages.readonly"},
    "reaction": {"chat.app.messages.readonly"},
    "membership": {"chat.app.memberships", "chat.app.memberships.readonly"},
    "space": {"chat.app.spaces", "chat.app.spaces.readonly"},
}


def resource_kind(event_type: EventType) -> str:
    """`google.workspace.chat.message.v1.created` -> `message`."""
    return event_type.value.split(".")[3]


def readable_types(principal: Principal) -> frozenset[EventType]:
    """The event types the caller's token may read."""
    granted = {s[len(_SCOPE_PREFIX):] for s in principal.scopes if s.startswith(_SCOPE_PREFIX)}
    readers = _APP_READERS if principal.is_app else _USER_READERS
    return frozenset(t for t in EventType if readers[resource_kind(t)] & granted)


def _scope_error(event_types) -> PermissionDenied:
    listed = ", ".join(sorted(t.value for t in event_types))
    return PermissionDenied(f"The access token's scopes do not cover these event types: {listed}.",
                            reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT", metadata={"eventTypes": listed})


@dataclass(frozen=True)
class EventView:
    event: SpaceEvent
    # The resource's latest version: a Message (a tombstone once deleted, with its sender), a MemberView,
    # the Space, a Reaction (with its user); None once it no longer exists.
    resource: object | None


def _not_found(space_id: str, event_id: str) -> NotFound:
    return NotFound(f"Space event `{names.space_event_name(space_id, event_id)}` not found.",
                    reason="SPACE_EVENT_NOT_FOUND")


class SpaceEvents:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def get(self, principal: Principal, space_id: str, event_id: str) -> EventView:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> EventView:
            space, _ = await visible_space(repos, space_id, caller)
            event = await repos.events.get(space_id, event_id)
            if event is None:
                raise _not_found(space_id, event_id)
            if event.event_type not in readable_types(principal):
                raise _scope_error([event.event_type])
            views = await event_views(repos, principal, caller, space, [event])
            if not views:  # about a private message the caller may not see
                raise _not_found(space_id, event_id)
            return views[0]

        return await read(self._db, work)

    async def list(self, principal: Principal, space_id: str, query: EventQuery, *, position: tuple | None,
                   limit: int) -> Page:
        """One page, oldest first. The first page fixes the time window, and the page token carries it, so
        paging on neither loses nor adds events at the window's ends. Position: (after, until, time, id)."""
        refused = query.types - readable_types(principal)
        if refused:
            raise _scope_error(refused)
        if position is None:
            after, until = self._window(query)
            last = None
        elif len(position) == 4:
            after, until, last = position[0], position[1], (position[2], position[3])
        else:
            raise InvalidArgument.field("page_token", "is not a page token this server issued")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            space, _ = await visible_space(repos, space_id, caller)
            page = await repos.events.list(space.id, types=set(query.types), after_us=after, until_us=until,
                                           position=last, limit=limit)
            views = await event_views(repos, principal, caller, space, page.items)
            following = (after, until, *page.next_position) if page.next_position else None
            return Page(views, following)

        return await read(self._db, work)

    def _window(self, query: EventQuery) -> tuple[int, int]:
        """(after, until): events strictly after `after`, up to and including `until`."""
        now = self._clock()
        oldest = now - WINDOW_US
        if query.start_us is not None and query.start_us < oldest - GRACE_US:
            raise InvalidArgument.field("filter", "`start_time` must be within the past 28 days; older events "
                                                  "cannot be listed")
        after = oldest if query.start_us is None else max(query.start_us, oldest)
        until = now if query.end_us is None else query.end_us
        return after, until


async def event_views(repos: Repositories, principal: Principal, caller: User, space: Space,
                 events: list[SpaceEvent]) -> list[EventView]:
    """The events with their resources' latest versions. Events about a private message the caller may not
    see (or a reaction to one) are left out."""
    message_ids, member_ids, reaction_keys = set(), set(), set()
    for event in events:
        kind = resource_kind(event.event_type)
        if kind == "message":
            message_ids.add(names.message(event.resource_name)[1])
        elif kind == "membership":
            member_ids.add(names.membership(event.resource_name)[1].value)
        elif kind == "reaction":
            _, message_id, reaction_id = names.reaction(event.resource_name)
            reaction_keys.add((message_id, reaction_id))
            message_ids.add(message_id)
    messages = await repos.messages.get_many(space.id, message_ids)
    memberships = await repos.memberships.get_many(space.id, member_ids)
    reactions = await repos.reactions.get_many(space.id, reaction_keys)
    users = await repos.users.get_many(
        {m.sender_id for m in messages.values() if not m.delete_time_us}
        | {m.member_id for m in memberships.values() if not m.is_group}
        | {r.user_id for r in reactions.values()})
    # Messages show with their reaction counts, as GetMessage returns them.
    messages = {m.id: m for m in await with_summaries(repos, list(messages.values()))}

    def hidden(message_id: str) -> bool:
        message = messages.get(message_id)
        return message is not None and not message_rules.visible(message, caller, principal)

    views = []
    for event in events:
        kind = resource_kind(event.event_type)
        resource: object | None = None
        if kind == "space":
            resource = space
        elif kind == "message":
            message_id = names.message(event.resource_name)[1]
            if hidden(message_id):
                continue
            if message_id in messages:
                message = messages[message_id]
                resource = replace(message, sender=users.get(message.sender_id))
        elif kind == "membership":
            membership = memberships.get(names.membership(event.resource_name)[1].value)
            if membership is not None:
                resource = MemberView(membership, None if membership.is_group else users.get(membership.member_id))
        elif kind == "reaction":
            _, message_id, reaction_id = names.reaction(event.resource_name)
            if hidden(message_id):
                continue
            reaction = reactions.get((message_id, reaction_id))
            if reaction is not None:
                resource = replace(reaction, user=users.get(reaction.user_id))
        views.append(EventView(event, resource))
    return views
