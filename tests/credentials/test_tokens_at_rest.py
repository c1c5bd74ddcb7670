"""Tokens are sealed at rest, never in a response or a log line; the key file is private."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from chatsvc.crypto.cipher import TokenCipher
from chatsvc.crypto.keys import LazyKey, secret_key
from chatsvc.storage.tables import credentials


async def test_tokens_are_unreadable_in_the_sqlite_file(env, caplog, database_url):
    caplog.set_level(logging.DEBUG)
    credential = await env.connect()
    await env.connect(brand="second")
    tokens = list(env.fake.issued)
    assert len(tokens) == 4
    # Nothing the server answered or logged carries a token.
    assert not any(token.encode() in credential.SerializeToString() for token in tokens)
    assert not any(token in caplog.text for token in tokens)
    async with env.harness.running.db.engine.connect() as conn:  # the stored columns, on either backend
        rows = await conn.execute(select(credentials.c.access_token, credentials.c.refresh_token))
        stored = [bytes(value) for row in rows for value in row]
    assert len(stored) == 4 and all(stored)
    assert not any(token.encode() in value for token in tokens for value in stored)
    if not database_url.startswith("sqlite"):
        return
    await env.harness.running.db.dispose()  # checkpoint the WAL into the file
    path = Path(database_url.split("///", 1)[1])
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert credential.email.encode() in raw  # the file is the right one and readable
    for token in tokens:
        assert token.encode() not in raw


async def test_the_key_file_is_made_private_beside_the_database_and_reused(env, database_url):
    await env.connect()
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1]).with_suffix(".key")
    else:
        path = Path(env.harness.data_dir) / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(bytes.fromhex(path.read_text())) == 32


def test_a_key_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "data" / "secret.key"
    key = secret_key(None, path)
    assert secret_key(None, path) == key and len(key) == 32
    os.chmod(path, 0o644)
    with pytest.raises(ValueError, match="chmod 600"):
        secret_key(None, path)
    with pytest.raises(ValueError, match="chmod 600"):
        LazyKey(None, path)  # checked at start-up, not at first use


def test_secret_key_from_the_environment_value():
    assert secret_key("ab" * 32, Path("/nonexistent")) == bytes.fromhex("ab" * 32)
    assert len(secret_key("a passphrase that is long enough to use!", Path("/nonexistent"))) == 32
    with pytest.raises(ValueError):
        secret_key("short", Path("/nonexistent"))


def test_sealed_tokens_are_bound_to_their_row_and_key():
    cipher = TokenCipher(b"k" * 32)
    sealed = cipher.seal("access-123", "cred-1:access")
    assert b"access-123" not in sealed and cipher.open(sealed, "cred-1:access") == "access-123"
    assert cipher.seal("access-123", "cred-1:access") != sealed  # a fresh nonce every time
    for wrong in (lambda: cipher.open(sealed, "cred-2:access"),
                  lambda: TokenCipher(b"x" * 32).open(sealed, "cred-1:access"),
                  lambda: cipher.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), "cred-1:access")):
        with pytest.raises(ValueError):
            wrong()
