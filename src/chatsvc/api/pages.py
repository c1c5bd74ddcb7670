"""Page tokens for list RPCs: bound to the method, the caller and every request parameter but the size."""
from __future__ import annotations

from chatsvc.aip.pagination import PageTokens
from chatsvc.domain.principal import Principal


class Pager:
    def __init__(self, tokens: PageTokens):
        self._tokens = tokens

    def position(self, token: str, method: str, principal: Principal, *params) -> tuple | None:
        return self._tokens.position(token, (method, principal.label, *params))

    def token(self, position: tuple | None, method: str, principal: Principal, *params) -> str:
        return self._tokens.issue(position, (method, principal.label, *params))
