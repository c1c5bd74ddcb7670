"""The live channel: a user's space events as they are recorded, and again after a reconnect.

A user sees the events of the spaces where they are a joined member (as ListSpaceEvents decides), of the types
their token's scopes read, with the payload GetSpaceEvent would give them.

Delivery: one LiveHub per process polls the recorded events of its subscribers' spaces (one query for all of
them, every `poll_seconds` while anyone listens, none otherwise) and hands each subscriber its own; every
process does so on its own, so events recorded by another process on the same database arrive alike. No stream
holds a database connection while it waits.

Order and resumption: events are sent in (time, id) order. An event's time is taken before its transaction
commits, so an event may become visible a little after a later one: the hub re-reads the last OVERLAP_US, and a
stream remembers which events of that span it has sent. A resume point is thus a floor, a (time, id) position
(every event at or before it was sent), plus the ids sent after it; an event committed more than OVERLAP_US
after its time would be missed, never sent twice.
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from chatsvc.domain.access import read
from chatsvc.domain.errors import FailedPrecondition, InvalidArgument, Unavailable
from chatsvc.domain.events import SpaceEvent
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.space_events import WINDOW_US, EventView, event_views, readable_types, resource_kind
from chatsvc.domain.users import Directory

log = logging.getLogger("chatsvc.live")

OVERLAP_US = 5_000_000
MAX_SEEN = 100  # ids a resume point lists at most; past it the floor rises (a burst's older events settle)
FUTURE_SLACK_US = 60_000_000  # clocks of several processes differ a little
POLL_SECONDS = 0.25
NUDGE_SECONDS = 0.03  # after this process records an event, a poll this soon (its commit has landed by then)
SWEEP_EVERY = 4  # polls read what is new since the last one; every 4th re-reads the last OVERLAP_US for late ones
PAGE = 500
QUEUE_LIMIT = 5_000  # events waiting for one slow stream; past it the stream ends and the client resumes
# How often an open stream asks whether its caller's token still holds (expired, or its OAuth grant revoked:
# the stream ends UNAUTHENTICATED and the client reconnects with a fresh token).
RECHECK_SECONDS = 30.0
SHARE_SECONDS = 2.0  # how long one stream's read of an event's payload serves the others
_PRIVATE = object()  # a payload each stream reads for itself (a private message, or one hidden from the reader)


@dataclass(frozen=True)
class ResumePoint:
    user_id: str
    floor_us: int
    floor_id: str  # with floor_us, the (time, id) position at or before which every event was sent
    seen: tuple[str, ...]  # ids of the events sent after the floor


@dataclass(frozen=True)
class LiveItem:
    view: EventView | None  # None: the stream's opening message
    resume: ResumePoint


def expired_error() -> FailedPrecondition:
    return FailedPrecondition("The resume token is older than the events kept; reload and stream without it.",
                              reason="RESUME_TOKEN_EXPIRED")


class _Position:
    """What a stream has sent: the floor and the ids after it. Positions are (time, id), the order events are
    read in, so the many events of one transaction (one time) are told apart."""

    def __init__(self, user_id: str, floor: tuple[int, str], seen: dict[str, tuple[int, str]]):
        self.user_id = user_id
        self.floor = floor
        self.seen = seen  # id -> (time, id), each after the floor
        self.high = max(t for t, _ in [floor, *seen.values()])

    def is_new(self, event: SpaceEvent) -> bool:
        return (event.event_time_us, event.id) > self.floor and event.id not in self.seen

    def sent(self, event: SpaceEvent) -> None:
        self.seen[event.id] = (event.event_time_us, event.id)
        self.high = max(self.high, event.event_time_us)
        floor = max(self.floor, (self.high - OVERLAP_US, ""))
        if len(self.seen) > MAX_SEEN:
            floor = max(floor, sorted(self.seen.values(), reverse=True)[MAX_SEEN])
        if floor != self.floor:
            self.floor = floor
            self.seen = {i: key for i, key in self.seen.items() if key > floor}

    def point(self) -> ResumePoint:
        return ResumePoint(self.user_id, self.floor[0], self.floor[1], tuple(sorted(self.seen)))


class Subscriber:
    """One stream's inbox at the hub."""

    def __init__(self, user_id: str):
        self.user_id = user_id
        self._events: deque[SpaceEvent] = deque()
        self._ready = asyncio.Event()
        self._ended: Exception | None = None

    def push(self, events: list[SpaceEvent]) -> None:
        if len(self._events) + len(events) > QUEUE_LIMIT:
            self.end(Unavailable("The stream fell behind; resume it with the last resume token.",
                                 reason="LIVE_STREAM_BEHIND"))
            return
        self._events.extend(events)
        self._ready.set()

    def end(self, error: Exception) -> None:
        self._ended = error
        self._ready.set()

    async def take(self, timeout: float) -> list[SpaceEvent]:
        """The events pushed since the last take, waiting up to `timeout` seconds for one (none: []); raises the
        error the stream ended with."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            return []
        if self._ended is not None:
            raise self._ended
        self._ready.clear()
        events = list(self._events)
        self._events.clear()
        return events


class LiveHub:
    """The process's poller of recorded events, for every live stream it serves."""

    def __init__(self, db: Transactions, clock: Clock, poll_seconds: float = POLL_SECONDS):
        self._db = db
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._nudged = False
        self._last = (0, "", "")  # the newest (time, event id, member) read
        self._seen: dict[tuple[str, str], int] = {}  # (member, event id) -> time, within OVERLAP_US of now
        self._polls = 0
        # Event id -> the payload being read, or read, by one stream for all: every member of a space wakes at once.
        self.shared: dict[str, asyncio.Future] = {}
        self._closed = False
        self.queries = 0  # statements run, for measuring what listening costs

    def subscribe(self, user_id: str) -> Subscriber:
        if self._closed:
            raise Unavailable("The server is shutting down; resume on the next one.", reason="LIVE_STREAM_CLOSED")
        subscriber = Subscriber(user_id)
        self._subscribers.setdefault(user_id, set()).add(subscriber)
        if self._task is None:
            self._last, self._seen, self._polls = (self._clock(), "", ""), {}, 0
            self._task = asyncio.get_running_loop().create_task(self._run(), name="live-hub")
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.user_id)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._subscribers[subscriber.user_id]
        if not self._subscribers and self._task is not None:
            self._task.cancel()
            self._task = None

    def share(self, event_id: str) -> asyncio.Future:
        """A future the stream reading this event's payload resolves (a view, or _PRIVATE), for the others."""
        future = self.shared[event_id] = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(
            SHARE_SECONDS, lambda: self.shared.pop(event_id) if self.shared.get(event_id) is future else None)
        return future

    def nudge(self) -> None:
        """Polls in NUDGE_SECONDS rather than at the next tick: this process has just recorded an event. Should its
        transaction take longer to commit, the next tick finds the event."""
        if self._task is not None and not self._nudged:
            self._nudged = True
            asyncio.get_running_loop().call_later(NUDGE_SECONDS, self._wake.set)

    def close(self) -> None:
        """Ends every stream (their clients resume elsewhere or after the restart) and refuses new ones."""
        self._closed = True
        for group in list(self._subscribers.values()):
            for subscriber in list(group):
                subscriber.end(Unavailable("The server is shutting down; resume on the next one.",
                                           reason="LIVE_STREAM_CLOSED"))

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
            except TimeoutError:
                pass
            self._wake.clear()
            self._nudged = False
            try:
                await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database hiccup: the next tick tries again
                log.warning("live events: polling failed", exc_info=True)

    async def poll(self) -> None:
        """Reads what its subscribers may see after the newest event read (and, on a sweep, everything of the
        last OVERLAP_US, for events that became visible after later ones), then hands each its own."""
        members = list(self._subscribers)
        if not members:
            return
        self._polls += 1
        floor = self._clock() - OVERLAP_US
        after = (floor, "", "") if self._polls % SWEEP_EVERY == 0 else self._last
        found: dict[str, list[SpaceEvent]] = {}
        while True:
            self.queries += 1
            rows = await read(self._db, lambda repos, after=after: repos.live_events.for_members(
                members, after=after, limit=PAGE))
            for member, event in rows:
                key = (member, event.id)
                if key not in self._seen:
                    self._seen[key] = event.event_time_us
                    found.setdefault(member, []).append(event)
            if rows:
                last_member, last = rows[-1]
                after = (last.event_time_us, last.id, last_member)
                self._last = max(self._last, after)
            if len(rows) < PAGE:
                break
        if any(t <= floor for t in self._seen.values()):
            self._seen = {k: t for k, t in self._seen.items() if t > floor}
        for member, events in found.items():
            for subscriber in list(self._subscribers.get(member, ())):
                subscriber.push(events)


class LiveEvents:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, hub: LiveHub):
        self._db = db
        self._directory = directory
        self._clock = clock
        self.hub = hub

    async def stream(self, principal: Principal, resume: ResumePoint | None,
                     still_allowed: Callable[[], Awaitable[None]] | None = None) -> AsyncIterator[LiveItem]:
        """The opening item, then (after a resume point) the events recorded since, then each new one.
        `still_allowed` is awaited every RECHECK_SECONDS; what it raises ends the stream."""
        caller = await self._directory.caller(principal)
        now = self._clock()
        if resume is not None:
            if resume.user_id != caller.id:
                raise InvalidArgument.field("resume_token", "was issued to another user")
            if resume.floor_us > now + FUTURE_SLACK_US:
                raise InvalidArgument.field("resume_token", "is not a resume token this server issued")
            if resume.floor_us < now - WINDOW_US:
                raise expired_error()
            floor = (resume.floor_us, resume.floor_id)
            # The times of the ids listed are not kept: they stay listed until the floor passes the next µs.
            position = _Position(caller.id, floor, {i: (resume.floor_us + 1, i) for i in resume.seen})
        else:
            position = _Position(caller.id, (now, ""), {})
        types = readable_types(principal)
        # Subscribed before catching up: what is recorded meanwhile waits in the inbox (sent once, by id).
        subscriber = self.hub.subscribe(caller.id)
        try:
            yield LiveItem(None, position.point())
            if resume is not None:
                after = (resume.floor_us, resume.floor_id)
                while True:
                    events = await read(self._db, lambda repos, after=after: repos.live_events.for_member(
                        caller.id, after=after, limit=PAGE))
                    for item in await self._items(principal, caller, types, position, events):
                        yield item
                    if len(events) < PAGE:
                        break
                    after = (events[-1].event_time_us, events[-1].id)
            checked = asyncio.get_running_loop().time()
            while True:
                events = await subscriber.take(RECHECK_SECONDS)
                if still_allowed is not None and asyncio.get_running_loop().time() - checked >= RECHECK_SECONDS:
                    await still_allowed()
                    checked = asyncio.get_running_loop().time()
                for item in await self._items(principal, caller, types, position, events):
                    yield item
        finally:
            self.hub.unsubscribe(subscriber)

    async def _items(self, principal: Principal, caller, types, position: _Position,
                     events: list[SpaceEvent]) -> list[LiveItem]:
        """The new ones among `events` as the caller may see them, each with the point after it."""
        fresh = [e for e in events if position.is_new(e)]
        wanted = [e for e in fresh if e.event_type in types]
        views = await self._shared_views(principal, caller, wanted) if wanted else {}
        items = []
        for event in fresh:  # those left out still move the position, so a resume skips them too
            position.sent(event)
            if event.id in views:
                items.append(LiveItem(views[event.id], position.point()))
        return items

    async def _shared_views(self, principal: Principal, caller, events: list[SpaceEvent]) -> dict[str, EventView]:
        """The payloads of `events` for this caller: read here, or taken from the stream that read them for
        everyone (those that may differ between readers are read by each)."""
        shared = self.hub.shared
        waiting = [(e, shared[e.id]) for e in events if e.id in shared]
        mine = [e for e in events if e.id not in shared]
        owned = {e.id: self.hub.share(e.id) for e in mine}
        try:
            views = await self._read_views(principal, caller, mine) if mine else {}
        except BaseException:
            for future in owned.values():
                future.set_result(_PRIVATE)  # the others read for themselves
            raise
        for event_id, future in owned.items():
            view = views.get(event_id)
            future.set_result(view if view is not None and _same_for_all(view) else _PRIVATE)
        again = []
        for event, future in waiting:
            view = await future
            if view is _PRIVATE:
                again.append(event)
            else:
                views[event.id] = view
        if again:
            views.update(await self._read_views(principal, caller, again))
        return views

    async def _read_views(self, principal: Principal, caller, events: list[SpaceEvent]) -> dict[str, EventView]:
        """The payloads of `events` as the caller may see them (ListSpaceEvents' rules), in one transaction."""
        by_space: dict[str, list[SpaceEvent]] = {}
        for event in events:
            by_space.setdefault(event.space_id, []).append(event)
        views: dict[str, EventView] = {}

        async def work(repos: Repositories) -> None:
            for space_id, group in by_space.items():
                space = await repos.spaces.get(space_id)
                if space is not None:
                    for view in await event_views(repos, principal, caller, space, group):
                        views[view.event.id] = view

        await read(self._db, work)
        return views


def _same_for_all(view: EventView) -> bool:
    """Whether every member sees this payload alike: not a private message, nor a reaction (to a message that
    may be private)."""
    kind = resource_kind(view.event.event_type)
    if kind == "reaction":
        return False
    return kind != "message" or not getattr(view.resource, "viewer_id", "")
