"""Shared rules: transactions that retry a lost race, and who may see a space."""
from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from chatsvc.aip.names import space_name
from chatsvc.domain.errors import NotFound
from chatsvc.domain.models import Membership, MembershipState, Space, User
from chatsvc.domain.ports import Conflict, Repositories, Transactions

T = TypeVar("T")


async def write(db: Transactions, work: Callable[[Repositories], Awaitable[T]], *, attempts: int = 3) -> T:
    """Runs `work` in one write transaction. A uniqueness conflict with a concurrent writer re-runs it, so the
    re-run's own checks see the other writer's row (an idempotent repeat, or a clean ALREADY_EXISTS)."""
    for attempt in range(attempts):
        try:
            return await db.run(work, write=True)
        except Conflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


async def read(db: Transactions, work: Callable[[Repositories], Awaitable[T]]) -> T:
    return await db.run(work)


def space_not_found(space_id: str) -> NotFound:
    # One message for "does not exist" and "exists but you may not see it": a refused caller learns nothing.
    return NotFound(f"Space `{space_name(space_id)}` not found.", reason="SPACE_NOT_FOUND")


async def visible_space(repos: Repositories, space_id: str, user: User, *, admin_access: bool = False,
                        ) -> tuple[Space, Membership | None]:
    """The space and the caller's joined membership; NOT_FOUND unless the caller is a joined member (or
    uses administrator access). A space in import mode is seen by its creator alone, member or not, until
    the import completes or its import window closes."""
    space, membership = await repos.spaces.get_with_membership(space_id, user.id)  # one statement: hot path
    if space is None:
        raise space_not_found(space_id)
    if space.import_mode and (space.creator_id != user.id or 0 < space.import_mode_expire_time_us <= _now_us()):
        raise space_not_found(space_id)
    joined = membership is not None and membership.state == MembershipState.JOINED
    if admin_access or space.import_mode:
        return space, membership if joined else None
    if not joined:
        raise space_not_found(space_id)
    return space, membership


def _now_us() -> int:
    return time.time_ns() // 1000
