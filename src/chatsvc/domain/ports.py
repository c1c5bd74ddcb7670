"""What the domain needs from storage, stated by the domain. storage/ implements it."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

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
