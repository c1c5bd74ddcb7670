"""A Chat app's HTTP endpoint as a child process under .venv-official (where google-auth verifies chatsvc's ID
tokens), for the tests that deliver events to a real app."""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from chatsvc.http.google_certs import X509_PATH
from tests.helpers import official_python


@asynccontextmanager
async def app_process(script: Path, server, log: Path) -> AsyncIterator[str]:
    """Runs `script CERTS_URL LOG_FILE` (the app prints its port, then serves until its stdin closes); yields its
    endpoint URL, `http://127.0.0.1:PORT/`. Proxy settings are dropped: the app and chatsvc are on loopback."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    proc = await asyncio.create_subprocess_exec(
        official_python(), "-I", str(script), server.media_url + X509_PATH, str(log),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env)
    try:
        port = int(await asyncio.wait_for(proc.stdout.readline(), 60))
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()
