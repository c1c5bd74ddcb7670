"""web/src/live.ts, the browser's live stream module, run in Node against a real server that restarts: it
reconnects by itself and resumes from the last event it saw, each event handed over once."""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.http.rest_support import new_message
from tests.live.test_live_stream import people, shared_space
from tests.server_process import free_port

REPO = Path(__file__).resolve().parents[2]
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"


class NodeClient:
    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.lines: list[dict] = []

    async def until(self, predicate, timeout: float = 10.0) -> dict:
        async def read():
            while True:
                raw = await self.proc.stdout.readline()
                if not raw:
                    raise EOFError("the Node client exited")
                line = json.loads(raw)
                self.lines.append(line)
                if predicate(line):
                    return line
        return await asyncio.wait_for(read(), timeout)

    def events(self) -> list[str]:
        return [line["resourceName"] for line in self.lines if line["kind"] == "event"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_browser_module_reconnects_and_resumes_after_a_restart(backend, tmp_path):
    node = shutil.which("node")
    if node is None or not ESBUILD.exists():
        pytest.fail("node and node_modules (npm ci) are needed to run web/src/live.ts", pytrace=False)
    subprocess.run([str(ESBUILD), str(REPO / "web" / "src" / "live.ts"), "--bundle", "--format=esm",
                    f"--outfile={tmp_path / 'live.bundle.mjs'}", "--log-level=warning"], check=True, timeout=60)
    shutil.copy(Path(__file__).with_name("live_client.mjs"), tmp_path / "live_client.mjs")
    http = f"127.0.0.1:{free_port()}"  # the same address after the restart, as a page keeps its origin
    async with fresh_database_url(backend, tmp_path) as url:
        async with serving(url, http_listen=http) as first:
            (_, alice), (bob_email, bob) = people(first, "alice", "bob")
            space = await shared_space(first, alice, bob_email)
            proc = await asyncio.create_subprocess_exec(
                node, str(tmp_path / "live_client.mjs"), cwd=tmp_path, stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "LIVE_URL": f"http://{http}/v1/live/events", "LIVE_TOKEN": alice})
            client = NodeClient(proc)
            try:
                await client.until(lambda line: line.get("status") == "open")
                before = await new_message(first, bob, space, "before")
                await client.until(lambda line: line.get("resourceName") == before["name"], timeout=3)
                await first.running.stop(5)
                await client.until(lambda line: line.get("status") == "reconnecting")
                async with serving(url, http_listen=http) as second:
                    after = [(await new_message(second, bob, space, f"after {i}"))["name"] for i in range(3)]
                    await client.until(lambda line: line.get("resourceName") == after[-1])
                    assert client.events() == [before["name"], *after]
                    assert [s["status"] for s in client.lines if s["kind"] == "status"][-1] == "open"
            finally:
                if proc.returncode is None:
                    proc.stdin.close()
                    try:
                        await asyncio.wait_for(proc.wait(), 5)
                    except TimeoutError:
                        proc.kill()
                        await proc.wait()
