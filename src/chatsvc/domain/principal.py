"""Who is calling: a human user (by email) or a Chat app (by name), and what the token grants."""
from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from enum import Enum

# The app that user-authenticated calls go through when the token names none.
DEFAULT_APP = "chatsvc"


class AuthKind(str, Enum):
    USER = "user"
    APP = "app"


@dataclass(frozen=True)
class Principal:
    kind: AuthKind
    # Human callers: their email. App callers: empty.
    email: str = ""
    # The Chat app the call is made through: the app itself under app authentication, or the app a user
    # is using. `users/app` in a request means this app.
    app: str = DEFAULT_APP
    scopes: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False
    # Whether the identity provider vouches for `email` (an `email_verified` claim; absent: yes).
    email_verified: bool = True
    # An incoming webhook (chatsvc.domain.webhooks): the one space it posts to, without being a member of it.
    # Empty for every other caller; no bearer token can set it.
    webhook_space: str = ""
    # The OAuth grant (chatsvc.domain.oauth_grants) a token from chatsvc's authorization server belongs to; the
    # gate checks that it still stands. Empty for every other token.
    grant: str = ""

    @property
    def is_app(self) -> bool:
        return self.kind is AuthKind.APP

    @property
    def label(self) -> str:
        """Who to name in logs: an email or `app:<name>`; never a token."""
        return f"app:{self.app}" if self.is_app else self.email


_current: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("chatsvc_principal", default=None)


def current_principal() -> Principal:
    principal = _current.get()
    if principal is None:  # the auth interceptor sets it for every call; reaching here is a wiring bug
        raise RuntimeError("no principal bound to this call")
    return principal


def bind_principal(principal: Principal | None) -> contextvars.Token:
    return _current.set(principal)


def unbind_principal(token: contextvars.Token) -> None:
    _current.reset(token)
