"""Server-assigned resource ids."""
from __future__ import annotations

import secrets
import string

_ALNUM = string.ascii_letters + string.digits


def space_id() -> str:
    """Space ids look like Google's: `AAAA` followed by seven random characters."""
    return "AAAA" + "".join(secrets.choice(_ALNUM) for _ in range(7))


def user_id() -> str:
    """Numeric, like Google's user ids; 21 digits, never starting with 0."""
    return str(secrets.randbelow(9 * 10**20) + 10**20)


def opaque_id(length: int = 11) -> str:
    # One read of random bytes per id (not one per character); bytes of 248 and above are dropped so that
    # each of the 62 characters stays equally likely.
    chars: list[str] = []
    while len(chars) < length:
        chars += [_ALNUM[b % 62] for b in secrets.token_bytes(length + 4) if b < 248]
    return "".join(chars[:length])
