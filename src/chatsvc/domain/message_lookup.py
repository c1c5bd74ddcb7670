"""The message a reaction or pin refers to: one the caller can read, and not deleted."""
from __future__ import annotations

from chatsvc.aip.names import message_name
from chatsvc.domain import message_rules
from chatsvc.domain.errors import NotFound
from chatsvc.domain.models import Message, User
from chatsvc.domain.ports import Repositories
from chatsvc.domain.principal import Principal


def message_not_found(space_id: str, message_id: str) -> NotFound:
    return NotFound(f"Message `{message_name(space_id, message_id)}` not found.", reason="MESSAGE_NOT_FOUND")


async def live_message(repos: Repositories, principal: Principal, caller: User, space_id: str,
                       message_id: str) -> Message:
    """By system or client-assigned id; NOT_FOUND for a missing or deleted message and for a private message
    the caller may not see, alike. Callers check the space's visibility first."""
    message = await repos.messages.get(space_id, message_id)
    _check_live(message, principal, caller, space_id, message_id)
    return message


async def live_message_with_snapshot(repos: Repositories, principal: Principal, caller: User, space_id: str,
                                     message_id: str, *, lock: bool = True) -> tuple[Message, bytes | None]:
    """As live_message, with the message's stored snapshot, the row locked until the transaction ends (unless
    `lock` is False, for a read): for writes that rewrite the snapshot from what they read."""
    found = await repos.messages.get_with_snapshot(space_id, message_id, lock=lock)
    _check_live(found[0] if found else None, principal, caller, space_id, message_id)
    return found


def _check_live(message: Message | None, principal: Principal, caller: User, space_id: str, message_id: str) -> None:
    if message is None or message.delete_time_us or not message_rules.visible(message, caller, principal):
        raise message_not_found(space_id, message_id)
