"""Shared fixtures: a real chatsvc server on an ephemeral port, on SQLite and (when
CHATSVC_TEST_DATABASE_URL is set) on PostgreSQL, and tokens to call it with."""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from google.chat.v1 import chat_service_pb2_grpc

from chatsvc.app import RunningServer, start
from chatsvc.config import Settings
from tests.helpers import rpc_error_details  # noqa: F401  (re-exported: tests import it from here)

PG_URL = os.environ.get("CHATSVC_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(
    not PG_URL, reason="CHATSVC_TEST_DATABASE_URL is not set"))]


async def _pg_admin(sql: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                 database=url.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pytest_generate_tests(metafunc):
    # Every test that touches a database runs once per backend.
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@asynccontextmanager
async def fresh_database_url(backend: str, directory: Path) -> AsyncIterator[str]:
    """The URL of a fresh, empty database of `backend` ("sqlite": a file in `directory`; "postgres": a new
    database on CHATSVC_TEST_DATABASE_URL's server, dropped on exit)."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / 'chatsvc.db'}"
        return
    from sqlalchemy.engine import make_url

    name = f"chatsvc_test_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database_url(request, tmp_path):
    """A fresh, empty database of the backend the test is parametrised with."""
    async with fresh_database_url(request.param, tmp_path) as url:
        yield url


@dataclass
class Harness:
    running: RunningServer
    channel: grpc.aio.Channel
    chat: chat_service_pb2_grpc.ChatServiceStub
    data_dir: str = ""  # where the server keeps uploaded files

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.running.port}"

    @property
    def media_url(self) -> str:
        """The HTTP media endpoint, e.g. http://127.0.0.1:41234."""
        return self.running.media.url

    def token(self, *, user: str | None = None, app: str | None = None, scopes=("chat.spaces",),
              admin: bool = False, ttl: int = 3600) -> str:
        return self.running.tokens.mint(user=user, app=app, scopes=list(scopes), admin=admin, ttl=ttl)

    def md(self, **kwargs) -> tuple:
        """Call metadata carrying a freshly minted token (same arguments as `token`)."""
        return (("authorization", f"Bearer {self.token(**kwargs)}"),)


@asynccontextmanager
async def serving(database_url: str, **settings) -> AsyncIterator[Harness]:
    """A chatsvc server on an ephemeral port over `database_url`, with a channel to it; stopped on exit.
    `settings` are further Settings fields."""
    with tempfile.TemporaryDirectory(prefix="chatsvc-data-") as data_dir:  # uploaded files, gone afterwards
        running = await start(Settings(listen="127.0.0.1:0", database_url=database_url, data_dir=data_dir,
                                       **settings))
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{running.port}")
        try:
            yield Harness(running, channel, chat_service_pb2_grpc.ChatServiceStub(channel), data_dir)
        finally:
            await channel.close()
            await running.stop(0)


@pytest.fixture
async def db(database_url):
    """A migrated Database of the test's backend, for tests that go through the storage layer directly."""
    from chatsvc.storage.database import Database

    database = Database(database_url)
    await database.migrate()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def server(database_url):
    async with serving(database_url) as harness:
        yield harness
