"""AES-256-GCM sealing of OAuth tokens before they reach the database."""
from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_VERSION = b"\x01"  # leaves room to rotate the scheme or the key later


class TokenCipher:
    def __init__(self, key: bytes | Callable[[], bytes]):
        """`key`: the 32-byte key, or a function giving it when first needed."""
        self._key = key
        self._cached: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        if self._cached is None:
            key = self._key() if callable(self._key) else self._key
            if len(key) != 32:
                raise ValueError("the token key must be 32 bytes")
            self._cached = AESGCM(key)
        return self._cached

    def seal(self, plaintext: str, context: str) -> bytes:
        """`context` (the row and column) is authenticated, so a sealed value moved to another row won't open."""
        if not plaintext:
            return b""
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def open(self, sealed: bytes, context: str) -> str:
        if not sealed:
            return ""
        if sealed[:1] != _VERSION:
            raise ValueError("unknown sealed token format")
        nonce, body = sealed[1:1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, body, context.encode()).decode()
        except InvalidTag:
            raise ValueError("a sealed token failed authentication (wrong key or tampered row)") from None
