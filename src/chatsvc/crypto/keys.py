"""Where the token key comes from: CHATSVC_SECRET_KEY, else a 0600 key file beside the embedded database
(`chatsvc.db` -> `chatsvc.key`) or, for a database server, in the data directory."""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from pathlib import Path

KEY_FILE = "secret.key"


def key_path(sqlite_file: str | None, data_dir: Path) -> Path:
    return Path(sqlite_file).with_suffix(".key") if sqlite_file else data_dir / KEY_FILE


def _decode(text: str) -> bytes:
    """64 hex digits or 32 base64 bytes are used as is; any other string of 32+ bytes is hashed to a key."""
    text = text.strip()
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    if len(text.encode()) < 32:
        raise ValueError("CHATSVC_SECRET_KEY must be at least 32 bytes")
    return hashlib.sha256(text.encode()).digest()


def secret_key(override: str | None, path: Path) -> bytes:
    """The override, else the key in `path`, made there (0600) when missing. A key file others can read is
    refused rather than used."""
    if override:
        return _decode(override)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together never write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise ValueError(f"{path} must be readable by its owner only (chmod 600), not {oct(mode)}") from None
        return _decode(path.read_text())
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return _decode(path.read_text())


class LazyKey:
    """The key, read (or made) on first use, so a server that never stores a credential writes no key file;
    an existing file is checked at start-up all the same."""

    def __init__(self, override: str | None, path: Path):
        self._override, self._path = override, path
        self._key: bytes | None = None
        if override or path.exists():
            self.get()

    def get(self) -> bytes:
        if self._key is None:
            self._key = secret_key(self._override, self._path)
        return self._key
