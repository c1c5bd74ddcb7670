"""Read states: how far a user has read a space's top-level conversation, and each thread.

A space read state is what the user last set with UpdateSpaceReadState, moved forward by the messages the
user sent to the top-level conversation since then (sending a message means having read up to it). A time
later than the latest message is coerced to that message's create time, as Google documents; with no message
yet, to the present, so that the next message still shows as unread.

Threads have no update RPC: a thread read state follows the thread's messages, advancing to the latest
message the user sent in the thread. A space or thread the user has never read has no last read time.
Read states are the caller's own, and the caller must be a member of the space. They are not space events.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip.names import MemberRef, thread_name
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import NotFound
from chatsvc.domain.own_user import own_caller
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory


@dataclass(frozen=True)
class ReadState:
    user_id: str
    space_id: str
    thread_id: str = ""  # set for thread read states
    last_read_time_us: int | None = None  # None: never read


class ReadStates:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def space_state(self, principal: Principal, ref: MemberRef, space_id: str) -> ReadState:
        caller = await own_caller(self._directory, principal, ref, "space read state")

        async def work(repos: Repositories) -> ReadState:
            await visible_space(repos, space_id, caller)
            stored = await repos.read_states.space(space_id, caller.id)
            last_read, updated = stored if stored else (None, 0)
            own = await repos.read_states.own_latest(space_id, caller.id, after_us=updated)
            return ReadState(caller.id, space_id, last_read_time_us=_later(last_read, own))

        return await read(self._db, work)

    async def mark_space(self, principal: Principal, ref: MemberRef, space_id: str,
                         last_read_time_us: int) -> ReadState:
        caller = await own_caller(self._directory, principal, ref, "space read state")

        async def work(repos: Repositories) -> ReadState:
            await visible_space(repos, space_id, caller)
            now = self._clock()
            latest = await repos.read_states.latest_top_level(space_id, caller.id)
            coerced = min(last_read_time_us, latest if latest is not None else now)
            await repos.read_states.put_space(space_id, caller.id, coerced, now)
            return ReadState(caller.id, space_id, last_read_time_us=coerced)

        return await write(self._db, work)

    async def thread_state(self, principal: Principal, ref: MemberRef, space_id: str,
                           thread_id: str) -> ReadState:
        caller = await own_caller(self._directory, principal, ref, "thread read state")

        async def work(repos: Repositories) -> ReadState:
            await visible_space(repos, space_id, caller)
            if not await repos.read_states.thread_visible(space_id, thread_id, caller.id):
                raise NotFound(f"Thread `{thread_name(space_id, thread_id)}` not found.", reason="THREAD_NOT_FOUND")
            own = await repos.read_states.own_latest(space_id, caller.id, thread_id=thread_id)
            return ReadState(caller.id, space_id, thread_id, own)

        return await read(self._db, work)


def _later(a: int | None, b: int | None) -> int | None:
    if a is None or b is None:
        return b if a is None else a
    return max(a, b)
