"""`chatsvc serve --workers 2`: two worker processes answer on one port, a worker killed is started again,
SIGTERM to the parent stops them all with exit status 0; a port in use or workers that keep failing to start
make the parent give up with a non-zero status."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import grpc
import pytest
from google.chat.v1 import chat_service_pb2_grpc, space_pb2

from tests.server_process import REPO, ServerProcess, mint_token

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

STARTED = re.compile(r"worker (\d+) started \(pid (\d+)\)")
WORKERS_ON = re.compile(r"2 workers on 127\.0\.0\.1:(\d+) \(HTTP 127\.0\.0\.1:(\d+)\)")
# Log lines are `date time pid LEVEL logger message`.
LISTENING = re.compile(r"^\S+ \S+ (\d+) INFO chatsvc chatsvc listening on", re.M)
CALL = re.compile(r"^\S+ \S+ (\d+) INFO chatsvc\.calls (\{.*\})$", re.M)
WAIT_SECONDS = 60.0


def children_of(parent: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def until(check, what: str, server: ServerProcess, timeout: float = WAIT_SECONDS):
    """Polls `check()` until it returns something true; fails with the server's log after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        await asyncio.sleep(0.1)
    pytest.fail(f"no {what} after {timeout:.0f}s:\n{server.log()}", pytrace=False)


def serving_workers(server: ServerProcess) -> dict[int, int]:
    """worker index -> pid, for the latest start of each worker that is listening by now."""
    log = server.log()
    latest = {int(index): int(pid) for index, pid in STARTED.findall(log)}
    listening = {int(pid) for pid in LISTENING.findall(log)}
    return latest if len(latest) == 2 and set(latest.values()) <= listening else {}


async def create_spaces(target: str, token: str, count: int) -> None:
    """`count` calls, each on a connection of its own, so the kernel may hand each to either worker."""
    for _ in range(count):
        async with grpc.aio.insecure_channel(target, options=[("grpc.use_local_subchannel_pool", 1)]) as channel:
            space = space_pb2.Space(space_type=space_pb2.Space.SpaceType.SPACE, display_name=f"W {uuid.uuid4().hex}")
            await chat_service_pb2_grpc.ChatServiceStub(channel).CreateSpace(
                space_pb2.CreateSpaceRequest(space=space), metadata=(("authorization", f"Bearer {token}"),))


def answering_pids(server: ServerProcess) -> set[int]:
    return {int(pid) for pid, line in CALL.findall(server.log())
            if json.loads(line)["method"].endswith("/CreateSpace") and json.loads(line)["status"] == "OK"}


async def test_two_workers_share_the_port_restart_and_stop(database_url, tmp_path):
    # Port 0 for both endpoints: the parent picks one port of each for both workers.
    server = ServerProcess(database_url, tmp_path / "workers.log",
                           args=("--workers", "2", "--listen", "127.0.0.1:0", "--media-listen", "auto"))
    try:
        port, media_port = (await until(lambda: WORKERS_ON.search(server.log()), "ports chosen", server)).groups()
        server.target = f"127.0.0.1:{port}"
        workers = await until(lambda: serving_workers(server), "two workers listening", server)
        assert children_of(server.proc.pid) == set(workers.values())

        token = mint_token(database_url, "ops@example.com")
        await create_spaces(server.target, token, 24)
        assert answering_pids(server) == set(workers.values()), server.log()  # both answered
        with pytest.raises(urllib.error.HTTPError) as caught:  # the media port answers too (no token: 401)
            urllib.request.urlopen(f"http://127.0.0.1:{media_port}/v1/media/spaces/x/attachments/y?alt=media",
                                   timeout=10)
        assert caught.value.code == 401

        os.kill(workers[1], signal.SIGKILL)
        restarted = await until(lambda: (w := serving_workers(server)) and w[1] != workers[1] and w, "restart",
                                server)
        assert restarted[2] == workers[2] and "worker 1 (pid" in server.log()
        assert children_of(server.proc.pid) == set(restarted.values())
        await create_spaces(server.target, token, 4)
    finally:
        status = server.terminate()
    assert status == 0, server.log()
    assert not any(alive(pid) for pid in {*workers.values(), *restarted.values()})
    assert "shutting down" in server.log()


def test_a_port_in_use_is_refused_at_once(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "chatsvc.cli", "serve", "--workers", "2", "--listen", f"127.0.0.1:{port}",
             "--database", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"],
            capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "worker 1 started" not in result.stderr


def test_workers_that_keep_failing_to_start_make_the_parent_give_up(tmp_path):
    # Only the workers read the JWKS file, so each of them dies at start.
    result = subprocess.run(
        [sys.executable, "-m", "chatsvc.cli", "serve", "--workers", "2", "--listen", "127.0.0.1:0",
         "--database", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", "--jwks-file", str(tmp_path / "missing.json")],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode != 0
    assert "giving up" in result.stderr
    pids = {int(pid) for _, pid in STARTED.findall(result.stderr)}
    assert len(pids) >= 3  # started, restarted, ...
    assert not any(alive(pid) for pid in pids)
