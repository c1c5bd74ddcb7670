"""AIP-158 page sizes and page tokens.

A page token is opaque to clients but carries the keyset position after the last item returned, bound to
the request's other parameters and the caller, and signed, so a forged, altered or re-used-with-other-
parameters token is refused rather than silently giving a wrong page.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

from chatsvc.domain.errors import InvalidArgument

_SIG_BYTES = 16


def page_size(requested: int, *, default: int, maximum: int) -> int:
    """0 means the default; above the maximum means the maximum; negative is an error."""
    if requested < 0:
        raise InvalidArgument.field("page_size", "must not be negative")
    if requested == 0:
        return default
    return min(requested, maximum)


class PageTokens:
    def __init__(self, key: bytes):
        self._key = hashlib.sha256(b"chatsvc page tokens\0" + key).digest()

    def issue(self, position: tuple | None, binding: tuple) -> str:
        """The token for the page after `position`; empty when there is no next page."""
        if position is None:
            return ""
        payload = json.dumps([list(position), self._bind(binding)], separators=(",", ":")).encode()
        return _b64(payload) + "." + _b64(self._sign(payload))

    def position(self, token: str, binding: tuple) -> tuple | None:
        """The keyset position a token carries; None for an empty token (the first page)."""
        if not token:
            return None
        try:
            body, _, signature = token.partition(".")
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload)):
                raise ValueError("bad signature")
            position, bound = json.loads(payload)
            if not isinstance(position, list):
                raise ValueError("bad position")
        except (ValueError, TypeError):
            raise InvalidArgument.field("page_token", "is not a page token this server issued") from None
        if bound != self._bind(binding):
            raise InvalidArgument.field(
                "page_token", "was issued for a request with other parameters; repeat them unchanged")
        return tuple(position)

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_SIG_BYTES]

    @staticmethod
    def _bind(binding: tuple) -> str:
        return hashlib.sha256(json.dumps(list(binding), separators=(",", ":")).encode()).hexdigest()[:24]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
