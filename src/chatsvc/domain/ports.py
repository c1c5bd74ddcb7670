"""What the domain needs from storage, stated by the domain. storage/ implements it."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

from chatsvc.domain.models import Message, ReactionSummary

# repositories(write=...) opens one transaction and yields the repositories bound to it; the block's clean
# end commits. The yielded object has .users .spaces .memberships .threads .messages .settings.
Repositories = Any
T = TypeVar("T")


class Transactions(Protocol):
    def transaction(self, *, write: bool = False) -> AbstractAsyncContextManager[Repositories]: ...

    async def run(self, work: Callable[[Repositories], Awaitable[T]], *, write: bool = False) -> T:
        """`work` in one transaction, as `transaction()` runs a block; the store may run it faster."""
        ...


class Conflict(Exception):
    """A uniqueness rule of the store refused a write made concurrently with another."""

    def __init__(self, constraint: str):
        super().__init__(constraint)
        self.constraint = constraint


Clock = Callable[[], int]  # microseconds since the epoch


class MessageSnapshots(Protocol):
    """A message as every caller reads it (GetMessage, ListMessages), encoded by the wire layer when the message
    is written; the domain hands the bytes to storage without reading them, and ListMessages answers with them.

    `current` starts every snapshot of the wire layer's present format: stored bytes without it (NULL for rows
    older than snapshots, or an older format) are not used, and the message is built from its columns instead."""

    current: bytes

    def __call__(self, message: Message) -> bytes:
        """The snapshot of `message`, whose `sender` and `reaction_summaries` are set."""
        ...

    def with_summaries(self, snapshot: bytes, summaries: tuple[ReactionSummary, ...]) -> bytes:
        """A current snapshot with its reaction summaries replaced (the rest of the message is unchanged)."""
        ...
