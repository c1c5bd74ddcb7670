"""Singletons a user owns (read states, notification settings, availability) are only the caller's own."""
from __future__ import annotations

from chatsvc.aip.names import MemberRef
from chatsvc.domain.errors import PermissionDenied
from chatsvc.domain.models import User
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory


def require_caller(ref: MemberRef, caller: User, principal: Principal, what: str) -> None:
    """`{user}` must be the caller: `me`, their email or their id. Anyone else is refused the same way
    whether or not they exist, so the refusal tells nothing about other users."""
    if ref.is_me or ref.value == caller.id:
        return
    if ref.is_email and not principal.is_app and ref.value.lower() == principal.email.lower():
        return
    raise PermissionDenied(f"Only the caller's own {what} can be used; name it with `users/me`, the caller's "
                           "email or the caller's user id.", reason="CALLER_ONLY")


async def own_caller(directory: Directory, principal: Principal, ref: MemberRef, what: str) -> User:
    """The caller, once `ref` is known to name them (`require_caller`)."""
    caller = await directory.caller(principal)
    require_caller(ref, caller, principal, what)
    return caller
