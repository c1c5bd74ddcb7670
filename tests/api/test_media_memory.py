"""A 100 MB upload and download through the media endpoint of a real `chatsvc serve` process keeps the
server's peak resident memory (VmHWM) under 150 MB: the bytes stream, they are never held whole.

The figure is printed (run with -s to see it) and recorded as the test property `server_peak_rss_mb`.
"""
import asyncio
import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import grpc
import pytest
from google.chat.v1 import chat_service_pb2_grpc, message_pb2, space_pb2

from chatsvc.auth.tokens import TokenService
from tests.api.media_support import with_tokens

SIZE_MB = 100
LIMIT_BYTES = 150 * 1000 * 1000
SIGNING_KEY = "media-memory-test-signing-key-0123456789"


def peak_rss_bytes(pid: int) -> int:
    """The process's peak resident set size so far (VmHWM, reported in KiB)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) * 1024


async def _addresses(log: Path, process: subprocess.Popen) -> tuple[str, str]:
    """The gRPC target and the media URL, from the server's start-up log lines."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = log.read_text() if log.exists() else ""
        grpc_at = re.search(r"listening on (\S+)", text)
        media_at = re.search(r"HTTP endpoint \(REST, discovery, media\) at (\S+)", text)
        if grpc_at and media_at:
            return grpc_at.group(1), media_at.group(1)
        if process.poll() is not None:
            pytest.fail(f"chatsvc serve exited: {text}")
        await asyncio.sleep(0.05)
    pytest.fail("chatsvc serve did not start")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read the peak memory")
async def test_100_mb_upload_and_download_stay_under_150_mb(database_url, tmp_path, record_property):
    log = tmp_path / "server.log"
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "chatsvc.cli", "serve", "--listen", "127.0.0.1:0", "--http-listen",
             "127.0.0.1:0", "--database", database_url, "--data-dir", str(tmp_path / "data"), "--grace", "1"],
            env={**os.environ, "CHATSVC_SIGNING_KEY": SIGNING_KEY}, stdout=sink, stderr=sink)
    try:
        target, media = await _addresses(log, process)
        token = TokenService(SIGNING_KEY.encode()).mint(user="alice@example.com",
                                                        scopes=["chat.spaces", "chat.messages"])
        md, headers = (("authorization", f"Bearer {token}"),), {"Authorization": f"Bearer {token}"}
        async with grpc.aio.insecure_channel(target) as channel:
            chat = chat_service_pb2_grpc.ChatServiceStub(channel)
            space = await chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
                space_type=space_pb2.Space.SpaceType.SPACE, display_name="Memory")), metadata=md)
            block, sent = os.urandom(1 << 20), hashlib.sha256()

            async def body():
                for _ in range(SIZE_MB):
                    sent.update(block)
                    yield block

            async with aiohttp.ClientSession() as http:
                url = f"{media}/upload/v1/{space.name}/attachments:upload?uploadType=media&filename=big.bin"
                async with http.post(url, data=body(), headers=headers) as response:
                    assert response.status == 200, await response.text()
                    upload_token = (await response.json())["attachmentDataRef"]["attachmentUploadToken"]
                message = await chat.CreateMessage(message_pb2.CreateMessageRequest(
                    parent=space.name, message=with_tokens(upload_token)), metadata=md)
                received, size = hashlib.sha256(), 0
                async with http.get(f"{media}/v1/media/{message.attachment[0].name}?alt=media",
                                    headers=headers) as response:
                    assert response.status == 200
                    async for chunk in response.content.iter_chunked(1 << 16):
                        received.update(chunk)
                        size += len(chunk)
        assert (size, received.digest()) == (SIZE_MB << 20, sent.digest())
        peak = peak_rss_bytes(process.pid)
        record_property("server_peak_rss_mb", round(peak / 1e6, 1))
        print(f"\nchatsvc serve peak RSS over a {SIZE_MB} MB upload and download: {peak / 1e6:.1f} MB")
        assert peak < LIMIT_BYTES, f"peak resident memory {peak / 1e6:.1f} MB"
    finally:
        process.terminate()
        process.wait(timeout=30)
