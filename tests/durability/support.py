"""A `chatsvc serve` process that can be killed with SIGKILL and started again on the same database, tokens it
accepts across restarts, the seeded randomness of the kill moments, and the checks made after every restart."""
from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
from google.chat.v1 import chat_service_pb2_grpc, membership_pb2, message_pb2, space_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from chatsvc.app import open_database, signing_key
from chatsvc.auth.tokens import TokenService
from chatsvc.config import Settings
from chatsvc.storage.database import Database
from chatsvc.storage.integrity import integrity_problems
from tests.server_process import ServerProcess

SCOPES = ("chat.spaces", "chat.memberships", "chat.messages", "chat.messages.reactions")
CALL_SECONDS = 15.0  # a bound on every call, so a lost connection cannot hang the test


def cycles(default: int) -> int:
    """Kill-restart cycles per test: CHATSVC_DURABILITY_CYCLES for a longer run, else `default` (CI)."""
    return int(os.environ.get("CHATSVC_DURABILITY_CYCLES") or default)


def seeded_rng(test: str) -> random.Random:
    """The RNG of the kill moments; its seed is printed so a failing run can be replayed with
    CHATSVC_DURABILITY_SEED."""
    seed = int(os.environ.get("CHATSVC_DURABILITY_SEED") or random.SystemRandom().randrange(2**32))
    print(f"{test}: CHATSVC_DURABILITY_SEED={seed}")
    return random.Random(seed)


class Crashable:
    """One database and the server processes started on it in turn; the token key lives in the database, so
    tokens minted once stay valid across restarts."""

    def __init__(self, url: str, directory: Path):
        self.url = url
        self.directory = directory
        self.starts = 0
        self.process: ServerProcess | None = None
        self.channel: grpc.aio.Channel | None = None
        self.chat: chat_service_pb2_grpc.ChatServiceStub | None = None
        self.tokens: TokenService | None = None

    async def prepare(self) -> None:
        """Schema and signing key before the first start (both are idempotent, so restarts reuse them)."""
        db = await open_database(Settings(database_url=self.url))
        try:
            self.tokens = TokenService(await signing_key(db, os.environ.get("CHATSVC_SIGNING_KEY")))
        finally:
            await db.dispose()

    def md(self, email: str) -> tuple:
        return (("authorization", f"Bearer {self.tokens.mint(user=email, scopes=list(SCOPES))}"),)

    async def start(self) -> None:
        self.starts += 1
        self.process = ServerProcess(self.url, self.directory / f"server-{self.starts}.log")
        await asyncio.to_thread(self.process.wait_serving)
        self.channel = grpc.aio.insecure_channel(self.process.target)
        self.chat = chat_service_pb2_grpc.ChatServiceStub(self.channel)

    async def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would; calls in flight fail on the client side. The channel stays
        open until they have (a call on a closed channel would not be a gRPC error)."""
        await asyncio.to_thread(self.process.kill)

    async def stop(self) -> None:
        if self.process is not None and self.process.proc.poll() is None:
            await self.channel.close()
            status = await asyncio.to_thread(self.process.terminate)
            assert status == 0, f"chatsvc serve exited {status}:\n{self.process.log()}"

    async def abandon(self) -> None:
        """After a failure: no server may outlive the test (nor run on a database being dropped)."""
        if self.process is not None and self.process.proc.poll() is None:
            await asyncio.to_thread(self.process.kill)
            await self.channel.close()

    async def health(self) -> str:
        reply = await health_pb2_grpc.HealthStub(self.channel).Check(health_pb2.HealthCheckRequest(),
                                                                      timeout=CALL_SECONDS)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)

    async def integrity(self) -> list[str]:
        db = Database(self.url)
        try:
            return await integrity_problems(db)
        finally:
            await db.dispose()


@asynccontextmanager
async def crashable(url: str, directory: Path) -> AsyncIterator[Crashable]:
    """A Crashable on `url`, started; whatever happens, no server process outlives the block."""
    server = Crashable(url, directory)
    await server.prepare()
    await server.start()
    try:
        yield server
    finally:
        await server.abandon()


async def space_with_members(server: Crashable, owner: str, members: list[str]) -> space_pb2.Space:
    md = server.md(owner)
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name=f"Durability {uuid.uuid4().hex[:8]}")),
        metadata=md, timeout=CALL_SECONDS)
    for email in members:
        await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
            parent=space.name, membership=membership_pb2.Membership(member={"name": f"users/{email}"})),
            metadata=md, timeout=CALL_SECONDS)
    return space


async def all_messages(server: Crashable, md, space: str) -> list[message_pb2.Message]:
    found, token = [], ""
    while True:
        page = await server.chat.ListMessages(message_pb2.ListMessagesRequest(
            parent=space, page_size=1000, page_token=token), metadata=md, timeout=CALL_SECONDS)
        found.extend(page.messages)
        token = page.next_page_token
        if not token:
            return found


async def bounded(calls: list[Callable[[], Awaitable]], limit: int = 16) -> list:
    """Runs the calls with at most `limit` in flight; results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(call):
        async with gate:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


async def load_until_killed(server: Crashable, rng: random.Random, workers: list[Callable[[], Awaitable[None]]],
                            low: float = 0.3, high: float = 1.2) -> float:
    """Runs the workers (each loops until a call fails), SIGKILLs the server after a random delay in [low, high)
    seconds, and waits for the workers; returns the delay."""
    delay = rng.uniform(low, high)
    tasks = [asyncio.ensure_future(worker()) for worker in workers]
    started = time.monotonic()
    done, _ = await asyncio.wait(tasks, timeout=delay)
    await server.kill()
    if done:  # a worker that stopped before the kill failed on a live server: stop the rest, show why
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.channel.close()
        next(iter(done)).result()
        raise AssertionError("a load worker stopped before the kill")
    await asyncio.gather(*tasks)
    await server.channel.close()
    return time.monotonic() - started


def unavailable_after_kill(error: grpc.aio.AioRpcError) -> None:
    """The only way a call may fail under this load: the server is gone."""
    assert error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED), \
        f"{error.code().name}: {error.details()}"
