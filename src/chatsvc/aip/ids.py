"""Server-assigned resource ids."""
from __future__ import annotations

import os
import secrets
import string
import threading

_ALNUM = string.ascii_letters + string.digits


def space_id() -> str:
    """Space ids look like Google's: `AAAA` followed by seven random characters."""
    return "AAAA" + "".join(secrets.choice(_ALNUM) for _ in range(7))


def user_id() -> str:
    """Numeric, like Google's user ids; 21 digits, never starting with 0."""
    return str(secrets.randbelow(9 * 10**20) + 10**20)


def opaque_id(length: int = 11) -> str:
    # Bytes of 248 and above are dropped so that each of the 62 characters stays equally likely.
    chars = b""
    while len(chars) < length:
        chars += _random.take(length + 4).translate(_AS_CHARACTER, _UNEVEN)
    return chars[:length].decode()


_AS_CHARACTER = bytes(ord(_ALNUM[b % 62]) for b in range(256))
_UNEVEN = bytes(range(248, 256))


class _RandomBytes:
    """The operating system's random bytes, read 4 KiB at a time: every message written takes three ids, and a
    getrandom call per id cost more than building the message's answer. Refilled in a forked child, so that
    `--workers` processes never share bytes."""

    _SIZE = 4096

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._lock = threading.Lock()  # a new one in a child: another thread may have held it at the fork
        self._buffer, self._at = b"", 0

    def take(self, count: int) -> bytes:
        with self._lock:
            if self._at + count > len(self._buffer):
                self._buffer, self._at = os.urandom(self._SIZE), 0
            self._at += count
            return self._buffer[self._at - count:self._at]


_random = _RandomBytes()
os.register_at_fork(after_in_child=_random.reset)
