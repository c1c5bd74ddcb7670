"""Chat app events under faults, over real `chatsvc serve` processes and a real HTTP app (tests/events/fault_app.py,
under .venv-official, verifying chatsvc's ID tokens with google-auth and logging every request as it arrives).

- Killed between commit and delivery: a DM message to the app is committed by a process whose worker is off; the
  process is killed (SIGKILL) and a new one, worker on, delivers the event exactly once, recorded once.
- Killed while a delivery is in flight (the app holds the request): the event's outcome was never recorded, so after
  its lease lapses the next process delivers it again; recorded once. Like Google, a delivery that failed is not
  retried; across a crash delivery is at least once (the app sees that event twice), exactly once otherwise.
- Two processes on one PostgreSQL, both delivering: N messages over several DMs (CHATSVC_APP_EVENT_FAULT_COUNT,
  200 by default) reach the app exactly once each.
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import re
import subprocess
import time
from pathlib import Path

import grpc
import pytest
from google.chat.v1 import chat_service_pb2_grpc, message_pb2, space_pb2, space_setup_pb2

from chatsvc.app import open_database, signing_key
from chatsvc.apps.v1 import app_service_pb2, app_service_pb2_grpc, chat_app_pb2
from chatsvc.auth.tokens import TokenService
from chatsvc.config import Settings
from chatsvc.events.records import EventState, Outcome
from chatsvc.http.google_certs import X509_PATH
from chatsvc.storage.database import Database
from tests.conftest import BACKENDS, PG_URL, fresh_database_url
from tests.helpers import official_python
from tests.server_process import ServerProcess

APP_SCRIPT = Path(__file__).resolve().parent / "fault_app.py"
BOT = "fault-bot"
SCOPES = ["chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app"]
LEASE_SECONDS = 3.0
WORKER_ON = {"CHATSVC_APP_EVENTS_ENABLED": "true", "CHATSVC_APP_EVENTS_POLL_SECONDS": "0.1",
             "CHATSVC_APP_EVENTS_LEASE_SECONDS": str(LEASE_SECONDS), "CHATSVC_APP_EVENT_TIMEOUT_SECONDS": "90"}
WORKER_OFF = {"CHATSVC_APP_EVENTS_ENABLED": "false"}
DELIVERED = re.compile(r"app event (\S+) MESSAGE to ")  # the worker's log line once a delivery is recorded
GRACE = 1.5  # after the expected deliveries, how long a duplicate gets to show up


class App:
    """fault_app.py as a child process; `received()` is every request it got, in order."""

    def __init__(self, directory: Path):
        self.certs_file = directory / "certs-url.txt"
        self.certs_file.write_text("")
        self.log = directory / "app-received.jsonl"
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        self.proc = subprocess.Popen([official_python(), "-I", str(APP_SCRIPT), str(self.certs_file), str(self.log)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.endpoint = f"http://127.0.0.1:{int(self.proc.stdout.readline())}/"

    def trust(self, server: ServerProcess) -> None:
        self.certs_file.write_text(server.media_url + X509_PATH)

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []

    def per_message(self) -> collections.Counter:
        return collections.Counter(r["message"] for r in self.received() if r["type"] == "MESSAGE")

    async def wait(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self.per_message()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} not within {timeout}s: {self.per_message()}")
            await asyncio.sleep(0.05)

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Client:
    """gRPC to one server process, with tokens from the database's key (valid for every process on it)."""

    def __init__(self, server: ServerProcess, tokens: TokenService):
        self.channel = grpc.aio.insecure_channel(server.target)
        self.chat = chat_service_pb2_grpc.ChatServiceStub(self.channel)
        self.apps = app_service_pb2_grpc.AppServiceStub(self.channel)
        self.tokens = tokens

    def md(self, user: str, scopes=SCOPES, app: str | None = BOT) -> tuple:
        return (("authorization", f"Bearer {self.tokens.mint(user=user, app=app, scopes=list(scopes))}"),)

    async def register(self, endpoint: str) -> None:
        await self.apps.CreateApp(app_service_pb2.CreateAppRequest(
            app_id=BOT, app=chat_app_pb2.ChatApp(endpoint_url=endpoint)),
            metadata=self.md("owner@example.com", ("chatsvc.apps",), app=None), timeout=15)

    async def dm(self, user: str) -> str:
        space = await self.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)),
            metadata=self.md(user), timeout=15)
        return space.name

    async def post(self, space: str, user: str, text: str) -> str:
        message = await self.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space, message=message_pb2.Message(text=text)), metadata=self.md(user), timeout=15)
        return message.name


async def tokens_for(url: str) -> TokenService:
    db = await open_database(Settings(database_url=url))  # the schema and the token key, before any process
    try:
        return TokenService(await signing_key(db, os.environ.get("CHATSVC_SIGNING_KEY")))
    finally:
        await db.dispose()


async def deliveries(url: str) -> list:
    database = Database(url)
    try:
        async with database.transaction() as repos:
            return await repos.app_events.for_app(BOT)
    finally:
        await database.dispose()


async def start(url: str, log: Path, env: dict[str, str], app: App | None = None) -> ServerProcess:
    server = ServerProcess(url, log, env=env)  # data dir: log's directory/data, shared, so the event key is too
    if app is not None:  # before the worker can deliver
        app.trust(server)
    await asyncio.to_thread(server.wait_serving)
    return server


async def settled(url: str, count: int, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while True:
        rows = await deliveries(url)
        if len(rows) >= count and all(state is EventState.DONE for _, state, _ in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"deliveries not settled within {timeout}s: {[(e.id, s) for e, s, _ in rows]}")
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_killed_before_delivery_and_in_flight(backend, tmp_path):
    app = App(tmp_path)
    servers: list[ServerProcess] = []
    try:
        async with fresh_database_url(backend, tmp_path) as url:
            tokens = await tokens_for(url)
            # 1. Committed, not delivered (this process's worker is off), then SIGKILL.
            servers.append(await start(url, tmp_path / "server-1.log", WORKER_OFF))
            client = Client(servers[-1], tokens)
            await client.register(app.endpoint)
            dm = await client.dm("alice@example.com")
            first = await client.post(dm, "alice@example.com", "before the crash")  # acknowledged: committed
            await client.channel.close()
            servers[-1].kill()
            assert app.received() == []
            [(_, state, _)] = await deliveries(url)
            assert state is EventState.QUEUED

            # A new process delivers it, exactly once.
            servers.append(await start(url, tmp_path / "server-2.log", WORKER_ON, app))
            await app.wait(lambda seen: first in seen, 30, "the committed event")
            await asyncio.sleep(GRACE)
            assert app.per_message() == {first: 1}
            assert [r["verified"] for r in app.received() if r["verified"] is not True] == []
            [(_, state, delivery)] = await settled(url, 1, 10)
            assert (state, delivery.outcome, delivery.status_code) == (EventState.DONE, Outcome.NO_REPLY, 200)

            # 2. SIGKILL while the app holds a delivery: redelivered once its lease lapses, recorded once.
            client = Client(servers[-1], tokens)
            held = await client.post(dm, "alice@example.com", "hold")
            await app.wait(lambda seen: held in seen, 30, "the held delivery")
            await client.channel.close()
            servers[-1].kill()
            killed = time.monotonic()
            servers.append(await start(url, tmp_path / "server-3.log", WORKER_ON, app))
            await app.wait(lambda seen: seen[held] == 2, 30, "the redelivery")
            assert time.monotonic() - killed >= LEASE_SECONDS * 0.9  # not before the lease ran out
            rows = await settled(url, 2, 10)
            await asyncio.sleep(GRACE)
            assert app.per_message() == {first: 1, held: 2}  # at least once across the crash, no third time
            assert len(rows) == 2 and all(d.outcome is Outcome.NO_REPLY for _, _, d in rows)
            assert [r["verified"] for r in app.received() if r["verified"] is not True] == []
            assert servers[-1].terminate() == 0, servers[-1].log()
    finally:
        for server in servers:
            server.kill()
        app.close()


def message_count() -> int:
    return int(os.environ.get("CHATSVC_APP_EVENT_FAULT_COUNT") or 200)


async def test_two_processes_deliver_each_event_once(tmp_path):
    if not PG_URL:
        pytest.skip("two processes share a PostgreSQL database: CHATSVC_TEST_DATABASE_URL is not set")
    count, users = message_count(), [f"user{i}@example.com" for i in range(4)]
    app = App(tmp_path)
    servers: list[ServerProcess] = []
    clients: list[Client] = []
    try:
        async with fresh_database_url("postgres", tmp_path) as url:
            tokens = await tokens_for(url)
            env = {**WORKER_ON, "CHATSVC_APP_EVENTS_LEASE_SECONDS": "30"}
            # One key for both (they share the data directory): the app trusts the first one's certificates URL.
            servers = list(await asyncio.gather(*(start(url, tmp_path / f"server-{i}.log", env, app if i == 0 else None)
                                                  for i in range(2))))
            clients = [Client(server, tokens) for server in servers]
            await clients[0].register(app.endpoint)
            dms = [await clients[i % 2].dm(user) for i, user in enumerate(users)]
            gate = asyncio.Semaphore(16)

            async def post(i: int) -> str:
                async with gate:
                    return await clients[i % 2].post(dms[i % len(dms)], users[i % len(users)], f"message {i}")

            sent = await asyncio.gather(*(post(i) for i in range(count)))
            assert len(set(sent)) == count
            await app.wait(lambda seen: len(seen) >= count, 60 + count / 10, "every event")
            rows = await settled(url, count, 30)
            await asyncio.sleep(GRACE)
            seen = app.per_message()
            assert set(seen) == set(sent), "an event lost or foreign"
            twice = {name: n for name, n in seen.items() if n != 1}
            assert not twice, f"delivered more than once: {twice}"
            assert len(rows) == count and all(d.outcome is Outcome.NO_REPLY for _, _, d in rows)
            assert [r["verified"] for r in app.received() if r["verified"] is not True] == []
            for client in clients:
                await client.channel.close()
            statuses = [server.terminate() for server in servers]
            assert statuses == [0, 0], "\n".join(server.log() for server in servers)
            by_process = [DELIVERED.findall(server.log()) for server in servers]
            recorded = collections.Counter(event_id for ids in by_process for event_id in ids)
            assert len(recorded) == count and set(recorded.values()) == {1}  # each by one process, once
            assert all(by_process), "one process delivered nothing"
            print(f"\n{count} events, delivered per process: {[len(ids) for ids in by_process]}")
    finally:
        for server in servers:
            server.kill()
        app.close()
