"""The `chatsvc token` command-line contract that other tools depend on:

    chatsvc token --database URL [--user EMAIL] [--app NAME] --scope S [--scope S ...] [--admin] [--ttl SECONDS]

prints the token on the last line of stdout, signed with the key stored with the data (or CHATSVC_SIGNING_KEY).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import grpc
import jwt
import pytest
from google.chat.v1 import chat_service_pb2_grpc, space_pb2

from chatsvc.app import open_database, signing_key, start
from chatsvc.auth.tokens import AUDIENCE, TokenService
from chatsvc.config import Settings
from chatsvc.domain.errors import Unauthenticated
from chatsvc.domain.principal import DEFAULT_APP, AuthKind

AUTH = "https://www.googleapis.com/auth/"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    env.update(extra)
    return env


def run_cli(database: str, *args: str, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "chatsvc.cli", "token", "--database", database, *args],
                            capture_output=True, text=True, env=env or _env(), timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def mint(database: str, *args: str, **kwargs) -> str:
    stdout = run_cli(database, *args, **kwargs).stdout
    lines = stdout.splitlines()
    assert lines, "no output"
    assert stdout.endswith("\n")
    return lines[-1].strip()


async def stored_key(database: str) -> bytes:
    db = await open_database(Settings(database_url=database))
    try:
        return await signing_key(db, None)
    finally:
        await db.dispose()


def claims_of(token: str, key: bytes) -> dict:
    return jwt.decode(token, key, algorithms=["HS256"], audience=AUDIENCE)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"


async def test_user_alone_goes_through_the_default_app(sqlite_url):
    token = mint(sqlite_url, "--user", "alice@example.com", "--scope", "chat.spaces")
    tokens = TokenService(await stored_key(sqlite_url))
    principal = tokens.verify(token)
    assert principal.kind is AuthKind.USER
    assert principal.email == "alice@example.com"
    assert principal.app == DEFAULT_APP
    assert principal.admin is False
    assert principal.scopes == {AUTH + "chat.spaces"}
    claims = claims_of(token, await stored_key(sqlite_url))
    assert claims["exp"] - claims["iat"] == 3600  # the documented default
    assert abs(claims["iat"] - time.time()) < 60


async def test_user_through_a_named_app(sqlite_url):
    token = mint(sqlite_url, "--user", "bob@example.com", "--app", "helper-bot", "--scope", "chat.messages")
    principal = TokenService(await stored_key(sqlite_url)).verify(token)
    assert principal.kind is AuthKind.USER
    assert principal.email == "bob@example.com"
    assert principal.app == "helper-bot"


async def test_app_alone_is_app_authentication(sqlite_url):
    token = mint(sqlite_url, "--app", "helper-bot", "--scope", "chat.bot")
    principal = TokenService(await stored_key(sqlite_url)).verify(token)
    assert principal.kind is AuthKind.APP
    assert principal.is_app
    assert principal.app == "helper-bot"
    assert principal.email == ""
    assert principal.scopes == {AUTH + "chat.bot"}


async def test_admin_ttl_and_repeated_scopes(sqlite_url):
    token = mint(sqlite_url, "--user", "root@example.com", "--admin", "--ttl", "90",
                 "--scope", "chat.admin.spaces", "--scope", AUTH + "chat.spaces.readonly", "--scope", "chat.bot")
    key = await stored_key(sqlite_url)
    principal = TokenService(key).verify(token)
    assert principal.admin is True
    assert principal.scopes == {AUTH + "chat.admin.spaces", AUTH + "chat.spaces.readonly", AUTH + "chat.bot"}
    claims = claims_of(token, key)
    assert claims["exp"] - claims["iat"] == 90
    assert claims["admin"] is True


async def test_negative_ttl_gives_an_expired_token(sqlite_url):
    token = mint(sqlite_url, "--user", "alice@example.com", "--scope", "chat.spaces", "--ttl", "-60")
    with pytest.raises(Unauthenticated) as caught:
        TokenService(await stored_key(sqlite_url)).verify(token)
    assert caught.value.reason == "EXPIRED_TOKEN"


@pytest.mark.parametrize("args", [
    ["--scope", "chat.spaces"],  # neither --user nor --app
    ["--user", "not-an-email", "--scope", "chat.spaces"],
    ["--app", "bad name", "--scope", "chat.bot"],
    ["--app", "helper-bot", "--admin", "--scope", "chat.bot"],  # admin belongs to users
    ["--user", "alice@example.com"],  # no scope
    ["--user", "alice@example.com", "--scope", "chat.spaces", "--ttl", "soon"],
], ids=["nobody", "bad-email", "bad-app", "admin-app", "no-scope", "bad-ttl"])
def test_refusals_exit_nonzero_and_print_no_token(sqlite_url, args):
    result = run_cli(sqlite_url, *args, check=False)
    assert result.returncode != 0
    assert result.stderr.strip()
    assert "eyJ" not in result.stdout


async def test_runs_share_the_key_stored_with_the_data_and_the_server_accepts_them(database_url):
    first = mint(database_url, "--user", "alice@example.com", "--scope", "chat.spaces")
    second = mint(database_url, "--app", "helper-bot", "--scope", "chat.bot")
    key = await stored_key(database_url)
    tokens = TokenService(key)
    assert tokens.verify(first).email == "alice@example.com"
    assert tokens.verify(second).app == "helper-bot"
    assert await stored_key(database_url) == key  # stable: made once, then read back
    # A server started on the same database takes the CLI's tokens.
    running = await start(Settings(listen="127.0.0.1:0", database_url=database_url))
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            chat = chat_service_pb2_grpc.ChatServiceStub(channel)
            md = (("authorization", f"Bearer {first}"),)
            created = await chat.CreateSpace(
                space_pb2.CreateSpaceRequest(space=space_pb2.Space(display_name="From the CLI", space_type=1)),
                metadata=md)
            assert (await chat.GetSpace(space_pb2.GetSpaceRequest(name=created.name), metadata=md)) == created
    finally:
        await running.stop(0)


async def test_signing_key_env_overrides_the_stored_key(sqlite_url):
    override = "an-override-signing-key-of-at-least-32-bytes"
    stored_token = mint(sqlite_url, "--user", "alice@example.com", "--scope", "chat.spaces")
    token = mint(sqlite_url, "--user", "alice@example.com", "--scope", "chat.spaces",
                 env=_env(CHATSVC_SIGNING_KEY=override))
    assert TokenService(override.encode()).verify(token).email == "alice@example.com"
    with pytest.raises(Unauthenticated):
        TokenService(await stored_key(sqlite_url)).verify(token)
    # The stored key is untouched by the override.
    assert TokenService(await stored_key(sqlite_url)).verify(stored_token).email == "alice@example.com"


def test_short_signing_key_env_is_refused(sqlite_url):
    result = run_cli(sqlite_url, "--user", "alice@example.com", "--scope", "chat.spaces",
                     env=_env(CHATSVC_SIGNING_KEY="too-short"), check=False)
    assert result.returncode != 0
    assert "eyJ" not in result.stdout
