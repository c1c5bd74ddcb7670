"""What the domain needs from storage, stated by the domain. storage/ implements it."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

# repositories(write=...) opens one transaction and yields the repositories bound to it; the block's clean
# end commits. The yielded object has .users .spaces .memberships .threads .messages .settings.
Repositories = Any


class Transactions(Protocol):
    def transaction(self, *, write: bool = False) -> AbstractAsyncContextManager[Repositories]: ...


class Conflict(Exception):
    """A uniqueness rule of the store refused a write made concurrently with another."""

    def __init__(self, constraint: str):
        super().__init__(constraint)
        self.constraint = constraint


Clock = Callable[[], int]  # microseconds since the epoch
