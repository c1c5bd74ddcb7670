"""Message pins: create, list, delete. Pins are shared by everyone in the space.

Google's rules: only messages that exist can be pinned, never a private message (one only its viewer
sees), and a space holds at most 100 pins. The permission settings have no setting of their own for pins;
pinning puts a message in front of the whole space, so it takes what posting to the space takes
(POST_MESSAGES: in announcement spaces, managers only; in group chats and DMs, everyone). Pins have no
space event type, so none is recorded.
"""
from __future__ import annotations

from chatsvc.aip.names import message_name, message_pin_name
from chatsvc.domain import permissions
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.message_lookup import live_message
from chatsvc.domain.models import Membership, MessagePin, Page, Space
from chatsvc.domain.permissions import Permission
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

MAX_PINS = 100


def _not_found(space_id: str, message_id: str) -> NotFound:
    return NotFound(f"Message pin `{message_pin_name(space_id, message_id)}` not found.",
                    reason="MESSAGE_PIN_NOT_FOUND")


def _check_may_pin(space: Space, membership: Membership | None) -> None:
    if space.import_mode or permissions.allowed(space, membership, Permission.POST_MESSAGES):
        return
    raise PermissionDenied("This space's permission settings don't let you pin or unpin messages.",
                           reason="PIN_MESSAGES_NOT_PERMITTED")


class Pins:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def create(self, principal: Principal, space_id: str, message_id: str) -> MessagePin:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> MessagePin:
            space, membership = await visible_space(repos, space_id, caller)
            message = await live_message(repos, principal, caller, space_id, message_id)
            if message.viewer_id:
                raise InvalidArgument.field("message_pin.message", "a private message (one only its viewer "
                                                                   "sees) can't be pinned")
            _check_may_pin(space, membership)
            await repos.pins.lock_space(space.id)
            if await repos.pins.get(space.id, message.id) is not None:
                raise AlreadyExists(f"Message `{message_name(space.id, message.id)}` is already pinned.",
                                    reason="MESSAGE_ALREADY_PINNED")
            if await repos.pins.count(space.id) >= MAX_PINS:
                raise FailedPrecondition(f"The space already has {MAX_PINS} pinned messages, the most it can "
                                         "hold; unpin one first.", reason="MESSAGE_PIN_LIMIT_REACHED",
                                         metadata={"limit": str(MAX_PINS)})
            pin = MessagePin(space_id=space.id, message_id=message.id, pinner_id=caller.id,
                             create_time_us=self._clock())
            await repos.pins.add(pin)
            return pin

        return await write(self._db, work)

    async def list(self, principal: Principal, space_id: str, *, after: tuple | None, limit: int) -> Page:
        """A page of the space's pins in the order they were made; pins of deleted messages are gone."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            space, _ = await visible_space(repos, space_id, caller)
            return await repos.pins.list(space.id, after=after, limit=limit)

        return await read(self._db, work)

    async def delete(self, principal: Principal, space_id: str, message_id: str) -> None:
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> None:
            space, membership = await visible_space(repos, space_id, caller)
            message = await repos.messages.get(space_id, message_id)
            pin = None if message is None or message.delete_time_us else await repos.pins.get(space.id, message.id)
            if pin is None:
                raise _not_found(space_id, message_id)
            _check_may_pin(space, membership)
            await repos.pins.remove(space.id, message.id)

        await write(self._db, work)
