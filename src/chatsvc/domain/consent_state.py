"""The OAuth `state`: signed, expiring and bound to who asked, for which brand, provider, scopes and redirect.

The provider hands it back untouched; the signature means nobody can forge one for another user, the expiry
bounds how long a consent link works, and the nonce (recorded when used) makes it single-use.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from chatsvc.domain.credential_models import Provider
from chatsvc.domain.errors import InvalidArgument


@dataclass(frozen=True)
class ConsentState:
    user_id: str
    provider: Provider
    brand: str
    redirect: str
    scopes: tuple[str, ...]
    nonce: str
    expires_us: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def invalid_state(why: str) -> InvalidArgument:
    return InvalidArgument.field("state", why, reason="CONSENT_STATE_INVALID")


class ConsentStates:
    def __init__(self, server_key: bytes, ttl_us: int):
        self._key = hashlib.sha256(b"chatsvc consent state\0" + server_key).digest()
        self.ttl_us = ttl_us

    def issue(self, *, user_id: str, provider: Provider, brand: str, redirect: str, scopes: list[str],
              now_us: int) -> tuple[str, ConsentState]:
        state = ConsentState(user_id, provider, brand, redirect, tuple(scopes), secrets.token_urlsafe(16),
                             now_us + self.ttl_us)
        payload = json.dumps([state.user_id, state.provider.value, state.brand, state.redirect,
                              list(state.scopes), state.nonce, state.expires_us], separators=(",", ":")).encode()
        return _b64(payload) + "." + _b64(self._sign(payload)), state

    def read(self, token: str, now_us: int) -> ConsentState:
        try:
            body, _, signature = token.partition(".")
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload)):
                raise ValueError("signature")
            user_id, provider, brand, redirect, scopes, nonce, expires_us = json.loads(payload)
            state = ConsentState(user_id, Provider(provider), brand, redirect, tuple(scopes), nonce, int(expires_us))
        except (ValueError, TypeError, binascii.Error):
            raise invalid_state("is not a consent state this server issued") from None
        if state.expires_us <= now_us:
            raise invalid_state("has expired; start the consent again")
        return state

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()
